package io.kasper.test;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kasper.BatchFailedException;
import io.kasper.MessageProcessor;
import io.kasper.OffsetRange;
import io.kasper.TopicProcessorConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Also the documented example of unit-testing a MessageProcessor with the driver. */
class TopicProcessorTestDriverTest {

    /** Example processor under test: counts words per batch and emits "word=count" per distinct word. */
    static final class WordCounter implements MessageProcessor {
        @Override
        public void process(List<ConsumerRecord<byte[], byte[]>> messages, io.kasper.Sender sender) {
            Map<String, Integer> counts = new java.util.TreeMap<>();
            for (ConsumerRecord<byte[], byte[]> m : messages) {
                for (String word : new String(m.value(), UTF_8).split("\\s+")) {
                    counts.merge(word, 1, Integer::sum);
                }
            }
            counts.forEach((word, n) -> sender.send(new ProducerRecord<>("word-counts", word.getBytes(UTF_8),
                    Integer.toString(n).getBytes(UTF_8))));
        }
    }

    private static TopicProcessorConfig config(int batchSize) {
        return TopicProcessorConfig.builder().topicProcessorName("wc").bootstrapServers("unused:9092")
                .inputTopics("lines", "more-lines").inputPartitions(0, 1).batchSize(batchSize)
                .batchWaitDuration(Duration.ofSeconds(1)).build();
    }

    private static List<String> values(List<ProducerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> new String(r.key(), UTF_8) + "=" + new String(r.value(), UTF_8)).toList();
    }

    @Test
    void processesAFullBatchAtOnceAndCommitsItsOffsets() {
        try (TopicProcessorTestDriver driver = new TopicProcessorTestDriver(config(2), p -> new WordCounter())) {
            driver.pipeInput("lines", 0, "k", "a b");
            assertThat(driver.readOutput("word-counts")).isEmpty();

            driver.pipeInput("lines", 0, "k", "b");

            assertThat(values(driver.readOutput("word-counts"))).containsExactly("a=1", "b=2");
            assertThat(driver.committedOffsets()).isEqualTo(Map.of(new TopicPartition("lines", 0), 2L));
        }
    }

    @Test
    void closesPartialBatchesOnlyWhenTheirOldestMessageHasWaitedLongEnough() {
        try (TopicProcessorTestDriver driver = new TopicProcessorTestDriver(config(100), p -> new WordCounter())) {
            driver.pipeInput("lines", 0, null, "x");
            driver.advanceTime(Duration.ofMillis(500));
            driver.pipeInput("more-lines", 1, null, "y");
            driver.advanceTime(Duration.ofMillis(499));
            assertThat(driver.processedBatches()).isEmpty();

            driver.advanceTime(Duration.ofMillis(1));
            assertThat(driver.processedBatches()).hasSize(1);
            driver.advanceTime(Duration.ofMillis(500));

            assertThat(driver.processedBatches()).hasSize(2);
            assertThat(driver.committedOffsets()).isEqualTo(Map.of(new TopicPartition("lines", 0), 1L,
                    new TopicPartition("more-lines", 1), 1L));
        }
    }

    @Test
    void groupsAllInputTopicsOfOnePartitionNumberIntoOneBatch() {
        try (TopicProcessorTestDriver driver = new TopicProcessorTestDriver(config(3), p -> new WordCounter())) {
            driver.pipeInput("lines", 1, null, "a");
            driver.pipeInput("lines", 0, null, "b");
            driver.pipeInput("more-lines", 1, null, "c");
            driver.pipeInput("lines", 1, null, "d");

            assertThat(driver.processedBatches()).hasSize(1);
            assertThat(driver.processedBatches().get(0)).extracting(ConsumerRecord::topic, ConsumerRecord::partition,
                    ConsumerRecord::offset).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("lines", 1, 0L),
                    org.assertj.core.groups.Tuple.tuple("more-lines", 1, 0L),
                    org.assertj.core.groups.Tuple.tuple("lines", 1, 1L));
        }
    }

    @Test
    void processorExceptionSurfacesAsRunLoopWouldThrowItAndNothingIsCommitted() {
        MessageProcessor failing = (messages, sender) -> {
            sender.send(new ProducerRecord<>("out", "partial".getBytes(UTF_8)));
            throw new IllegalArgumentException("bad record");
        };
        try (TopicProcessorTestDriver driver = new TopicProcessorTestDriver(config(2), p -> failing)) {
            driver.pipeInput("lines", 0, null, "a");

            assertThatThrownBy(() -> driver.pipeInput("lines", 0, null, "b"))
                    .isInstanceOf(BatchFailedException.class)
                    .hasMessageContaining("MessageProcessor threw")
                    .hasCauseInstanceOf(IllegalArgumentException.class)
                    .satisfies(e -> assertThat(((BatchFailedException) e).offsets())
                            .isEqualTo(Map.of(new TopicPartition("lines", 0), new OffsetRange(0, 1))));
            assertThat(driver.committedOffsets()).isEmpty();
            assertThat(driver.readOutput("out")).as("buffered output of a failed batch is discarded").isEmpty();
            assertThatThrownBy(() -> driver.pipeInput("lines", 0, null, "c"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("a batch failed earlier; a TopicProcessor would have stopped");
        }
    }

    @Test
    void rejectsInputOutsideTheConfiguredTopicsAndPartitions() {
        try (TopicProcessorTestDriver driver = new TopicProcessorTestDriver(config(2), p -> new WordCounter())) {
            assertThatThrownBy(() -> driver.pipeInput("other", 0, null, "a"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("topic 'other' is not one of inputTopics [lines, more-lines]");
            assertThatThrownBy(() -> driver.pipeInput("lines", 5, null, "a"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("partition 5 is not one of inputPartitions [0, 1]");
        }
    }

    @Test
    void rejectsPartitionWithoutProcessor() {
        Map<Integer, MessageProcessor> onlyZero = new HashMap<>();
        onlyZero.put(0, new WordCounter());

        assertThatThrownBy(() -> new TopicProcessorTestDriver(config(2), onlyZero))
                .isInstanceOf(io.kasper.InvalidConfigException.class)
                .hasMessage("every partition in inputPartitions [0, 1] needs a MessageProcessor, but the processors "
                        + "map has none for partitions [1]");
    }

    @Test
    void rejectsAGroupManagedConfigurationBecauseItHasNoPartitionsToDrive() {
        TopicProcessorConfig grouped = TopicProcessorConfig.builder().topicProcessorName("wc")
                .bootstrapServers("unused:9092").inputTopics("lines").groupManaged().build();

        assertThatThrownBy(() -> new TopicProcessorTestDriver(grouped, p -> new WordCounter()))
                .isInstanceOf(io.kasper.InvalidConfigException.class)
                .hasMessageContaining("TopicProcessorTestDriver needs static inputPartitions")
                .hasMessageContaining("'wc' is groupManaged()");
    }
}
