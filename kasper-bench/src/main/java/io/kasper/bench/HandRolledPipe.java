package io.kasper.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
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
        return start(env, group, input, output, commit, false);
    }

    /**
     * Starts the loop as {@link #start(Env, String, String, String, LoopCommit)}; with {@code osReceiveBuffer} its
     * consumer has Kasper's {@code receive.buffer.bytes} of -1 (the OS's self-tuning buffer) instead of Kafka's 64 KiB,
     * which shows what that one setting is worth to the loop.
     */
    public static RunningPipeline start(Env env, String group, String input, String output, LoopCommit commit,
            boolean osReceiveBuffer) {
        Properties consumerProps = env.consumerProps(group);
        if (osReceiveBuffer) {
            consumerProps.put(ConsumerConfig.RECEIVE_BUFFER_CONFIG, -1);
        }
        return new RunningPipeline("hand-rolled-pipe", stop -> {
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps);
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
