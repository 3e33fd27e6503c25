package io.kasper.it;

import static io.kasper.it.Fixtures.unique;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kasper.GroupProtocol;
import io.kasper.InvalidConfigException;
import io.kasper.TopicProcessor;
import io.kasper.TopicProcessorConfig;
import io.kasper.test.KafkaBroker;
import io.kasper.test.KafkaBrokerExtension;
import io.kasper.test.RunningTopicProcessor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The group protocol switch on real brokers: a cluster without the consumer protocol is refused at construction, and a
 * running classic group moves to the consumer protocol by a rolling restart without loss or concurrent ownership.
 */
@ExtendWith(KafkaBrokerExtension.class)
class GroupProtocolIT {

    private static final int PARTITIONS = 6;
    private static final int PER_PHASE = 6_000;
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @Test
    void brokersWithoutTheConsumerProtocolAreRefusedAtConstructionNamingTheSettingAndTheSwitch() {
        try (KafkaBroker classicOnly = KafkaBroker.builder()
                .serverProperty("group.coordinator.rebalance.protocols", "classic").start()) {
            String in = unique("classic-only");
            classicOnly.createTopic(in, 2);
            TopicProcessorConfig.Builder config = GroupMemberMain.groupConfig(classicOnly.bootstrapServers(),
                    unique("classic-only"), List.of(in), 10, GroupProtocol.CONSUMER);

            assertThatThrownBy(() -> new TopicProcessor(config.build(), p -> (messages, sender) -> { }))
                    .isInstanceOf(InvalidConfigException.class)
                    .hasMessageContaining("groupProtocol CONSUMER needs brokers of Kafka 4.0 or newer that serve the "
                            + "consumer group protocol (feature group.version at 1 or more, 'consumer' in "
                            + "group.coordinator.rebalance.protocols), but the cluster at "
                            + classicOnly.bootstrapServers() + " does not: broker 1 has "
                            + "group.coordinator.rebalance.protocols=classic. Use "
                            + "groupProtocol(GroupProtocol.CLASSIC) until the brokers are upgraded");
            new TopicProcessor(GroupMemberMain.groupConfig(classicOnly.bootstrapServers(), unique("classic-only"),
                    List.of(in), 10, GroupProtocol.CLASSIC).build(), p -> (messages, sender) -> { }).close();
        }
    }

    @Test
    void aClassicGroupMovesToTheConsumerProtocolByARollingRestartWithoutLossOrConcurrentOwnership(
            KafkaBroker broker) throws Exception {
        String a = unique("migrate-a");
        String b = unique("migrate-b");
        String out = unique("migrate-out");
        for (String topic : List.of(a, b, out)) {
            broker.createTopic(topic, PARTITIONS);
        }
        String name = unique("migrate");
        String group = "kasper-topic-processor-" + name;
        Queue<Span> spans = new ConcurrentLinkedQueue<>();
        Map<TopicPartition, Long> end = new HashMap<>();
        List<RunningTopicProcessor> members = new ArrayList<>();
        try (Admin admin = Admin.create(broker.clientProperties())) {
            members.add(start(broker, name, a, b, out, "classic-1", GroupProtocol.CLASSIC, spans));
            members.add(start(broker, name, a, b, out, "classic-2", GroupProtocol.CLASSIC, spans));
            awaitStable(admin, group, 2, GroupType.CLASSIC);
            produce(broker, a, b, 0, end);
            awaitCommitted(broker, group, end);

            // rolling restart, each step while input is being processed: a classic member leaves, a consumer
            // protocol member takes its place (the broker converts the group at the first one), and so on
            for (int step = 1; step <= 2; step++) {
                produce(broker, a, b, step, end);
                members.remove(0).close();
                members.add(start(broker, name, a, b, out, "consumer-" + step, GroupProtocol.CONSUMER, spans));
                awaitStable(admin, group, 2, GroupType.CONSUMER);
            }
            produce(broker, a, b, 3, end);
            awaitCommitted(broker, group, end);
            assertThat(members).allSatisfy(m -> assertThat(m.hasEnded()).isFalse());
        } finally {
            members.forEach(RunningTopicProcessor::close);
        }

        Map<String, List<String>> ownersByInput = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : broker.readAll(out)) {
            String[] parts = new String(r.value(), UTF_8).split("\\|");
            ownersByInput.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(parts[1]);
        }
        assertThat(ownersByInput).as("every input record is reflected in the output").hasSize(4 * 2 * PER_PHASE);
        long duplicates = ownersByInput.values().stream().filter(owners -> owners.size() > 1).count();
        assertThat(duplicates).as("orderly leaves and the protocol change commit before partitions move").isZero();
        ScaleOutIT.assertNoConcurrentOwnership(new ArrayList<>(spans));
        assertThat(spans.stream().map(Span::owner).distinct()).as("every member processed something")
                .containsExactlyInAnyOrder("classic-1", "classic-2", "consumer-1", "consumer-2");
        System.out.printf("GroupProtocolIT: classic group of 2 moved to the consumer protocol by a rolling restart, "
                + "%d records, %d process() calls%n", ownersByInput.size(), spans.size());
    }

    private static RunningTopicProcessor start(KafkaBroker broker, String name, String a, String b, String out,
            String owner, GroupProtocol protocol, Queue<Span> spans) {
        return RunningTopicProcessor.start(new TopicProcessor(GroupMemberMain.groupConfig(broker.bootstrapServers(),
                name, List.of(a, b), 200, protocol).build(), p -> new PassThrough(out, owner, spans::add)));
    }

    /** Produces phase {@code phase}: values "{topic}-{i}" round-robin over the partitions of both topics. */
    private static void produce(KafkaBroker broker, String a, String b, int phase, Map<TopicPartition, Long> end) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (String topic : List.of(a, b)) {
            for (int i = phase * PER_PHASE; i < (phase + 1) * PER_PHASE; i++) {
                records.add(Fixtures.record(topic, i % PARTITIONS, "k" + i, topic + "-" + i));
                end.merge(new TopicPartition(topic, i % PARTITIONS), 1L, Long::sum);
            }
        }
        broker.produce(records);
    }

    private static void awaitStable(Admin admin, String group, int members, GroupType type) {
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(250)).until(() -> {
            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get(10, TimeUnit.SECONDS)
                    .get(group);
            return d.groupState() == GroupState.STABLE && d.members().size() == members && d.type() == type;
        });
    }

    private static void awaitCommitted(KafkaBroker broker, String group, Map<TopicPartition, Long> end) {
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertThat(broker.committedOffsets(group)).isEqualTo(end));
    }
}
