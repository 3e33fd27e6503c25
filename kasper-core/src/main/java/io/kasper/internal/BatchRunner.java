package io.kasper.internal;

import io.kasper.BatchFailedException;
import io.kasper.MessageProcessor;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;

/**
 * Runs closed batches through their {@link MessageProcessor}, hands the buffered output to the producer, and tracks
 * acknowledgements until a batch's offsets may be committed. Shared by the {@code TopicProcessor} loop and the test
 * driver, so that both process, fail and release offsets the same way.
 *
 * <p>Internal API. Thread-safety: not thread-safe; owned by one loop thread (acks complete on other threads).
 */
public final class BatchRunner implements AutoCloseable {

    private final String processorName;
    private final Map<Integer, MessageProcessor> processors;
    private final Producer<byte[], byte[]> producer;
    private final ProcessorMetrics metrics;
    private final CommitTracker tracker = new CommitTracker();
    private final Map<TopicPartition, OffsetAndMetadata> completed = new HashMap<>();

    /**
     * Creates a runner.
     *
     * @param processorName the topic processor's name, for messages and metric tags
     * @param processors the processor of every partition number
     * @param producer the producer of output messages (acks=all)
     * @param registry receives the batch metrics; they are removed on {@link #close()}
     */
    public BatchRunner(String processorName, Map<Integer, MessageProcessor> processors,
            Producer<byte[], byte[]> producer, MeterRegistry registry) {
        this.processorName = processorName;
        this.processors = Map.copyOf(processors);
        this.producer = producer;
        this.metrics = new ProcessorMetrics(registry, processorName);
    }

    ProcessorMetrics metrics() {
        return metrics;
    }

    /**
     * Processes a batch and hands its output to the producer without waiting for acknowledgements.
     *
     * @param batch the closed batch
     * @throws BatchFailedException when the processor throws; the batch is then never released for commit
     */
    public void run(Batch batch) {
        InFlightBatch inFlight = tracker.open(batch);
        BatchSender sender = new BatchSender(producer, inFlight);
        long start = System.nanoTime();
        try {
            processors.get(batch.partition()).process(batch.records(), sender);
        } catch (Throwable t) { // an AssertionError in user code must fail the batch too
            sender.discard();
            inFlight.abandon(t);
            if (t instanceof VirtualMachineError vmError) {
                throw vmError;
            }
            throw failure(batch, "MessageProcessor threw", t);
        }
        metrics.batch(batch.partition(), batch.size(), System.nanoTime() - start);
        batch.counts().forEach(metrics::incoming);
        sender.complete();
    }

    /**
     * Releases the offsets of every batch completed in order, and reports a failed one.
     *
     * @throws BatchFailedException when a batch's output could not be produced
     */
    public void harvest() {
        InFlightBatch failed = tracker.harvest(done -> {
            metrics.produced(done.batch().partition(), System.nanoTime() - done.producedNanos());
            metrics.outgoing(done.acks());
            completed.putAll(done.batch().commitOffsets());
        });
        if (failed != null) {
            metrics.outgoing(failed.acks());
            throw failure(failed.batch(), "output could not be produced", failed.failure());
        }
    }

    /** Returns and forgets the offsets released by {@link #harvest()} since the last call. */
    public Map<TopicPartition, OffsetAndMetadata> drainReleasable() {
        return tracker.drainReleasable();
    }

    /** Puts offsets of a failed commit back for the next attempt, unless newer ones were released meanwhile. */
    public void restore(Map<TopicPartition, OffsetAndMetadata> offsets) {
        tracker.restore(offsets);
    }

    /** Returns the highest offsets released so far per topic-partition (committed or not). */
    public Map<TopicPartition, OffsetAndMetadata> completedOffsets() {
        return Map.copyOf(completed);
    }

    /** Returns the number of batches of {@code partition} awaiting acknowledgement or an earlier batch. */
    public int inFlight(int partition) {
        return tracker.inFlight(partition);
    }

    /** Returns whether no batch awaits acknowledgement. */
    public boolean isIdle() {
        return tracker.isEmpty();
    }

    /**
     * Waits until every batch in flight has completed or failed.
     *
     * @param timeout the longest wait
     * @return whether all completed in time
     * @throws InterruptedException when interrupted while waiting
     */
    public boolean awaitAll(Duration timeout) throws InterruptedException {
        return tracker.awaitAll(timeout);
    }

    /**
     * Waits until every batch in flight of the given partitions has completed or failed.
     *
     * @param partitions partition numbers
     * @param timeout the longest wait
     * @return whether all completed in time
     * @throws InterruptedException when interrupted while waiting
     */
    public boolean await(Set<Integer> partitions, Duration timeout) throws InterruptedException {
        return tracker.await(partitions, timeout);
    }

    /**
     * Forgets everything of the given partitions (batches in flight, offsets not yet committed): this instance no
     * longer owns them, and their uncommitted input will be processed again by the next owner.
     *
     * @param partitions partition numbers
     */
    public void forget(Set<Integer> partitions) {
        tracker.forget(partitions);
        completed.keySet().removeIf(tp -> partitions.contains(tp.partition()));
    }

    private BatchFailedException failure(Batch batch, String what, Throwable cause) {
        return new BatchFailedException("TopicProcessor '" + processorName + "': " + what + " on " + batch
                + "; nothing of it was committed: " + cause, batch.partition(), batch.offsetRanges(), cause);
    }

    /** Removes the batch metrics from the registry. */
    @Override
    public void close() {
        metrics.close();
    }
}
