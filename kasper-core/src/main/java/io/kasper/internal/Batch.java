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
    private final long bytes;

    Batch(int partition, List<ConsumerRecord<byte[], byte[]>> records) {
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
        perTopic.forEach((topic, stats) -> {
            TopicPartition tp = new TopicPartition(topic, partition);
            r.put(tp, new OffsetRange(stats[0], stats[1]));
            c.put(tp, stats[2]);
        });
        this.ranges = Collections.unmodifiableMap(r);
        this.counts = Collections.unmodifiableMap(c);
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
