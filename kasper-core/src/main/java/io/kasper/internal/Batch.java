package io.kasper.internal;

import io.kasper.OffsetRange;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongBiFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * One closed batch: the messages of every input topic for one partition number, in offset order per topic-partition,
 * with the offsets to commit once its output is acknowledged. Immutable, thread-safe.
 *
 * <p>The offset to commit for a topic-partition is normally its last offset + 1. When the batch holds the last record
 * fetched so far of that topic-partition, it is the consumer's position instead: every offset between the two is one
 * the consumer skipped as undeliverable (a transaction marker, a record of an aborted transaction, an offset compacted
 * away), so committing the position loses nothing and keeps the committed offset from stopping short of the end.
 */
public final class Batch {

    private final int partition;
    private final List<ConsumerRecord<byte[], byte[]>> records;
    private final Map<TopicPartition, OffsetRange> ranges;
    private final Map<TopicPartition, Long> counts;
    private final Map<TopicPartition, OffsetAndMetadata> commitOffsets;
    private final long bytes;

    /** Creates a batch whose offsets to commit are the last offset + 1 per topic-partition. */
    Batch(int partition, List<ConsumerRecord<byte[], byte[]>> records) {
        this(partition, records, (tp, last) -> -1L);
    }

    /**
     * Creates a batch.
     *
     * @param tailPosition given a topic-partition and its last offset in this batch, the consumer's position when no
     *     later record of it has been fetched (the offsets in between are undeliverable), else -1
     */
    Batch(int partition, List<ConsumerRecord<byte[], byte[]>> records,
            ToLongBiFunction<TopicPartition, Long> tailPosition) {
        this.partition = partition;
        this.records = Collections.unmodifiableList(records);
        // Per topic {first offset, last offset, count}; every record of a batch shares the partition number, and
        // records come in runs of one topic, so this avoids a TopicPartition and map lookup per record.
        Map<String, long[]> perTopic = new LinkedHashMap<>();
        String runTopic = null;
        long[] run = null;
        long size = 0;
        for (ConsumerRecord<byte[], byte[]> record : records) {
            size += RecordSizes.of(record);
            if (!record.topic().equals(runTopic)) {
                runTopic = record.topic();
                run = perTopic.computeIfAbsent(runTopic, t -> new long[] {record.offset(), record.offset(), 0});
            }
            run[1] = record.offset();
            run[2]++;
        }
        Map<TopicPartition, OffsetRange> r = new LinkedHashMap<>();
        Map<TopicPartition, Long> c = new LinkedHashMap<>();
        Map<TopicPartition, OffsetAndMetadata> next = new LinkedHashMap<>();
        perTopic.forEach((topic, stats) -> {
            TopicPartition tp = new TopicPartition(topic, partition);
            r.put(tp, new OffsetRange(stats[0], stats[1]));
            c.put(tp, stats[2]);
            // never below last + 1: a position that moved backwards (a seek, an offset reset) proves nothing
            next.put(tp, new OffsetAndMetadata(Math.max(stats[1] + 1, tailPosition.applyAsLong(tp, stats[1]))));
        });
        this.ranges = Collections.unmodifiableMap(r);
        this.counts = Collections.unmodifiableMap(c);
        this.commitOffsets = Collections.unmodifiableMap(next);
        this.bytes = size;
    }

    /** Returns the bytes of the messages: key + value + header bytes, as counted by the memory budget. */
    public long bytes() {
        return bytes;
    }

    /** Returns the number of messages per input topic-partition. */
    public Map<TopicPartition, Long> counts() {
        return counts;
    }

    /** Returns the partition number shared by every message of the batch. */
    public int partition() {
        return partition;
    }

    /** Returns the messages, unmodifiable. */
    public List<ConsumerRecord<byte[], byte[]>> records() {
        return records;
    }

    /** Returns the number of messages. */
    public int size() {
        return records.size();
    }

    /** Returns the first and last offset per input topic-partition. */
    public Map<TopicPartition, OffsetRange> offsetRanges() {
        return ranges;
    }

    /**
     * Returns the offsets to commit after this batch per input topic-partition: the last offset + 1, or the consumer's
     * position past it when this batch holds the last record fetched so far (see the class comment); unmodifiable.
     */
    public Map<TopicPartition, OffsetAndMetadata> commitOffsets() {
        return commitOffsets;
    }

    @Override
    public String toString() {
        return "batch of partition " + partition + " (" + records.size() + " messages, offsets " + ranges + ")";
    }
}
