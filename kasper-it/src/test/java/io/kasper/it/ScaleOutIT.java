package io.kasper.it;

import static io.kasper.it.Fixtures.unique;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kasper.GroupProtocol;
import io.kasper.PartitionListener;
import io.kasper.TopicProcessor;
import io.kasper.TopicProcessorConfig;
import io.kasper.test.KafkaBroker;
import io.kasper.test.KafkaBrokerExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;
import io.kasper.test.RunningTopicProcessor;

/**
 * Group-managed instances sharing two co-partitioned topics while members join, leave, die and are replaced: nothing
 * is lost, no partition number is processed by two instances at once, duplicates come only from the killed member;
 * under either group protocol.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ScaleOutIT {

    private static final int PARTITIONS = 12;
    private static final int RECORDS = 300_000;
    private static final int PHASES = 4;
    private static final int BATCH_SIZE = 500;
    /** Batches per partition that may be uncommitted at once (the default maxUncommittedBatches). */
    private static final int MAX_IN_FLIGHT = TopicProcessorConfig.DEFAULT_MAX_UNCOMMITTED_BATCHES;
    private static final Duration PHASE_TIMEOUT = Duration.ofSeconds(90);

    /** Counts the rebalances an in-JVM instance went through and the partitions it holds now. */
    private static final class OwnershipLog implements PartitionListener {
        private final AtomicInteger assignments = new AtomicInteger();
        private final Set<Integer> owned = java.util.concurrent.ConcurrentHashMap.newKeySet();

        @Override
        public void onPartitionsAssigned(Set<Integer> partitionNumbers) {
            assignments.incrementAndGet();
            owned.addAll(partitionNumbers);
        }

        @Override
        public void onPartitionsRevoked(Set<Integer> partitionNumbers) {
            owned.removeAll(partitionNumbers);
        }
    }

    private record Member(TopicProcessor processor, RunningTopicProcessor run, OwnershipLog ownership) {
    }

    @ParameterizedTest
    @EnumSource(GroupProtocol.class)
    void membersJoiningLeavingAndDyingShareTheWorkWithoutLossOrConcurrentOwnership(GroupProtocol protocol,
            KafkaBroker broker, @TempDir Path dir) throws Exception {
        long startNanos = System.nanoTime();
        String a = unique("scale-a");
        String b = unique("scale-b");
        String out = unique("scale-out");
        for (String topic : List.of(a, b, out)) {
            broker.createTopic(topic, PARTITIONS);
        }
        String name = unique("scale");
        String group = "kasper-topic-processor-" + name;
        Queue<Span> spans = new ConcurrentLinkedQueue<>();
        Map<TopicPartition, Long> expectedEnd = new HashMap<>();
        List<Process> forks = new ArrayList<>();
        List<Member> members = new ArrayList<>();
        try (Admin admin = Admin.create(broker.clientProperties())) {
            Member t1 = startMember(broker, name, List.of(a, b), out, "thread-1", spans, protocol);
            members.add(t1);
            forks.add(fork(broker, name, a + "," + b, out, "fork-1", dir, protocol));
            awaitStableMembers(admin, group, 2);

            produce(broker, a, b, 0, expectedEnd);
            awaitCommitted(broker, group, expectedEnd);

            // a member joins late, while a quarter of the input is being processed
            produce(broker, a, b, 1, expectedEnd);
            Member t2 = startMember(broker, name, List.of(a, b), out, "thread-2", spans, protocol);
            members.add(t2);
            awaitCommitted(broker, group, expectedEnd);

            // a member dies (SIGKILL) with batches in flight and is replaced
            Path fork1Spans = dir.resolve("fork-1.spans");
            long spansBefore = Files.size(fork1Spans);
            produce(broker, a, b, 2, expectedEnd);
            // kill it in the middle of its work on this quarter, not after
            await().atMost(PHASE_TIMEOUT).pollInterval(Duration.ofMillis(5))
                    .until(() -> Files.size(fork1Spans) > spansBefore);
            forks.get(0).destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            forks.add(fork(broker, name, a + "," + b, out, "fork-2", dir, protocol));
            // the dead member is dropped after session.timeout.ms; its partitions go to the others and the new fork
            awaitStableMembers(admin, group, 3);
            awaitCommitted(broker, group, expectedEnd);

            // a member leaves in an orderly way while the last quarter is being processed
            produce(broker, a, b, 3, expectedEnd);
            CompletableFuture<Void> leaving = CompletableFuture.runAsync(t1.processor()::close);
            awaitCommitted(broker, group, expectedEnd);
            leaving.get(60, TimeUnit.SECONDS);
            t1.run().awaitNormalEnd(Duration.ofSeconds(30));
            assertThat(t1.ownership().owned).as("a closed member revoked all its partitions").isEmpty();
        } finally {
            for (Process fork : forks) {
                fork.destroy(); // SIGTERM: the shutdown hook closes the processor
                if (!fork.waitFor(60, TimeUnit.SECONDS)) {
                    fork.destroyForcibly();
                }
            }
            for (Member m : members) {
                m.run().close();
            }
        }
        for (Member m : members) {
            m.run().awaitNormalEnd(Duration.ofSeconds(5));
        }

        List<ConsumerRecord<byte[], byte[]>> output = broker.readAll(out);
        Map<String, List<String>> ownersByInput = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : output) {
            String[] parts = new String(r.value(), UTF_8).split("\\|");
            ownersByInput.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(parts[1]);
        }
        assertThat(ownersByInput).as("every input record is reflected in the output").hasSize(RECORDS);
        assertThat(ownersByInput.keySet()).allMatch(v -> v.startsWith(a) || v.startsWith(b));
        int duplicates = output.size() - RECORDS;
        // Orderly revocations commit every processed batch before the partitions move, so only the killed member's
        // processed-but-uncommitted batches come twice: per partition at most the batches awaiting acks plus the
        // one released but not yet committed.
        int bound = PARTITIONS * (MAX_IN_FLIGHT + 1) * BATCH_SIZE;
        assertThat(duplicates).isBetween(0, bound);
        assertThat(ownersByInput.values().stream().filter(owners -> owners.size() > 1))
                .as("every duplicate was first processed by the killed member")
                .allMatch(owners -> owners.contains("fork-1"));

        List<Span> allSpans = new ArrayList<>(spans);
        for (String fork : List.of("fork-1", "fork-2")) {
            Files.readAllLines(dir.resolve(fork + ".spans")).stream().map(Span::parse).filter(Objects::nonNull)
                    .forEach(allSpans::add);
        }
        assertNoConcurrentOwnership(allSpans);
        assertThat(allSpans.stream().map(Span::owner).collect(Collectors.toSet()))
                .as("every member processed something")
                .containsExactlyInAnyOrder("thread-1", "thread-2", "fork-1", "fork-2");

        int rebalances = members.stream().mapToInt(m -> m.ownership().assignments.get()).max().orElse(0);
        System.out.printf("ScaleOutIT %s: %d records on %d partitions x 2 topics, 4 members (1 joined late, 1 closed, "
                        + "1 killed and replaced), %d assignments seen by thread-2, %d duplicates (bound %d), "
                        + "%d process() calls, %.1f s%n", protocol, RECORDS, PARTITIONS, rebalances, duplicates, bound,
                allSpans.size(), (System.nanoTime() - startNanos) / 1e9);
    }

    @Test
    void overlapCheckFailsWhenTwoMembersProcessOnePartitionNumberAtOnce() {
        List<Span> disjoint = List.of(new Span("x", 3, 0, 10, 1), new Span("y", 3, 10, 20, 1),
                new Span("x", 4, 5, 15, 1));
        List<Span> overlapping = List.of(new Span("x", 3, 0, 10, 1), new Span("x", 3, 11, 30, 1),
                new Span("y", 3, 25, 40, 1));

        assertNoConcurrentOwnership(new ArrayList<>(disjoint));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> assertNoConcurrentOwnership(
                new ArrayList<>(overlapping))).isInstanceOf(AssertionError.class).hasMessageContaining("overlaps");
    }

    /** Fails when two owners' process() calls on the same partition number overlap in time. */
    static void assertNoConcurrentOwnership(Collection<Span> spans) {
        Map<Integer, List<Span>> byPartition = spans.stream().collect(Collectors.groupingBy(Span::partition,
                Collectors.toCollection(ArrayList::new)));
        List<String> overlaps = new ArrayList<>();
        byPartition.forEach((partition, list) -> {
            list.sort(java.util.Comparator.comparingLong(Span::startMicros));
            Map<String, Span> latestByOwner = new HashMap<>();
            for (Span span : list) {
                latestByOwner.forEach((owner, previous) -> {
                    if (!owner.equals(span.owner()) && previous.endMicros() > span.startMicros()) {
                        overlaps.add(previous + " overlaps " + span);
                    }
                });
                latestByOwner.merge(span.owner(), span, (x, y) -> x.endMicros() >= y.endMicros() ? x : y);
            }
        });
        assertThat(overlaps).as("process() calls of different members on one partition number").isEmpty();
    }

    private static Member startMember(KafkaBroker broker, String name, List<String> topics, String out, String owner,
            Queue<Span> spans, GroupProtocol protocol) {
        OwnershipLog ownership = new OwnershipLog();
        TopicProcessor processor = new TopicProcessor(
                GroupMemberMain.groupConfig(broker.bootstrapServers(), name, topics, BATCH_SIZE, protocol)
                        .partitionListener(ownership).build(),
                p -> new PassThrough(out, owner, spans::add));
        return new Member(processor, RunningTopicProcessor.start(processor), ownership);
    }

    private static Process fork(KafkaBroker broker, String name, String topics, String out, String owner, Path dir,
            GroupProtocol protocol) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                GroupMemberMain.class.getName(), broker.bootstrapServers(), name, topics, out, owner,
                dir.resolve(owner + ".spans").toString(), Integer.toString(BATCH_SIZE), protocol.name())
                .redirectErrorStream(true).redirectOutput(dir.resolve(owner + ".log").toFile()).start();
    }

    /** Produces phase {@code phase} of the input: values "{topic}-{i}", round-robin over the partitions. */
    private static void produce(KafkaBroker broker, String a, String b, int phase,
            Map<TopicPartition, Long> expectedEnd) {
        int perTopic = RECORDS / 2 / PHASES;
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(perTopic * 2);
        for (String topic : List.of(a, b)) {
            for (int i = phase * perTopic; i < (phase + 1) * perTopic; i++) {
                records.add(Fixtures.record(topic, i % PARTITIONS, "k" + i, topic + "-" + i));
                expectedEnd.merge(new TopicPartition(topic, i % PARTITIONS), 1L, Long::sum);
            }
        }
        broker.produce(records);
    }

    /** Waits until the group has settled with {@code count} members (a JVM takes a moment to start and join). */
    private static void awaitStableMembers(Admin admin, String group, int count) {
        // a consumer-protocol group that no member has joined yet is not found
        await().atMost(PHASE_TIMEOUT).pollInterval(Duration.ofMillis(250))
                .ignoreExceptionsMatching(e -> e.getCause() instanceof GroupIdNotFoundException).until(() -> {
                    ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all()
                            .get(10, TimeUnit.SECONDS).get(group);
                    return d.groupState() == GroupState.STABLE && d.members().size() == count;
                });
    }

    private static void awaitCommitted(KafkaBroker broker, String group, Map<TopicPartition, Long> expectedEnd) {
        await().atMost(PHASE_TIMEOUT).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertThat(broker.committedOffsets(group)).isEqualTo(expectedEnd));
    }
}
