package io.kasper.internal;

import io.kasper.OffsetRange;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * One closed batch: the messages of every input topic for one partition number, in offset order per topic-partition,
 * with the offsets to commit once its output is acknowledged. Immutable, thread-safe.
 */
public final class Batch {

    private final int partition;
    private final List<ConsumerRecord<byte[], byte[]>> records;
    private final Map<TopicPartition, OffsetRange> ranges;
    private final Map<TopicPartition, Long> counts;

    Batch(int partition, List<ConsumerRecord<byte[], byte[]>> records) {
        this.partition = partition;
        this.records = Collections.unmodifiableList(records);
        Map<TopicPartition, OffsetRange> r = new LinkedHashMap<>();
        Map<TopicPartition, Long> c = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            TopicPartition tp = new TopicPartition(record.topic(), record.partition());
            c.merge(tp, 1L, Long::sum);
            OffsetRange existing = r.get(tp);
            r.put(tp, existing == null ? new OffsetRange(record.offset(), record.offset())
                    : new OffsetRange(existing.first(), record.offset()));
        }
        this.ranges = Collections.unmodifiableMap(r);
        this.counts = Collections.unmodifiableMap(c);
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

    /** Returns the offsets to commit after this batch: the last offset + 1 per input topic-partition. */
    public Map<TopicPartition, OffsetAndMetadata> commitOffsets() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
        ranges.forEach((tp, range) -> offsets.put(tp, new OffsetAndMetadata(range.last() + 1)));
        return offsets;
    }

    @Override
    public String toString() {
        return "batch of partition " + partition + " (" + records.size() + " messages, offsets " + ranges + ")";
    }
}
