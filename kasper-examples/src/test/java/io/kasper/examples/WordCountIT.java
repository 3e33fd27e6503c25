package io.kasper.examples;

import static io.kasper.examples.ExampleTopics.latestByKey;
import static io.kasper.examples.ExampleTopics.settings;
import static io.kasper.examples.ExampleTopics.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.kasper.redis.RedisStore;
import io.kasper.redis.RedisStoreConfig;
import io.kasper.store.Codec;
import io.kasper.store.memory.InMemoryStore;
import io.kasper.store.TypedStore;
import io.kasper.test.KafkaBroker;
import io.kasper.test.RedisServer;
import io.kasper.test.KafkaBrokerExtension;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import io.kasper.test.RunningTopicProcessor;

@ExtendWith(KafkaBrokerExtension.class)
class WordCountIT {

    @Test
    void storeAndOutputTopicHoldExactlyTheCountsOfTheInputWords(KafkaBroker broker) throws Exception {
        List<String> lines = List.of("the cat and the hat", "The CAT sat.", "a hat, a cat; a bat!");
        TypedStore<Long> store = new TypedStore<>(new InMemoryStore("word-counts"), Codec.int64());

        Map<String, Long> fromTopic = countWords(broker, lines, store);

        Map<String, Long> expected = Map.of("the", 3L, "cat", 3L, "and", 1L, "hat", 2L, "sat", 1L, "a", 3L,
                "bat", 1L);
        assertThat(store.getAll(expected.keySet())).isEqualTo(expected);
        assertThat(fromTopic).isEqualTo(expected);
    }

    @Test
    void countsManyLinesInManyBatchesLikeTheDirectCount(KafkaBroker broker) throws Exception {
        List<String> lines = SampleText.lines(3_000);
        TypedStore<Long> store = new TypedStore<>(new InMemoryStore("word-counts"), Codec.int64());

        Map<String, Long> fromTopic = countWords(broker, lines, store);

        Map<String, Long> expected = new TreeMap<>(WordCount.countWords(lines));
        assertThat(store.getAll(expected.keySet())).isEqualTo(expected);
        assertThat(fromTopic).isEqualTo(expected);
    }

    @Test
    void countsExactlyWithARedisStore(KafkaBroker broker) throws Exception {
        List<String> lines = SampleText.lines(2_000);

        try (RedisServer redis = RedisServer.start();
                RedisStore redisStore = RedisStore.create(RedisStoreConfig.builder().name("word-counts")
                        .uri(redis.uri()).prefix("wc").build())) {
            TypedStore<Long> store = new TypedStore<>(redisStore, Codec.int64());
            Map<String, Long> fromTopic = countWords(broker, lines, store);
            Map<String, Long> expected = new TreeMap<>(WordCount.countWords(lines));
            assertThat(store.getAll(expected.keySet())).isEqualTo(expected);
            assertThat(fromTopic).isEqualTo(expected);
            assertThat(redisStore.get("the")).as("the count as an 8-byte big-endian long")
                    .isEqualTo(ByteBuffer.allocate(Long.BYTES).putLong(expected.get("the")).array());
        }
    }

    /**
     * Produces the lines to a fresh three-partition topic, runs WordCount over it with the store until it consumed
     * them all, and returns the latest count of each word in its output topic.
     */
    private static Map<String, Long> countWords(KafkaBroker broker, List<String> lines, TypedStore<Long> store)
            throws Exception {
        String in = unique("lines");
        String out = unique("counts");
        broker.createTopic(in, 3);
        broker.createTopic(out, 3);
        LineProducer.produce(broker.bootstrapServers(), in, 3, lines);
        try (RunningTopicProcessor running = RunningTopicProcessor.start(
                WordCount.create(settings(broker, unique("word-count"), 3), in, out, store))) {
            running.awaitConsumedAll(Duration.ofSeconds(60));
        }
        Map<String, Long> fromTopic = new TreeMap<>();
        latestByKey(broker.readAll(out)).forEach((word, count) -> fromTopic.put(word, Long.parseLong(count)));
        return fromTopic;
    }
}
