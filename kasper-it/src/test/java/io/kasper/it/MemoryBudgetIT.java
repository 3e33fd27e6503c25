package io.kasper.it;

import static io.kasper.it.Fixtures.config;
import static io.kasper.it.Fixtures.range;
import static io.kasper.it.Fixtures.unique;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kasper.KasperMetrics;
import io.kasper.TopicProcessor;
import io.kasper.test.KafkaBroker;
import io.kasper.test.KafkaBrokerExtension;
import io.kasper.test.RunningTopicProcessor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Memory bounded in bytes on the real broker: batches close at {@code batchMaxBytes}, the budget pauses input. */
@ExtendWith(KafkaBrokerExtension.class)
class MemoryBudgetIT {

    private static final int KIB = 1024;

    private static ProducerRecord<byte[], byte[]> record(String topic, int partition, int i, int valueBytes) {
        byte[] value = new byte[valueBytes];
        Arrays.fill(value, (byte) ('a' + i % 26));
        return new ProducerRecord<>(topic, partition, String.format("k%02d", i).getBytes(UTF_8), value);
    }

    @Test
    void batchesCloseAtTheirByteLimitAndALargerMessageMakesABatchOfOne(KafkaBroker broker) throws Exception {
        String in = unique("bytes-in");
        String out = unique("bytes-out");
        broker.createTopic(in, 1);
        broker.createTopic(out, 1);
        List<ProducerRecord<byte[], byte[]>> input = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            input.add(record(in, 0, i, i == 18 ? 400 * KIB : 100 * KIB)); // message 18 alone exceeds the limit
        }
        broker.produce(input);
        long oneMessage = 3 + 100 * KIB; // key "kNN" + value
        List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
        String name = unique("bytes");

        TopicProcessor processor = new TopicProcessor(config(broker, name, List.of(in), List.of(0))
                .batchSize(1_000).batchMaxBytes(3 * oneMessage).maxBufferedBytes(64L << 20)
                .batchWaitDuration(Duration.ofMinutes(10)).build(),
                p -> (messages, sender) -> {
                    sizes.add(messages.size());
                    messages.forEach(m -> sender.send(new ProducerRecord<>(out, 0, m.key(), m.value())));
                });
        try (RunningTopicProcessor run = RunningTopicProcessor.start(processor)) {
            // batchWaitDuration is 10 minutes: only the byte limit can close these batches in time
            await().atMost(Duration.ofSeconds(30)).until(processor::hasConsumedAllMessages);
        }

        System.out.println("batch sizes with 100 KiB values and batchMaxBytes of 3 messages: " + sizes);
        List<Integer> expected = new ArrayList<>(Collections.nCopies(6, 3));
        expected.add(1);
        expected.addAll(Collections.nCopies(7, 3));
        assertThat(sizes).isEqualTo(expected);
        List<ConsumerRecord<byte[], byte[]>> copied = broker.readAll(out);
        assertThat(copied).hasSize(40);
        for (int i = 0; i < 40; i++) {
            assertThat(copied.get(i).value()).isEqualTo(input.get(i).value());
        }
    }

    @Test
    void aSmallBudgetPausesTheInputAndEverythingIsStillCopiedOnce(KafkaBroker broker) throws Exception {
        String in = unique("budget-in");
        String out = unique("budget-out");
        int partitions = 3;
        int count = 300;
        long budget = 256 * KIB;
        broker.createTopic(in, partitions);
        broker.createTopic(out, partitions);
        List<ProducerRecord<byte[], byte[]>> input = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            input.add(record(in, i % partitions, i, 10 * KIB));
        }
        broker.produce(input); // 3 MB, twelve times the budget
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AtomicLong maxBuffered = new AtomicLong();
        String name = unique("budget");

        TopicProcessor processor = new TopicProcessor(config(broker, name, List.of(in), range(partitions))
                .batchSize(10_000).maxBufferedBytes(budget).meterRegistry(registry).build(),
                p -> (messages, sender) -> {
                    maxBuffered.accumulateAndGet(
                            (long) registry.get(KasperMetrics.MEMORY_BUFFERED).gauge().value(), Math::max);
                    messages.forEach(m -> sender.send(new ProducerRecord<>(out, m.partition(), m.key(), m.value())));
                });
        double pauses;
        try (RunningTopicProcessor run = RunningTopicProcessor.start(processor)) {
            await().atMost(Duration.ofSeconds(60)).until(processor::hasConsumedAllMessages);
            pauses = registry.get(KasperMetrics.MEMORY_PAUSES).functionCounter().count();
        }

        List<ConsumerRecord<byte[], byte[]>> copied = broker.readAll(out);
        Map<String, Integer> copies = new TreeMap<>();
        copied.forEach(r -> copies.merge(new String(r.key(), UTF_8), 1, Integer::sum));
        long committed = broker.committedOffsets("kasper-topic-processor-" + name).entrySet().stream()
                .filter(e -> e.getKey().topic().equals(in)).mapToLong(Map.Entry::getValue).sum();
        System.out.printf("budget %,d bytes: %d inputs, %d outputs, %d distinct keys, %d committed, %.0f budget "
                + "pauses, max held bytes seen by process() %,d%n", budget, count, copied.size(), copies.size(),
                committed, pauses, maxBuffered.get());
        assertThat(copied).hasSize(count);
        assertThat(copies).hasSize(count).allSatisfy((key, n) -> assertThat(n).isEqualTo(1));
        assertThat(committed).isEqualTo(count);
        assertThat(pauses).as("the budget paused the input").isGreaterThanOrEqualTo(1);
        // budget + what one poll may add (fetch.max.bytes: a quarter of the budget) + one batch (an eighth)
        assertThat(maxBuffered.get()).isGreaterThan(0).isLessThanOrEqualTo(budget + budget / 4 + budget / 8);
        for (ConsumerRecord<byte[], byte[]> r : copied) {
            int i = Integer.parseInt(new String(r.key(), UTF_8).substring(1));
            assertThat(r.partition()).isEqualTo(i % partitions);
            assertThat(r.value()).isEqualTo(input.get(i).value());
        }
    }
}
