package io.kasper.it;

import static io.kasper.it.Fixtures.config;
import static io.kasper.it.Fixtures.range;
import static io.kasper.it.Fixtures.unique;
import static io.kasper.it.Fixtures.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kasper.BatchFailedException;
import io.kasper.MessageProcessor;
import io.kasper.OffsetRange;
import io.kasper.TopicProcessor;
import io.kasper.test.KafkaBroker;
import io.kasper.test.KafkaBrokerExtension;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import io.kasper.test.RunningTopicProcessor;

@ExtendWith(KafkaBrokerExtension.class)
class DeliveryIT {

    /** Copies each input value to {@code output}, same partition number. */
    private static MessageProcessor copyTo(String output) {
        return (messages, sender) -> {
            for (ConsumerRecord<byte[], byte[]> m : messages) {
                sender.send(new ProducerRecord<>(output, m.partition(), m.key(), m.value()));
            }
        };
    }

    private static Map<String, Long> countByValue(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().collect(Collectors.groupingBy(Fixtures::value, Collectors.counting()));
    }

    @Test
    void copiesEveryInputToOutputAndCommitsUpToTheEnd(KafkaBroker broker) throws Exception {
        String in = unique("copy-in");
        String out = unique("copy-out");
        broker.createTopic(in, 6);
        broker.createTopic(out, 6);
        broker.produce(Fixtures.spread(in, 6, 20_000, "v"));
        String name = unique("copy");

        TopicProcessor processor = new TopicProcessor(
                config(broker, name, List.of(in), range(6)).batchSize(500).build(), p -> copyTo(out));
        try (RunningTopicProcessor run = RunningTopicProcessor.start(processor)) {
            await().atMost(Duration.ofSeconds(60)).until(processor::hasConsumedAllMessages);
        }

        Map<String, Long> counts = countByValue(broker.readAll(out));
        assertThat(counts).hasSize(20_000);
        assertThat(counts.values()).allMatch(c -> c == 1L);
        Map<TopicPartition, Long> committed = broker.committedOffsets("kasper-topic-processor-" + name);
        assertThat(committed).hasSize(6).allSatisfy((tp, offset) -> assertThat(offset).isEqualTo(20_000 / 6
                + (tp.partition() < 20_000 % 6 ? 1 : 0)));
    }

    @Test
    void failedProduceStopsTheLoopAndCommitsNothingOfThatBatch(KafkaBroker broker) throws Exception {
        String in = unique("nack-in");
        String out = unique("nack-out");
        broker.createTopic(in, 1);
        broker.createTopic(out, 1);
        broker.produce(Fixtures.spread(in, 1, 30, "v"));
        String name = unique("nack");
        AtomicInteger batchNumber = new AtomicInteger();

        MessageProcessor oversizedOnSecondBatch = (messages, sender) -> {
            boolean second = batchNumber.incrementAndGet() == 2;
            for (ConsumerRecord<byte[], byte[]> m : messages) {
                byte[] value = second ? new byte[20_000] : m.value();
                sender.send(new ProducerRecord<>(out, 0, m.key(), value));
            }
        };
        TopicProcessor processor = new TopicProcessor(
                config(broker, name, List.of(in), List.of(0)).batchSize(10)
                        .producerProperty("max.request.size", 10_000).build(),
                p -> oversizedOnSecondBatch);
        Throwable failure;
        try (RunningTopicProcessor run = RunningTopicProcessor.start(processor)) {
            failure = run.awaitFailure(Duration.ofSeconds(60));
        }

        assertThat(failure).isInstanceOf(BatchFailedException.class)
                .hasMessageContaining("output could not be produced")
                .hasMessageContaining("partition 0")
                .hasRootCauseInstanceOf(RecordTooLargeException.class);
        BatchFailedException batchFailure = (BatchFailedException) failure;
        assertThat(batchFailure.partition()).isZero();
        assertThat(batchFailure.offsets()).isEqualTo(Map.of(new TopicPartition(in, 0), new OffsetRange(10, 19)));
        assertThat(broker.committedOffsets("kasper-topic-processor-" + name))
                .isEqualTo(Map.of(new TopicPartition(in, 0), 10L));
    }

