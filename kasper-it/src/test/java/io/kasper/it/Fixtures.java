package io.kasper.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.kasper.TopicProcessorConfig;
import io.kasper.test.KafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Names, records and configs shared by the integration tests. */
final class Fixtures {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private Fixtures() {
    }

    /** Returns a name no other test of this run uses. */
    static String unique(String prefix) {
        return prefix + "-" + SEQUENCE.incrementAndGet() + "-" + Long.toString(System.nanoTime() % 1_000_000, 36);
    }

    static ProducerRecord<byte[], byte[]> record(String topic, int partition, String key, String value) {
        return new ProducerRecord<>(topic, partition, key == null ? null : key.getBytes(UTF_8), value.getBytes(UTF_8));
    }

    /** {@code count} records "v0".."v{count-1}" spread round-robin over the partitions. */
    static List<ProducerRecord<byte[], byte[]>> spread(String topic, int partitions, int count, String prefix) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            records.add(record(topic, i % partitions, "k" + i, prefix + i));
        }
        return records;
    }

    static String value(ConsumerRecord<byte[], byte[]> record) {
        return new String(record.value(), UTF_8);
    }

    static TopicProcessorConfig.Builder config(KafkaBroker broker, String name, List<String> topics,
            List<Integer> partitions) {
        return TopicProcessorConfig.builder().topicProcessorName(name).bootstrapServers(broker.bootstrapServers())
                .inputTopics(topics).inputPartitions(partitions).batchWaitDuration(Duration.ofMillis(200))
                .closeTimeout(Duration.ofSeconds(20))
                .producerProperty("delivery.timeout.ms", 20_000).producerProperty("request.timeout.ms", 10_000);
    }

    static List<Integer> range(int n) {
        List<Integer> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(i);
        }
        return list;
    }
}
