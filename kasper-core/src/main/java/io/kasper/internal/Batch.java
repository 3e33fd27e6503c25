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
final class Batch {

    private final int partition;
    private final List<ConsumerRecord<byte[], byte[]>> records;
    private final Map<TopicPartition, OffsetRange> ranges;
    private final Map<TopicPartition, Long> counts;
    private final Map<TopicPartition, OffsetAndMetadata> commitOffsets;
    private final long bytes;
    private final int size;

    /**
     * Creates a batch of messages that come without their stats (one pass over them computes those); its offsets to
     * commit are the last offset + 1 per topic-partition.
     */
    Batch(int partition, List<ConsumerRecord<byte[], byte[]>> records) {
        this(partition, records, scan(records), (tp, last) -> -1L);
    }

    /**
     * Creates a batch from what its assembler already knows, without another pass over the messages.
     *
     * @param stats the messages' bytes and, per topic in order of first appearance, {first offset, last offset,
     *     count}
     * @param tailPosition given a topic-partition and its last offset in this batch, the consumer's position when no
     *     later record of it has been fetched (the offsets in between are undeliverable), else -1
     */
    Batch(int partition, List<ConsumerRecord<byte[], byte[]>> records, Stats stats,
            ToLongBiFunction<TopicPartition, Long> tailPosition) {
        this.partition = partition;
        this.records = Collections.unmodifiableList(records);
        Map<TopicPartition, OffsetRange> r = new LinkedHashMap<>();
        Map<TopicPartition, Long> c = new LinkedHashMap<>();
        Map<TopicPartition, OffsetAndMetadata> next = new LinkedHashMap<>();
        stats.perTopic.forEach((topic, run) -> {
            TopicPartition tp = new TopicPartition(topic, partition);
            r.put(tp, new OffsetRange(run[0], run[1]));
            c.put(tp, run[2]);
            // never below last + 1: a position that moved backwards (a seek, an offset reset) proves nothing
            next.put(tp, new OffsetAndMetadata(Math.max(run[1] + 1, tailPosition.applyAsLong(tp, run[1]))));
        });
        this.ranges = Collections.unmodifiableMap(r);
        this.counts = Collections.unmodifiableMap(c);
        this.commitOffsets = Collections.unmodifiableMap(next);
        this.bytes = stats.bytes;
        this.size = records.size();
    }

    /** Computes the stats of messages that come without them: one pass over the messages. */
    private static Stats scan(List<ConsumerRecord<byte[], byte[]>> records) {
        Stats stats = new Stats();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            stats.add(record.topic(), record.offset(), record.offset(), 1);
            stats.addBytes(RecordSizes.of(record));
        }
        return stats;
    }

    /**
     * What a batch derives from its messages: their bytes, and per topic {first offset, last offset, count}. Filled
     * run by run (messages of one topic in offset order); every message of a batch shares the partition number.
     */
    static final class Stats {
        private final Map<String, long[]> perTopic = new LinkedHashMap<>();
        private long bytes;
        /** The last run's topic and entry: consecutive runs are mostly of one topic, so most skip the map. */
        private String lastTopic;
        private long[] last;

        /** Adds a run of {@code count} messages of {@code topic} from offset {@code first} to {@code lastOffset}. */
        void add(String topic, long first, long lastOffset, long count) {
            if (!topic.equals(lastTopic)) {
                lastTopic = topic;
                last = perTopic.computeIfAbsent(topic, t -> new long[] {first, first, 0});
            }
            last[1] = lastOffset;
            last[2] += count;
        }

        /** Adds the bytes of messages. */
        void addBytes(long more) {
            bytes += more;
        }

        long bytes() {
            return bytes;
        }
    }

    /** A copy of {@code batch} without its messages. */
    private Batch(Batch batch) {
        this.partition = batch.partition;
        this.records = List.of();
        this.ranges = batch.ranges;
        this.counts = batch.counts;
        this.commitOffsets = batch.commitOffsets;
        this.bytes = batch.bytes;
        this.size = batch.size;
    }

    /**
     * Returns this batch without its messages (an empty {@link #records()}), everything else unchanged: what a batch
     * awaiting acknowledgement keeps, so that its input becomes garbage once the processor has returned instead of
     * surviving garbage collections until the last acknowledgement.
     */
    Batch withoutRecords() {
        return records.isEmpty() ? this : new Batch(this);
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

    /** Returns the number of messages (also after {@link #withoutRecords()}). */
    public int size() {
        return size;
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
        return "batch of partition " + partition + " (" + size + " messages, offsets " + ranges + ")";
    }
}