    @Test
    void exceptionInProcessStopsTheLoopAndARestartReprocessesOnlyTheFailedBatch(KafkaBroker broker)
            throws Exception {
        String in = unique("crash-in");
        String out = unique("crash-out");
        broker.createTopic(in, 4);
        broker.createTopic(out, 4);
        broker.produce(Fixtures.spread(in, 4, 4_000, "v"));
        String name = unique("crash");
        AtomicInteger batches = new AtomicInteger();
        AtomicReference<List<String>> failedBatchValues = new AtomicReference<>();

        MessageProcessor failsOnSeventhBatch = (messages, sender) -> {
            if (batches.incrementAndGet() == 7) {
                failedBatchValues.set(messages.stream().map(Fixtures::value).toList());
                // half of the batch is made durable before the failure: those become the only duplicates
                for (ConsumerRecord<byte[], byte[]> m : messages.subList(0, messages.size() / 2)) {
                    sender.send(new ProducerRecord<>(out, m.partition(), m.key(), m.value()));
                }
                sender.flush();
                throw new IllegalStateException("boom on batch 7");
            }
            copyTo(out).process(messages, sender);
        };
        TopicProcessor first = new TopicProcessor(
                config(broker, name, List.of(in), range(4)).batchSize(100).build(), p -> failsOnSeventhBatch);
        Throwable failure;
        try (RunningTopicProcessor run = RunningTopicProcessor.start(first)) {
            failure = run.awaitFailure(Duration.ofSeconds(60));
        }
        assertThat(failure).isInstanceOf(BatchFailedException.class)
                .hasMessageContaining("MessageProcessor threw")
                .hasMessageContaining("nothing of it was committed")
                .hasCauseInstanceOf(IllegalStateException.class);
        BatchFailedException batchFailure = (BatchFailedException) failure;
        assertThat(batchFailure.getCause()).hasMessage("boom on batch 7");
        OffsetRange failedRange = batchFailure.offsets().get(new TopicPartition(in, batchFailure.partition()));
        assertThat(failedRange.last() - failedRange.first() + 1).isEqualTo(failedBatchValues.get().size());
        long committedOfFailedPartition = broker.committedOffsets("kasper-topic-processor-" + name)
                .getOrDefault(new TopicPartition(in, batchFailure.partition()), 0L);
        assertThat(committedOfFailedPartition).isEqualTo(failedRange.first());

        TopicProcessor second = new TopicProcessor(
                config(broker, name, List.of(in), range(4)).batchSize(100).build(), p -> copyTo(out));
        try (RunningTopicProcessor run = RunningTopicProcessor.start(second)) {
            await().atMost(Duration.ofSeconds(60)).until(second::hasConsumedAllMessages);
        }

        Map<String, Long> counts = countByValue(broker.readAll(out));
        assertThat(counts.keySet()).as("every input reflected in the output")
                .isEqualTo(Fixtures.spread(in, 4, 4_000, "v").stream()
                        .map(r -> new String(r.value(), java.nio.charset.StandardCharsets.UTF_8))
                        .collect(Collectors.toSet()));
        Set<String> duplicates = counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
        assertThat(duplicates).as("duplicates come only from the failed batch")
                .hasSize(failedBatchValues.get().size() / 2)
                .isSubsetOf(new HashSet<>(failedBatchValues.get()));
    }

    @Test
    void restartResumesFromCommittedOffsets(KafkaBroker broker) throws Exception {
        String in = unique("resume-in");
        broker.createTopic(in, 2);
        broker.produce(Fixtures.spread(in, 2, 100, "first-"));
        String name = unique("resume");
        Set<String> seenFirst = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Set<String> seenSecond = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Function<Set<String>, MessageProcessor> recorder = seen -> (messages, sender) ->
                messages.forEach(m -> seen.add(value(m)));

        TopicProcessor first = new TopicProcessor(config(broker, name, List.of(in), range(2)).build(),
                p -> recorder.apply(seenFirst));
        try (RunningTopicProcessor run = RunningTopicProcessor.start(first)) {
            await().atMost(Duration.ofSeconds(30)).until(first::hasConsumedAllMessages);
        }
        broker.produce(Fixtures.spread(in, 2, 50, "second-"));
        TopicProcessor second = new TopicProcessor(config(broker, name, List.of(in), range(2)).build(),
                p -> recorder.apply(seenSecond));
        try (RunningTopicProcessor run = RunningTopicProcessor.start(second)) {
            await().atMost(Duration.ofSeconds(30)).until(second::hasConsumedAllMessages);
        }

        assertThat(seenFirst).hasSize(100).allMatch(v -> v.startsWith("first-"));
        assertThat(seenSecond).hasSize(50).allMatch(v -> v.startsWith("second-"));
    }

