package io.kasper.it;

import static io.kasper.it.Fixtures.config;
import static io.kasper.it.Fixtures.range;
import static io.kasper.it.Fixtures.unique;
import static io.kasper.it.Fixtures.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kasper.KasperMetrics;
import io.kasper.MessageProcessor;
import io.kasper.PartitionListener;
import io.kasper.TopicProcessor;
import io.kasper.test.KafkaBroker;
import io.kasper.test.KafkaBrokerExtension;
import io.kasper.test.RunningTopicProcessor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Input written by transactional producers: commit markers and aborted records occupy offsets that are never
 * delivered. A processor that consumed everything must commit up to the end offsets (so that lag reaches 0 and
 * {@code hasConsumedAllMessages()} turns true), deliver only committed records, and tell the truth about being done
 * while the consumer group rebalances.
 */
@ExtendWith(KafkaBrokerExtension.class)
class TransactionalInputIT {

    @Test
    void committedTransactionsAroundAnAbortedOneAreConsumedUpToTheEndOffsets(KafkaBroker broker) throws Exception {
        String in = unique("tx-in");
        String out = unique("tx-out");
        broker.createTopic(in, 3);
        broker.createTopic(out, 3);
        List<String> committed = writeTransactions(broker, in, 3);
        String name = unique("tx");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();

        TopicProcessor processor = new TopicProcessor(
                config(broker, name, List.of(in), range(3)).batchSize(7).meterRegistry(registry).build(),
                p -> copyTo(out));
        try (RunningTopicProcessor run = RunningTopicProcessor.start(processor)) {
            await().atMost(Duration.ofSeconds(60)).until(processor::hasConsumedAllMessages);

            Map<TopicPartition, Long> ends = endOffsets(broker, in, 3);
            Map<TopicPartition, Long> commits = new TreeMap<>(java.util.Comparator.comparing(TopicPartition::toString));
            commits.putAll(broker.committedOffsets("kasper-topic-processor-" + name));
            System.out.println("end offsets " + ends + ", committed " + commits);
            assertThat(commits).as("committed offsets equal the end offsets, past the last commit marker")
                    .isEqualTo(ends);
            for (int p = 0; p < 3; p++) {
                assertThat(registry.get(KasperMetrics.MESSAGES_BEHIND).tags(KasperMetrics.TAG_TOPIC, in,
                        KasperMetrics.TAG_PARTITION, Integer.toString(p)).gauge().value())
                        .as("kasper.messages.behind of partition " + p).isZero();
            }
        }

        List<String> output = broker.readAll(out).stream().map(Fixtures::value).toList();
        System.out.println("committed input " + committed.size() + ", output " + output.size());
        assertThat(output).as("exactly the committed records, each once, none of the aborted transaction")
                .hasSize(committed.size()).containsExactlyInAnyOrderElementsOf(committed);
    }

    @Test
    void staticBacklogNeverReadsAsConsumedAll(KafkaBroker broker) throws Exception {
        String in = unique("tx-backlog");
        broker.createTopic(in, 2);
        List<String> committed = writeTransactions(broker, in, 2);
        broker.produce(Fixtures.spread(in, 2, 2_000, "plain-"));
        int total = committed.size() + 2_000;
        AtomicInteger processed = new AtomicInteger();
        List<Integer> processedWhenConsumedAll = new CopyOnWriteArrayList<>();

        TopicProcessor processor = new TopicProcessor(
                config(broker, unique("tx-backlog"), List.of(in), range(2)).batchSize(50).build(),
                p -> (messages, sender) -> processed.addAndGet(messages.size()));
        AtomicInteger samples = new AtomicInteger();
        try (RunningTopicProcessor run = RunningTopicProcessor.start(processor)) {
            // sampled every millisecond: a true seen before the whole backlog is processed would be a lie
            await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                    .until(() -> {
                        samples.incrementAndGet();
                        if (processor.hasConsumedAllMessages()) {
                            processedWhenConsumedAll.add(processed.get());
                            return true;
                        }
                        return false;
                    });
        }

        System.out.println("backlog " + total + ", samples " + samples + ", processed when first consumed-all: "
                + processedWhenConsumedAll);
        assertThat(processedWhenConsumedAll).as("consumed-all turned true, and only once all was processed")
                .containsExactly(total);
    }

