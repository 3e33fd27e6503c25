package io.kasper.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.kasper.DeserializingProcessor;
import io.kasper.MessageProcessor;
import io.kasper.TopicProcessorConfig;
import io.kasper.store.Codec;
import io.kasper.store.memory.InMemoryStore;
import io.kasper.store.TypedStore;
import io.kasper.test.TopicProcessorTestDriver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/** The word-count example without a broker, on the test driver; the README's unit-testing blocks come from here. */
class WordCountTest {

    private final TypedStore<Long> counts = new TypedStore<>(new InMemoryStore("word-counts"), Codec.int64());
    private final MessageProcessor wordCount = new DeserializingProcessor<>(new StringDeserializer(),
            new StringDeserializer(), new WordCount(counts, "word-counts"));
    private final TopicProcessorConfig config = TopicProcessorConfig.builder()
            .topicProcessorName("wc")
            .bootstrapServers("kafka.invalid:9092")          // the driver never connects
            .inputTopics("lines")
            .inputPartitions(0, 1)
            .batchSize(2)
            .batchWaitDuration(Duration.ofSeconds(1))
            .maxUncommittedBatches(2)
            .build();

    @Test
    void countsFullBatchesAtOnceAndPartialOnesWhenTheyAreDueThenCommitsThem() {
        // tag::test-driver[]
        try (TopicProcessorTestDriver driver = new TopicProcessorTestDriver(config, p -> wordCount)) {
            driver.pipeInput("lines", 0, "k", "a b");
            driver.pipeInput("lines", 0, "k", "b");             // batchSize 2: processed now
            driver.pipeInput("lines", 1, "k", "c");
            driver.advanceTime(config.batchWaitDuration());     // closes partial batches by age
            List<ProducerRecord<byte[], byte[]>> out = driver.readOutput("word-counts");
            Map<TopicPartition, Long> committed = driver.committedOffsets();
            assertThat(latestByWord(out)).isEqualTo(Map.of("a", "1", "b", "2", "c", "1"));
            assertThat(committed).isEqualTo(Map.of(new TopicPartition("lines", 0), 2L,
                    new TopicPartition("lines", 1), 1L));
        }
        // end::test-driver[]
        assertThat(counts.getAll(List.of("a", "b", "c"))).isEqualTo(Map.of("a", 1L, "b", 2L, "c", 1L));
    }

    @Test
    void holdsBackAPartitionWithMaxUncommittedBatchesUntilItsBatchesAreCommitted() {
        try (TopicProcessorTestDriver driver = new TopicProcessorTestDriver(config, p -> wordCount)) {
            // tag::hold-commits[]
            driver.holdCommits();                  // processed batches stay uncommitted until commit()
            for (String line : List.of("a", "b", "c", "d", "e", "f")) {
                driver.pipeInput("lines", 0, "k", line);       // batchSize 2, maxUncommittedBatches 2
            }
            int outstanding = driver.uncommittedBatches(0);    // 2: the third batch waits
            driver.commit();                       // commits, then processes the batches that now have room
            // end::hold-commits[]
            assertThat(outstanding).isEqualTo(2);
            assertThat(driver.processedBatches()).hasSize(3);
            assertThat(driver.uncommittedBatches(0)).isEqualTo(1);
            assertThat(driver.committedOffsets()).isEqualTo(Map.of(new TopicPartition("lines", 0), 4L));
        }
        assertThat(counts.getAll(List.of("a", "f"))).isEqualTo(Map.of("a", 1L, "f", 1L));
    }

    private static Map<String, String> latestByWord(List<ProducerRecord<byte[], byte[]>> records) {
        Map<String, String> latest = new TreeMap<>();
        records.forEach(r -> latest.put(new String(r.key(), UTF_8), new String(r.value(), UTF_8)));
        return latest;
    }
}
