package io.kasper;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Thrown by {@link TopicProcessor#runLoop()} when a batch fails: its {@link MessageProcessor} threw, or one of its
 * output messages could not be produced. Nothing of the batch was committed; a restarted processor receives it again.
 *
 * <p>Immutable and thread-safe.
 */
public class BatchFailedException extends KasperException {

    private static final long serialVersionUID = 1L;

    /** The partition number of the failed batch. */
    private final int partition;
    /** The offsets of the failed batch; transient because a TopicPartition map need not survive serialization. */
    private final transient Map<TopicPartition, OffsetRange> offsets;

    /**
     * Creates the exception.
     *
     * @param message what failed, naming the processor, partition and offsets
     * @param partition the batch's partition number
     * @param offsets the offsets of the batch per input topic-partition
     * @param cause the exception thrown by the processor or the producer
     */
    public BatchFailedException(String message, int partition, Map<TopicPartition, OffsetRange> offsets,
            Throwable cause) {
        super(message, cause);
        this.partition = partition;
        this.offsets = Map.copyOf(offsets);
    }

    /**
     * Returns the partition number of the failed batch.
     *
     * @return the partition number of the failed batch
     */
    public int partition() {
        return partition;
    }

    /**
     * Returns the offsets of the failed batch per input topic-partition; none of them was committed.
     *
     * @return the offsets of the failed batch per input topic-partition; none of them was committed
     */
    public Map<TopicPartition, OffsetRange> offsets() {
        return offsets;
    }
}
