package io.kasper.bench;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The hand-rolled at-least-once pass-through ({@link HandRolledLoop}): poll (10,000) → send each → producer.flush() →
 * commit, the commit synchronous or asynchronous ({@link LoopCommit}).
 */
public final class HandRolledPipe {

    private HandRolledPipe() {
    }

    /** Starts the loop on every partition of {@code input} (static assignment), copying to the same partition. */
    public static RunningPipeline start(Env env, String group, String input, String output, LoopCommit commit) {
        return new RunningPipeline("hand-rolled-pipe", stop -> {
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(env.consumerProps(group));
                    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(env.producerProps())) {
                consumer.assign(partitions(input, env.options().partitions()));
                HandRolledLoop.run(stop, consumer, producer, commit, (records, onSent) -> {
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        producer.send(new ProducerRecord<>(output, r.partition(), r.key(), r.value()), onSent);
                    }
                });
            }
        }, null);
    }

    /** Returns partitions 0..count-1 of a topic. */
    static List<TopicPartition> partitions(String topic, int count) {
        List<TopicPartition> list = new ArrayList<>();
        for (int p = 0; p < count; p++) {
            list.add(new TopicPartition(topic, p));
        }
        return list;
    }
}
