package io.kasper.it;

import static io.kasper.it.Fixtures.config;
import static io.kasper.it.Fixtures.range;
import static io.kasper.it.Fixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kasper.TopicProcessor;
import io.kasper.test.KafkaBroker;
import io.kasper.test.KafkaBrokerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import io.kasper.test.RunningTopicProcessor;

@ExtendWith(KafkaBrokerExtension.class)
class BatchingIT {

    @Test
    void eachBatchHoldsMessagesOfAllInputTopicsForOnePartitionNumberInOffsetOrder(KafkaBroker broker)
            throws Exception {
        String a = unique("batch-a");
        String b = unique("batch-b");
        broker.createTopic(a, 4);
        broker.createTopic(b, 4);
        broker.produce(Fixtures.spread(a, 4, 2_000, "a"));
        broker.produce(Fixtures.spread(b, 4, 1_000, "b"));
        List<List<ConsumerRecord<byte[], byte[]>>> batches = Collections.synchronizedList(new ArrayList<>());

        TopicProcessor processor = new TopicProcessor(
                config(broker, unique("batching"), List.of(a, b), range(4)).batchSize(1_000)
                        .batchWaitDuration(Duration.ofSeconds(1)).build(),
                p -> (messages, sender) -> batches.add(List.copyOf(messages)));
        try (RunningTopicProcessor run = RunningTopicProcessor.start(processor)) {
            await().atMost(Duration.ofSeconds(60)).until(processor::hasConsumedAllMessages);
        }

        assertThat(batches).allSatisfy(batch -> {
            assertThat(batch).isNotEmpty().hasSizeLessThanOrEqualTo(1_000);
            assertThat(batch.stream().map(ConsumerRecord::partition).distinct()).hasSize(1);
        });
        assertThat(batches.stream().anyMatch(batch -> batch.stream().map(ConsumerRecord::topic).distinct().count() == 2))
                .as("some batch joins both topics").isTrue();
        Map<TopicPartition, List<Long>> offsetsSeen = new HashMap<>();
        for (List<ConsumerRecord<byte[], byte[]>> batch : batches) {
            for (ConsumerRecord<byte[], byte[]> r : batch) {
                offsetsSeen.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), k -> new ArrayList<>())
                        .add(r.offset());
            }
        }
        assertThat(offsetsSeen).hasSize(8);
        offsetsSeen.forEach((tp, offsets) -> {
            List<Long> expected = new ArrayList<>();
            for (long o = 0; o < (tp.topic().equals(a) ? 500 : 250); o++) {
                expected.add(o);
            }
            assertThat(offsets).as("offsets of %s in delivery order", tp).isEqualTo(expected);
        });
    }

    @Test
    void closesBatchAtBatchSizeWithoutWaitingForTheDeadline(KafkaBroker broker) throws Exception {
        String topic = unique("size");
        broker.createTopic(topic, 1);
        broker.produce(Fixtures.spread(topic, 1, 35, "v"));
        List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
        String name = unique("size");

        TopicProcessor processor = new TopicProcessor(
                config(broker, name, List.of(topic), List.of(0)).batchSize(10)
                        .batchWaitDuration(Duration.ofMinutes(10)).build(),
                p -> (messages, sender) -> sizes.add(messages.size()));
        try (RunningTopicProcessor run = RunningTopicProcessor.start(processor)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> broker.committedOffsets("kasper-topic-processor-" + name)
                    .getOrDefault(new TopicPartition(topic, 0), -1L) == 30L);
            assertThat(sizes).containsExactly(10, 10, 10);
            assertThat(processor.hasConsumedAllMessages()).isFalse();
        }
    }

    @Test
    void closesPartialBatchWhenItsOldestMessageHasWaitedBatchWaitDuration(KafkaBroker broker) throws Exception {
        String topic = unique("age");
        broker.createTopic(topic, 2);
        broker.produce(Fixtures.spread(topic, 2, 7, "v"));
        Map<Integer, Integer> messagesPerPartition = new java.util.concurrent.ConcurrentHashMap<>();

        TopicProcessor processor = new TopicProcessor(
                config(broker, unique("age"), List.of(topic), List.of(0, 1)).batchSize(1_000)
                        .batchWaitDuration(Duration.ofMillis(300)).build(),
                p -> (messages, sender) -> messagesPerPartition.merge(p, messages.size(), Integer::sum));
        try (RunningTopicProcessor run = RunningTopicProcessor.start(processor)) {
            await().atMost(Duration.ofSeconds(30)).until(processor::hasConsumedAllMessages);
        }

        assertThat(messagesPerPartition).isEqualTo(Map.of(0, 4, 1, 3));
    }

    @Test
    void oneProcessorInstanceMayServeSeveralPartitions(KafkaBroker broker) throws Exception {
        String topic = unique("shared");
        broker.createTopic(topic, 3);
        broker.produce(Fixtures.spread(topic, 3, 300, "v"));
        Map<Integer, Integer> counts = new java.util.concurrent.ConcurrentHashMap<>();
        io.kasper.MessageProcessor shared = (messages, sender) ->
                counts.merge(messages.get(0).partition(), messages.size(), Integer::sum);

        TopicProcessor processor = new TopicProcessor(
                config(broker, unique("shared"), List.of(topic), range(3)).build(),
                Map.of(0, shared, 1, shared, 2, shared));
        try (RunningTopicProcessor run = RunningTopicProcessor.start(processor)) {
            await().atMost(Duration.ofSeconds(30)).until(processor::hasConsumedAllMessages);
        }

        assertThat(counts).isEqualTo(Map.of(0, 100, 1, 100, 2, 100));
        assertThat(counts.values().stream().collect(Collectors.summingInt(Integer::intValue))).isEqualTo(300);
    }
}