    @Test
    void withoutCommittedOffsetsTheStartFollowsAutoOffsetReset(KafkaBroker broker) throws Exception {
        String in = unique("reset-in");
        broker.createTopic(in, 2);
        broker.produce(Fixtures.spread(in, 2, 40, "old-"));
        Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();

        TopicProcessor processor = new TopicProcessor(config(broker, unique("reset"), List.of(in), range(2))
                .consumerProperty("auto.offset.reset", "latest").build(),
                p -> (messages, sender) -> messages.forEach(m -> seen.add(value(m))));
        try (RunningTopicProcessor run = RunningTopicProcessor.start(processor)) {
            // positions resolved to the end: nothing to consume yet
            await().atMost(Duration.ofSeconds(30)).until(processor::hasConsumedAllMessages);
            broker.produce(Fixtures.spread(in, 2, 10, "new-"));
            await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() == 10);
            await().atMost(Duration.ofSeconds(30)).until(processor::hasConsumedAllMessages);
        }

        assertThat(seen).hasSize(10).allMatch(v -> v.startsWith("new-"));
    }

    @Test
    void closeFromAnotherThreadDuringLongProcessFinishesTheBatchAndCommitsIt(KafkaBroker broker) throws Exception {
        String in = unique("close-in");
        String out = unique("close-out");
        broker.createTopic(in, 1);
        broker.createTopic(out, 1);
        broker.produce(Fixtures.spread(in, 1, 20, "v"));
        String name = unique("close");
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();

        MessageProcessor slow = (messages, sender) -> {
            calls.incrementAndGet();
            entered.countDown();
            assertThat(release.await(60, TimeUnit.SECONDS)).isTrue();
            copyTo(out).process(messages, sender);
        };
        TopicProcessor processor = new TopicProcessor(
                config(broker, name, List.of(in), List.of(0)).batchSize(20).build(), p -> slow);
        RunningTopicProcessor run = RunningTopicProcessor.start(processor);
        assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
        Thread closer = new Thread(processor::close, "closer");
        closer.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> closer.getState() == Thread.State.TIMED_WAITING);
        assertThat(run.hasEnded()).as("close() waits while process() runs").isFalse();

        release.countDown();
        closer.join(30_000);
        assertThat(closer.isAlive()).isFalse();
        run.awaitNormalEnd(Duration.ofSeconds(5));

        assertThat(calls).hasValue(1);
        assertThat(broker.readAll(out)).hasSize(20);
        assertThat(broker.committedOffsets("kasper-topic-processor-" + name))
                .isEqualTo(Map.of(new TopicPartition(in, 0), 20L));
        processor.close(); // idempotent
    }

    @Test
    void hasConsumedAllMessagesFollowsTheCommittedOffsets(KafkaBroker broker) throws Exception {
        String in = unique("consumed-in");
        broker.createTopic(in, 3);
        broker.produce(Fixtures.spread(in, 3, 90, "v"));
        AtomicReference<CountDownLatch> gate = new AtomicReference<>(new CountDownLatch(1));
        Map<Integer, Integer> seen = new HashMap<>();
        MessageProcessor gated = (messages, sender) -> {
            assertThat(gate.get().await(60, TimeUnit.SECONDS)).isTrue();
            synchronized (seen) {
                seen.merge(messages.get(0).partition(), messages.size(), Integer::sum);
            }
        };

        TopicProcessor processor = new TopicProcessor(config(broker, unique("consumed"), List.of(in), range(3))
                .batchWaitDuration(Duration.ofMillis(50)).build(), p -> gated);
        assertThat(processor.hasConsumedAllMessages()).isFalse();
        try (RunningTopicProcessor run = RunningTopicProcessor.start(processor)) {
            assertThat(processor.hasConsumedAllMessages()).isFalse();
            gate.get().countDown();
            await().atMost(Duration.ofSeconds(30)).until(processor::hasConsumedAllMessages);

            gate.set(new CountDownLatch(1));
            broker.produce(Fixtures.spread(in, 3, 30, "more"));
            await().atMost(Duration.ofSeconds(30)).until(() -> !processor.hasConsumedAllMessages());
            gate.get().countDown();
            await().atMost(Duration.ofSeconds(30)).until(processor::hasConsumedAllMessages);
        }
        synchronized (seen) {
            assertThat(seen).isEqualTo(Map.of(0, 40, 1, 40, 2, 40));
        }
    }
}
