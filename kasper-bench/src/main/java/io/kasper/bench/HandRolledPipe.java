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
        return start(env, group, input, output, commit, osReceiveBuffer, 1);
    }

    /**
     * Starts the loop on {@code threads} threads, as a user scales a hand-written loop out within one JVM: each thread
     * runs a loop of its own (its own consumer and producer) over its share of the partitions ({@link #share}).
     */
    public static RunningPipeline start(Env env, String group, String input, String output, LoopCommit commit,
            boolean osReceiveBuffer, int threads) {
        return new RunningPipeline("hand-rolled-pipe", threads, member -> stop -> {
            Properties consumerProps = env.consumerProps(group);
            if (osReceiveBuffer) {
                consumerProps.put(ConsumerConfig.RECEIVE_BUFFER_CONFIG, -1);
            }
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps);
                    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(env.producerProps())) {
                consumer.assign(share(input, env.options().partitions(), member, threads));
                HandRolledLoop.run(stop, consumer, producer, commit, (records, onSent) -> {
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        producer.send(new ProducerRecord<>(output, r.partition(), r.key(), r.value()), onSent);
                    }
                });
            }
        }, null);
    }

    /**
     * Returns the partitions of a topic (0..count-1) that member {@code member} of {@code members} takes: every
     * partition p with p % members == member, so that the members' shares differ by at most one partition.
     */
    static List<TopicPartition> share(String topic, int count, int member, int members) {
        List<TopicPartition> list = new ArrayList<>();
        for (int p = member; p < count; p += members) {
            list.add(new TopicPartition(topic, p));
        }
        return list;
    }

    /** Returns partitions 0..count-1 of a topic. */
    static List<TopicPartition> partitions(String topic, int count) {
        return share(topic, count, 0, 1);
    }
}
