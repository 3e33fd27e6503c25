package io.kasper.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Duration;
import java.util.BitSet;
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
     * Reads a topic from the beginning to its last stable offset with a read_committed consumer.
     *
     * @throws IllegalStateException if the read does not reach the last stable offsets within 2 minutes, or a key is
     *     not of the form {@code k<i>}
     */
    static Count count(Env env, String topic) {
        Properties props = env.consumerProps(null);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = HandRolledPipe.partitions(topic, env.options().partitions());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // under read_committed the end offsets are the last stable offsets: nothing past them is readable yet
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            BitSet seen = new BitSet(env.options().records());
            long records = 0;
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("read_committed read of " + topic + " did not reach " + end
                            + " within " + READ_TIMEOUT + " (" + records + " records read)");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    records++;
                    seen.set(index(r.key()));
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
