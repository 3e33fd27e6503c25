package io.kasper.redis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.kasper.BatchFailedException;
import io.kasper.MessageProcessor;
import io.kasper.TopicProcessor;
import io.kasper.TopicProcessorConfig;
import io.kasper.store.Store;
import io.kasper.store.StoreException;
import io.kasper.test.KafkaBroker;
import io.kasper.test.KafkaBrokerExtension;
import io.kasper.test.RedisServer;
import io.kasper.test.RunningTopicProcessor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Word count through TopicProcessor + RedisStore on a real broker and a real redis-server. */
@ExtendWith(KafkaBrokerExtension.class)
class RedisWordCountIT {

    private static final AtomicInteger SEQ = new AtomicInteger();

    /** Adds the batch's word counts to the store with one getAll and one putAll, and echoes each line id. */
    private static MessageProcessor wordCounter(Store counts, String echoTopic) {
        return (messages, sender) -> {
            Map<String, Long> delta = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> m : messages) {
                for (String word : new String(m.value(), UTF_8).split(" ")) {
                    delta.merge(word, 1L, Long::sum);
                }
                if (echoTopic != null) {
                    sender.send(new ProducerRecord<>(echoTopic, m.partition(), m.key(), m.key()));
                }
            }
            Map<String, byte[]> current = counts.getAll(delta.keySet());
            Map<String, byte[]> updated = new HashMap<>();
            delta.forEach((word, n) -> {
                byte[] old = current.get(word);
                long total = (old == null ? 0 : Long.parseLong(new String(old, UTF_8))) + n;
                updated.put(word, Long.toString(total).getBytes(UTF_8));
            });
            counts.putAll(updated);
        };
    }

    private static List<ProducerRecord<byte[], byte[]>> lines(String topic, int partitions, int count,
            Map<String, Long> expected) {
        Random random = new Random(42);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StringBuilder line = new StringBuilder();
            for (int w = 0; w < 10; w++) {
                String word = "w" + (int) Math.floor(Math.pow(random.nextDouble(), 3) * 2_000);
                expected.merge(word, 1L, Long::sum);
                line.append(w == 0 ? "" : " ").append(word);
            }
            records.add(new ProducerRecord<>(topic, i % partitions, ("line-" + i).getBytes(UTF_8),
                    line.toString().getBytes(UTF_8)));
        }
        return records;
    }

    private static TopicProcessorConfig config(KafkaBroker broker, String name, String topic) {
        return TopicProcessorConfig.builder().topicProcessorName(name).bootstrapServers(broker.bootstrapServers())
                .inputTopics(topic).inputPartitions(0, 1, 2, 3).batchSize(500)
                .batchWaitDuration(Duration.ofMillis(200)).closeTimeout(Duration.ofSeconds(20)).build();
    }

    private static Map<String, Long> readWithLettuce(RedisServer redis, String prefix, Set<String> words) {
        RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            Map<String, Long> result = new HashMap<>();
            String[] keys = words.stream().map(w -> prefix + "/" + w).toArray(String[]::new);
            for (KeyValue<String, String> kv : connection.sync().mget(keys)) {
                if (kv.hasValue()) {
                    result.put(kv.getKey().substring(prefix.length() + 1), Long.parseLong(kv.getValue()));
                }
            }
            return result;
        } finally {
            client.shutdown();
        }
    }

    @Test
    void countsOneHundredThousandWordsExactlyAsReadBackByAnIndependentClient(KafkaBroker broker) throws Exception {
        String topic = "wc-lines-" + SEQ.incrementAndGet();
        broker.createTopic(topic, 4);
        Map<String, Long> expected = new HashMap<>();
        broker.produce(lines(topic, 4, 10_000, expected));
        assertThat(expected.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(100_000);

        try (RedisServer redis = RedisServer.start();
                RedisStore counts = RedisStore.create(RedisStoreConfig.builder().name("word-counts")
                        .uri(redis.uri()).prefix("wc").build())) {
            TopicProcessor processor = new TopicProcessor(config(broker, "wc-exact-" + SEQ.get(), topic),
                    p -> wordCounter(counts, null));
            try (RunningTopicProcessor running = RunningTopicProcessor.start(processor)) {
                running.awaitConsumedAll(Duration.ofSeconds(60));
            }

            assertThat(readWithLettuce(redis, "wc", expected.keySet())).isEqualTo(expected);
        }
    }

    @Test
    void redisKilledMidRunStopsTheProcessorWithStoreExceptionAndARestartLosesNoInput(KafkaBroker broker)
            throws Exception {
        String topic = "wc-kill-" + SEQ.incrementAndGet();
        String echo = "wc-kill-echo-" + SEQ.get();
        broker.createTopic(topic, 4);
        broker.createTopic(echo, 4);
        List<ProducerRecord<byte[], byte[]>> input = lines(topic, 4, 4_000, new HashMap<>());
        broker.produce(input);
        String name = "wc-kill-" + SEQ.get();

        try (RedisServer redis = RedisServer.start();
                RedisStore counts = RedisStore.create(RedisStoreConfig.builder().name("word-counts")
                        .uri(redis.uri()).prefix("wc").commandTimeout(Duration.ofSeconds(1)).build())) {
            CountDownLatch fourthBatch = new CountDownLatch(1);
            CountDownLatch killed = new CountDownLatch(1);
            AtomicInteger batches = new AtomicInteger();
            MessageProcessor counter = wordCounter(counts, echo);
            MessageProcessor killingOnFourthBatch = (messages, sender) -> {
                if (batches.incrementAndGet() == 4) {
                    fourthBatch.countDown();
                    killed.await(30, TimeUnit.SECONDS);
                }
                counter.process(messages, sender);
            };
            TopicProcessor first = new TopicProcessor(config(broker, name, topic), p -> killingOnFourthBatch);
            Throwable failure;
            try (RunningTopicProcessor running = RunningTopicProcessor.start(first)) {
                assertThat(fourthBatch.await(30, TimeUnit.SECONDS)).isTrue();
                redis.kill();
                killed.countDown();
                failure = running.awaitFailure(Duration.ofSeconds(60));
            }
            assertThat(failure).isInstanceOf(BatchFailedException.class).hasCauseInstanceOf(StoreException.class);
            assertThat(failure.getCause()).hasMessageContaining("store 'word-counts' (redis) getAll of");
            BatchFailedException batchFailure = (BatchFailedException) failure;
            TopicPartition failedTp = new TopicPartition(topic, batchFailure.partition());
            assertThat(broker.committedOffsets("kasper-topic-processor-" + name).getOrDefault(failedTp, 0L))
                    .as("nothing of the failed batch committed")
                    .isEqualTo(batchFailure.offsets().get(failedTp).first());

            redis.restart();
            TopicProcessor second = new TopicProcessor(config(broker, name, topic), p -> counter);
            try (RunningTopicProcessor running = RunningTopicProcessor.start(second)) {
                running.awaitConsumedAll(Duration.ofSeconds(60));
            }
        }

        Set<String> echoed = broker.readAll(echo).stream().map(r -> new String(r.value(), UTF_8))
                .collect(Collectors.toSet());
        assertThat(echoed).as("every input line reflected in the output")
                .isEqualTo(input.stream().map(r -> new String(r.key(), UTF_8)).collect(Collectors.toSet()));
    }
}
