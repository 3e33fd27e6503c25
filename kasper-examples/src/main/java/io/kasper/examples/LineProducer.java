package io.kasper.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The producer example: feeds lines of text to a topic with a plain {@link KafkaProducer}, acks=all.
 *
 * <p>Line i goes to partition {@code i % partitions}, keyed by its line number, so every partition gets input and the
 * order of lines within a partition is their order in the list.
 *
 * <p>Thread-safety: stateless, so thread-safe; each call uses its own producer.
 */
public final class LineProducer {

    private LineProducer() {
    }

    /**
     * Produces every line and returns once each one is acknowledged by all in-sync replicas.
     *
     * @param bootstrapServers the Kafka bootstrap servers
     * @param topic an existing topic
     * @param partitions how many of the topic's partitions to spread the lines over, at least 1
     * @param lines the lines to produce, in order
     * @return how many records were acknowledged (the number of lines)
     * @throws IllegalArgumentException when {@code partitions} is below 1
     * @throws IllegalStateException when a record is not acknowledged; its cause says why
     */
    public static int produce(String bootstrapServers, String topic, int partitions, List<String> lines) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties(bootstrapServers))) {
            List<Future<RecordMetadata>> acks = new ArrayList<>(lines.size());
            for (int i = 0; i < lines.size(); i++) {
                acks.add(producer.send(new ProducerRecord<>(topic, i % partitions, Integer.toString(i), lines.get(i))));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get();
            }
            return acks.size();
        } catch (ExecutionException e) {
            throw new IllegalStateException("producing to " + topic + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while producing to " + topic, e);
        }
    }

    private static Properties properties(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        // acks=all and idempotence: a line is in the topic exactly once, on every in-sync replica, when get() returns
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return props;
    }
}
