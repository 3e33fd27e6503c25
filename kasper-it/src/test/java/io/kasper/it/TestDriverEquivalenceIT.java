package io.kasper.it;

import static io.kasper.it.Fixtures.config;
import static io.kasper.it.Fixtures.range;
import static io.kasper.it.Fixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kasper.MessageProcessor;
import io.kasper.ProcessingGuarantee;
import io.kasper.RecordingListener;
import io.kasper.TopicProcessor;
import io.kasper.TopicProcessorConfig;
import io.kasper.test.KafkaBroker;
import io.kasper.test.KafkaBrokerExtension;
import io.kasper.test.TopicProcessorTestDriver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import io.kasper.test.RunningTopicProcessor;

/**
 * The test driver forms the same batches as a TopicProcessor on a real broker, for the same input, and tells the
 * PartitionListener and commits alike under {@code maxUncommittedBatches}; under exactly-once, a retry that aborts a
 * transaction leaves the same committed output and offsets.
 */
@ExtendWith(KafkaBrokerExtension.class)
class TestDriverEquivalenceIT {

    private static List<String> describe(List<ConsumerRecord<byte[], byte[]>> batch) {
        List<String> ids = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : batch) {
            ids.add(r.topic() + "/" + r.partition() + "@" + r.offset() + "=" + Fixtures.value(r));
        }
        return ids;
    }

    private static List<List<String>> byPartitionThenOrder(List<List<ConsumerRecord<byte[], byte[]>>> batches) {
        // partitions are processed independently, so only the order within a partition is defined
        List<List<ConsumerRecord<byte[], byte[]>>> sorted = new ArrayList<>(batches);
        sorted.sort(Comparator.comparingInt(b -> b.get(0).partition()));
        List<List<String>> result = new ArrayList<>();
        sorted.forEach(b -> result.add(describe(b)));
        return result;
    }

    @Test
    void driverBatchesEqualTopicProcessorBatchesForTheSameInput(KafkaBroker broker) throws Exception {
        String topic = unique("equiv");
        broker.createTopic(topic, 4);
        List<ProducerRecord<byte[], byte[]>> input = Fixtures.spread(topic, 4, 1_250, "v");
        broker.produce(input);
        TopicProcessorConfig config = config(broker, unique("equiv"), List.of(topic), range(4)).batchSize(100)
                .batchWaitDuration(Duration.ofMillis(500)).build();

        List<List<ConsumerRecord<byte[], byte[]>>> real = Collections.synchronizedList(new ArrayList<>());
        TopicProcessor processor = new TopicProcessor(config, p -> (messages, sender) -> real.add(List.copyOf(messages)));
        try (RunningTopicProcessor run = RunningTopicProcessor.start(processor)) {
            await().atMost(Duration.ofSeconds(60)).until(processor::hasConsumedAllMessages);
        }

        List<List<ConsumerRecord<byte[], byte[]>>> driven;
        try (TopicProcessorTestDriver driver = new TopicProcessorTestDriver(config, p -> (messages, sender) -> { })) {
            for (ProducerRecord<byte[], byte[]> r : input) {
                driver.pipeInput(r.topic(), r.partition(), r.key(), r.value());
            }
            driver.advanceTime(config.batchWaitDuration());
            driven = driver.processedBatches();
        }

        assertThat(driven).hasSize(4 * 4); // per partition: 3 full batches of 100 and a tail of 12 or 13
        assertThat(byPartitionThenOrder(driven)).isEqualTo(byPartitionThenOrder(real));
    }

    /** Records "p<partition> <first>-<last> committed <offset of the partition when the batch starts>". */
    private static MessageProcessor batchRecorder(List<String> events,
            Function<TopicPartition, Long> committedOffset) {
        return (messages, sender) -> {
            ConsumerRecord<byte[], byte[]> first = messages.get(0);
            events.add("p" + first.partition() + " " + first.offset() + "-" + messages.get(messages.size() - 1).offset()
                    + " committed " + committedOffset.apply(new TopicPartition(first.topic(), first.partition())));
        };
    }

    /** The listener calls first and last, the batches by partition: partitions are processed independently. */
    private static List<String> byPartition(List<String> events) {
        List<String> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparingInt(e -> e.startsWith("assigned") ? -1
                : e.startsWith("revoked") ? Integer.MAX_VALUE : e.charAt(1) - '0'));
        return sorted;
    }

    @Test
    void driverTellsTheListenerAndCommitsLikeTopicProcessorWithOneUncommittedBatch(KafkaBroker broker)
            throws Exception {
        String topic = unique("equiv-one");
        broker.createTopic(topic, 2);
        List<ProducerRecord<byte[], byte[]>> input = Fixtures.spread(topic, 2, 230, "v");
        broker.produce(input);
        TopicProcessorConfig.Builder builder = config(broker, unique("equiv-one"), List.of(topic), range(2))
                .batchSize(50).batchWaitDuration(Duration.ofMillis(500)).maxUncommittedBatches(1);

        List<String> real = Collections.synchronizedList(new ArrayList<>());
        TopicProcessorConfig realConfig = builder.partitionListener(RecordingListener.into(real)).build();
        String group = realConfig.consumerGroupId();
        TopicProcessor processor = new TopicProcessor(realConfig,
                p -> batchRecorder(real, tp -> broker.committedOffsets(group).get(tp)));
        try (RunningTopicProcessor run = RunningTopicProcessor.start(processor)) {
            await().atMost(Duration.ofSeconds(60)).until(processor::hasConsumedAllMessages);
        }

        List<String> driven = new ArrayList<>();
        AtomicReference<TopicProcessorTestDriver> driver = new AtomicReference<>();
        driver.set(new TopicProcessorTestDriver(builder.partitionListener(RecordingListener.into(driven)).build(),
                p -> batchRecorder(driven, tp -> driver.get().committedOffsets().get(tp))));
        try (TopicProcessorTestDriver d = driver.get()) {
            for (ProducerRecord<byte[], byte[]> r : input) {
                d.pipeInput(r.topic(), r.partition(), r.key(), r.value());
            }
            d.advanceTime(Duration.ofMillis(500));
        }

        System.out.println("TopicProcessor: " + real);
        System.out.println("driver:         " + driven);
        // 115 messages per partition: 2 full batches and a tail; each batch starts once the one before is committed
        List<String> expected = List.of("assigned [0, 1]",
                "p0 0-49 committed null", "p0 50-99 committed 50", "p0 100-114 committed 100",
                "p1 0-49 committed null", "p1 50-99 committed 50", "p1 100-114 committed 100",
                "revoked [0, 1]");
        assertThat(byPartition(real)).isEqualTo(expected);
        assertThat(byPartition(driven)).isEqualTo(expected);
    }

    /** Copies each input to {@code out}, same partition; the second call of partition 1 fails once after a flush. */
    private static MessageProcessor copierFailingOnceAfterFlush(String out) {
        AtomicInteger callsOfPartition1 = new AtomicInteger();
        return (messages, sender) -> {
            for (ConsumerRecord<byte[], byte[]> m : messages) {
                sender.send(new ProducerRecord<>(out, m.partition(), m.key(), m.value()));
            }
            if (messages.get(0).partition() == 1 && callsOfPartition1.incrementAndGet() == 2) {
                sender.flush();
                throw new org.apache.kafka.common.errors.TimeoutException("injected transient failure after a flush");
            }
        };
    }

    private static Map<Integer, List<String>> valuesByPartition(List<ProducerRecord<byte[], byte[]>> records) {
        Map<Integer, List<String>> result = new TreeMap<>();
        records.forEach(r -> result.computeIfAbsent(r.partition(), p -> new ArrayList<>())
                .add(new String(r.value(), java.nio.charset.StandardCharsets.UTF_8)));
        return result;
    }

    @Test
    void underExactlyOnceARetryAfterAFlushLeavesTheSameCommittedOutputAndOffsetsAsTopicProcessor(KafkaBroker broker)
            throws Exception {
        String in = unique("equiv-eos-in");
        String out = unique("equiv-eos-out");
        broker.createTopic(in, 4);
        broker.createTopic(out, 4);
        List<ProducerRecord<byte[], byte[]>> input = Fixtures.spread(in, 4, 1_000, "v");
        broker.produce(input);
        TopicProcessorConfig config = config(broker, unique("equiv-eos"), List.of(in), range(4)).batchSize(100)
                .batchWaitDuration(Duration.ofMillis(200)).processingGuarantee(ProcessingGuarantee.EXACTLY_ONCE)
                .build();

        try (RunningTopicProcessor run = RunningTopicProcessor.start(
                new TopicProcessor(config, p -> copierFailingOnceAfterFlush(out)))) {
            run.awaitConsumedAll(Duration.ofSeconds(60));
        }
        List<ProducerRecord<byte[], byte[]>> real = new ArrayList<>();
        broker.readCommitted(out).forEach(r -> real.add(new ProducerRecord<>(out, r.partition(), r.key(), r.value())));

        List<ProducerRecord<byte[], byte[]>> driven;
        Map<TopicPartition, Long> drivenOffsets;
        MessageProcessor copier = copierFailingOnceAfterFlush(out);
        try (TopicProcessorTestDriver driver = new TopicProcessorTestDriver(config, p -> copier)) {
            for (ProducerRecord<byte[], byte[]> r : input) {
                driver.pipeInput(r.topic(), r.partition(), r.key(), r.value());
            }
            driver.advanceTime(config.batchWaitDuration());
            driver.advanceTime(config.transactionCommitInterval());
            driven = driver.readOutput(out);
            drivenOffsets = driver.committedOffsets();
        }

        assertThat(real).hasSize(1_000);
        assertThat(valuesByPartition(driven)).isEqualTo(valuesByPartition(real));
        assertThat(drivenOffsets).isEqualTo(broker.committedOffsets(config.consumerGroupId()));
    }
}
