package io.kasper.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Duration;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Counts a pass-through's output as a read_committed consumer sees it: records, and distinct input records among
 * them (the pass-through input's keys are {@code k<i>}, i below N). Under exactly-once the end offsets also count
 * transaction markers, so they cannot tell duplicates; this count can: duplicates = records - distinct, lost = N -
 * distinct.
 */
final class CommittedOutput {

    private static final Duration READ_TIMEOUT = Duration.ofMinutes(2);

    /**
     * The counts of one read.
     *
     * @param records committed records read
     * @param distinct distinct input keys among them
     */
    record Count(long records, long distinct) {

        /** Returns the records read beyond the first copy of each input record. */
        long duplicates() {
            return records - distinct;
        }
    }

    private CommittedOutput() {
    }

    /**
     * Reads a topic from the beginning with a read_committed consumer until it has seen {@code expected} distinct
     * input records and reached the last stable offsets. The last stable offsets are read again while records are
     * missing: the broker writes a committed transaction's markers to the output partitions after the commit that
     * made the input offsets visible, so a read started at that moment can stop short of output that is committed.
     *
     * @return what was read; after 2 minutes without getting there, what was read by then
     * @throws IllegalStateException if a key is not of the form {@code k<i>}
     */
    static Count count(Env env, String topic, long expected) {
        Properties props = env.consumerProps(null);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = HandRolledPipe.partitions(topic, env.options().partitions());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // under read_committed the end offsets are the last stable offsets: nothing past them is readable yet
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions));
            BitSet seen = new BitSet(env.options().records());
            long records = 0;
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (seen.cardinality() < expected
                    || partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    return new Count(records, seen.cardinality());
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    records++;
                    seen.set(index(r.key()));
                }
                if (seen.cardinality() < expected
                        && partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp))) {
                    end.putAll(consumer.endOffsets(partitions));
                }
            }
            return new Count(records, seen.cardinality());
        }
    }

    private static int index(byte[] key) {
        String k = key == null ? "null" : new String(key, UTF_8);
        try {
            return Integer.parseInt(k.substring(1));
        } catch (RuntimeException e) {
            throw new IllegalStateException("output key " + k + " is not of the input's form k<i>", e);
        }
    }
}