    @Test
    void memberThatConsumedAllReadsFalseWhileASecondMemberJoinsAndTrueAgainAfter(KafkaBroker broker)
            throws Exception {
        String in = unique("tx-group");
        broker.createTopic(in, 4);
        List<String> committed = writeTransactions(broker, in, 4);
        String name = unique("tx-group");
        Map<String, Integer> seen = new java.util.concurrent.ConcurrentHashMap<>();
        MessageProcessor counting = (messages, sender) -> messages.forEach(m -> seen.merge(value(m), 1, Integer::sum));
        AtomicReference<TopicProcessor> first = new AtomicReference<>();
        List<String> firstEvents = new CopyOnWriteArrayList<>();
        PartitionListener observer = new PartitionListener() {
            @Override
            public void onPartitionsAssigned(Set<Integer> partitionNumbers) {
                firstEvents.add("assigned " + partitionNumbers + " " + consumedAllAndState(first.get()));
            }

            @Override
            public void onPartitionsRevoked(Set<Integer> partitionNumbers) {
                firstEvents.add("revoked " + partitionNumbers + " " + consumedAllAndState(first.get()));
            }
        };
        first.set(new TopicProcessor(GroupMemberMain.groupConfig(broker.bootstrapServers(), name, List.of(in), 10)
                .partitionListener(observer).build(), p -> counting));
        TopicProcessor second = new TopicProcessor(
                GroupMemberMain.groupConfig(broker.bootstrapServers(), name, List.of(in), 10).build(), p -> counting);

        try (RunningTopicProcessor runFirst = RunningTopicProcessor.start(first.get())) {
            await().atMost(Duration.ofSeconds(60)).until(first.get()::hasConsumedAllMessages);
            assertThat(committedOffsets(broker, name)).isEqualTo(endOffsets(broker, in, 4));
            int eventsBefore = firstEvents.size();
            try (RunningTopicProcessor runSecond = RunningTopicProcessor.start(second)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> firstEvents.size() >= eventsBefore + 2
                        && firstEvents.get(firstEvents.size() - 1).startsWith("assigned"));
                await().atMost(Duration.ofSeconds(60)).until(() -> first.get().hasConsumedAllMessages()
                        && second.hasConsumedAllMessages());
                System.out.println("first member's callbacks: " + firstEvents);

                List<String> duringRebalance = firstEvents.subList(eventsBefore, firstEvents.size());
                assertThat(duringRebalance).as("every callback of the rebalance reads false")
                        .allMatch(e -> e.endsWith(" consumedAll=false state=REBALANCING"));
                assertThat(duringRebalance.get(0)).startsWith("revoked [0, 1, 2, 3] ");
                assertThat(duringRebalance.get(duringRebalance.size() - 1)).as("two of the four partitions stay")
                        .matches("assigned \\[\\d, \\d] .*");
                assertThat(committedOffsets(broker, name)).isEqualTo(endOffsets(broker, in, 4));
            }
        }

        assertThat(seen.keySet()).containsExactlyInAnyOrderElementsOf(committed);
        assertThat(seen.values().stream().collect(Collectors.toSet())).as("nothing processed twice").containsExactly(1);
    }

    private static String consumedAllAndState(TopicProcessor processor) {
        return "consumedAll=" + processor.hasConsumedAllMessages() + " state=" + processor.state();
    }

    /**
     * Writes, on every partition, records of two transactional producers interleaved: a transaction of the first is
     * committed while one of the second, written in between, is aborted; then a third producer commits another
     * transaction. Every partition ends with a commit marker.
     *
     * @return the values of the committed records
     */
    private static List<String> writeTransactions(KafkaBroker broker, String topic, int partitions) {
        List<String> committed = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> keeper = transactional(broker, unique("keeper"));
                KafkaProducer<byte[], byte[]> aborter = transactional(broker, unique("aborter"));
                KafkaProducer<byte[], byte[]> last = transactional(broker, unique("last"))) {
            keeper.initTransactions();
            aborter.initTransactions();
            last.initTransactions();
            keeper.beginTransaction();
            aborter.beginTransaction();
            for (int i = 0; i < 10 * partitions; i++) {
                int p = i % partitions;
                committed.add(send(keeper, topic, p, "first-" + i));
                send(aborter, topic, p, "aborted-" + i);
            }
            keeper.flush();
            aborter.flush();
            aborter.abortTransaction();
            keeper.commitTransaction();
            // another producer: the keeper's next transaction would wait until its commit markers are written
            last.beginTransaction();
            for (int i = 0; i < 5 * partitions; i++) {
                committed.add(send(last, topic, i % partitions, "second-" + i));
            }
            last.commitTransaction();
        }
        return committed;
    }

    private static KafkaProducer<byte[], byte[]> transactional(KafkaBroker broker, String transactionalId) {
        Properties props = broker.clientProperties();
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return new KafkaProducer<>(props);
    }

    private static String send(KafkaProducer<byte[], byte[]> producer, String topic, int partition, String value) {
        producer.send(new ProducerRecord<>(topic, partition, null, value.getBytes(StandardCharsets.UTF_8)));
        return value;
    }

    private static MessageProcessor copyTo(String out) {
        return (messages, sender) -> messages.forEach(
                m -> sender.send(new ProducerRecord<>(out, m.partition(), m.key(), m.value())));
    }

    private static Map<TopicPartition, Long> committedOffsets(KafkaBroker broker, String name) {
        return new HashMap<>(broker.committedOffsets("kasper-topic-processor-" + name));
    }

    /** The end offsets (past the last commit marker), read with the Admin API. */
    private static Map<TopicPartition, Long> endOffsets(KafkaBroker broker, String topic, int partitions)
            throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        try (Admin admin = Admin.create(broker.clientProperties())) {
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
            return ends;
        }
    }
}
