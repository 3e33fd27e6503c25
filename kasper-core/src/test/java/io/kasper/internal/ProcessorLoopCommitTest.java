package io.kasper.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kasper.ErrorPolicy;
import io.kasper.KasperObservations;
import io.kasper.KasperException;
import io.kasper.MessageProcessor;
import io.kasper.PartitionListener;
import io.kasper.ProcessorState;
import io.kasper.RecordingListener;
import io.kasper.TopicProcessorConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.clients.consumer.RetriableCommitFailedException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/** How the loop commits when the broker fails or rejects commits, on {@code MockConsumer}. */
class ProcessorLoopCommitTest {

    private static final TopicPartition IN0 = new TopicPartition("in", 0);
    private static final TopicPartition IN1 = new TopicPartition("in", 1);
    private static final MessageProcessor COPY = (messages, sender) -> messages.forEach(
            m -> sender.send(new ProducerRecord<>("out", m.key(), m.value())));

    /** A consumer whose commits fail as the test says; it records every asynchronous attempt. */
    static final class FailingConsumer extends MockConsumer<byte[], byte[]> {
        /** Fails the next asynchronous commits, one per attempt, in order; when empty, {@link #asyncFailure}. */
        final List<RuntimeException> nextAsyncFailures = new CopyOnWriteArrayList<>();
        volatile Supplier<RuntimeException> asyncFailure = () -> null;
        volatile Supplier<RuntimeException> syncFailure = () -> null;
        final List<Long> asyncAttemptNanos = new CopyOnWriteArrayList<>();
        final List<Set<TopicPartition>> asyncAttemptPartitions = new CopyOnWriteArrayList<>();
        /** What the consumer accepted; unlike {@code committed()} it can be read after close. */
        final Map<TopicPartition, Long> accepted = new ConcurrentHashMap<>();
        private boolean inSync;

        FailingConsumer() {
            super("earliest");
        }

        @Override
        public synchronized void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets,
                OffsetCommitCallback callback) {
            if (inSync) { // MockConsumer's commitSync commits through commitAsync
                super.commitAsync(offsets, callback);
                return;
            }
            asyncAttemptNanos.add(System.nanoTime());
            asyncAttemptPartitions.add(Set.copyOf(offsets.keySet()));
            RuntimeException failure = nextAsyncFailures.isEmpty() ? asyncFailure.get() : nextAsyncFailures.remove(0);
            if (failure != null) {
                callback.onComplete(offsets, failure);
                return;
            }
            super.commitAsync(offsets, callback);
            offsets.forEach((tp, om) -> accepted.put(tp, om.offset()));
        }

        @Override
        public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
            RuntimeException failure = syncFailure.get();
            if (failure != null) {
                throw failure;
            }
            inSync = true;
            try {
                super.commitSync(offsets, timeout);
            } finally {
                inSync = false;
            }
            offsets.forEach((tp, om) -> accepted.put(tp, om.offset()));
        }

        long committed(TopicPartition tp) {
            return accepted.getOrDefault(tp, -1L);
        }
    }

    private final FailingConsumer consumer = new FailingConsumer();
    private final MockClients clients = new MockClients(consumer);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    /** The mock clients, and an admin client that cannot be created (there is no cluster to list members of). */
    private ProcessorLoop loop(TopicProcessorConfig config, Map<Integer, MessageProcessor> processors) {
        KafkaClientFactory factory = new KafkaClientFactory() {
            @Override
            public Consumer<byte[], byte[]> consumer(Map<String, Object> properties) {
                return clients.consumer;
            }

            @Override
            public Producer<byte[], byte[]> producer(Map<String, Object> properties) {
                return clients.producer;
            }

            @Override
            public Admin admin(Map<String, Object> properties) {
                throw new KafkaException("no admin client in this unit test");
            }
        };
        return new ProcessorLoop(config, processors, new KafkaClientProperties(config), factory,
                new ProcessorLogContext(config.topicProcessorName()));
    }

    private TopicProcessorConfig.Builder staticConfig(String name) {
        return MockClients.config(name, "in").meterRegistry(registry);
    }

    /** Starts a static loop on partition 0 and feeds it three records. */
    private CompletableFuture<Throwable> startStatic(ProcessorLoop loop) {
        consumer.updateBeginningOffsets(Map.of(IN0, 0L));
        consumer.updateEndOffsets(Map.of(IN0, 3L));
        CompletableFuture<Throwable> running = MockClients.start(loop);
        await().atMost(Duration.ofSeconds(10)).until(() -> loop.status().state() == ProcessorState.RUNNING
                || running.isDone());
        consumer.schedulePollTask(() -> {
            for (int i = 0; i < 3; i++) {
                consumer.addRecord(MockClients.record("in", 0, i, "v" + i));
            }
        });
        return running;
    }

    @Test
    void retriableFailuresAreRetriedWithDoublingBackoffUntilTheBrokerAcceptsTheCommit() throws Exception {
        consumer.nextAsyncFailures.addAll(List.of(new RetriableCommitFailedException(new TimeoutException("slow")),
                new CoordinatorNotAvailableException("moving"), new CoordinatorNotAvailableException("moving")));
        ProcessorLoop loop = loop(staticConfig("retry").build(), Map.of(0, COPY));

        CompletableFuture<Throwable> running = startStatic(loop);
        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.committed(IN0) == 3L);

        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < consumer.asyncAttemptNanos.size(); i++) {
            gaps.add(TimeUnit.NANOSECONDS.toMillis(consumer.asyncAttemptNanos.get(i)
                    - consumer.asyncAttemptNanos.get(i - 1)));
        }
        System.out.println("commit attempts " + consumer.asyncAttemptNanos.size() + ", ms between them " + gaps);
        assertThat(consumer.asyncAttemptNanos).hasSize(4);
        assertThat(gaps.get(0)).isBetween(100L, 1_000L);
        assertThat(gaps.get(1)).isBetween(200L, 1_100L);
        assertThat(gaps.get(2)).isBetween(400L, 1_300L);
        assertThat(registry.get("kasper.commit.failures").counter().count()).isEqualTo(3.0);
        await().atMost(Duration.ofSeconds(5)).until(() -> loop.status().isReady());
        assertThat(MockClients.stop(loop, running)).isNull();
        assertThat(loop.status().state()).isEqualTo(ProcessorState.CLOSED);
    }

    @Test
    void theCommitThatSucceedsAfterAFailedOneLinksTheBatchesTheFailedOneTook() throws Exception {
        String batchSpan = "00-11111111111111111111111111111111-2222222222222222-01";
        List<String> commits = new CopyOnWriteArrayList<>();
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig().observationHandler(new ObservationHandler<KasperObservations.Context>() {
            @Override
            public void onStart(KasperObservations.Context context) {
                context.traceparent(batchSpan); // as a tracing handler does
            }

            @Override
            public void onStop(KasperObservations.Context context) {
                if (KasperObservations.COMMIT.equals(context.getName())) {
                    commits.add(context.getLowCardinalityKeyValue(KasperObservations.OUTCOME).getValue() + " "
                            + context.links());
                }
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return context instanceof KasperObservations.Context;
            }
        });
        consumer.nextAsyncFailures.add(new RetriableCommitFailedException(new TimeoutException("slow")));
        ProcessorLoop loop = loop(staticConfig("retry-linked").observationRegistry(observations).build(),
                Map.of(0, COPY));

        CompletableFuture<Throwable> running = startStatic(loop);
        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.committed(IN0) == 3L);

        assertThat(MockClients.stop(loop, running)).isNull();
        assertThat(commits).containsExactly(KasperObservations.OUTCOME_FAILED + " [" + batchSpan + "]",
                KasperObservations.OUTCOME_SUCCESS + " [" + batchSpan + "]");
    }

    @Test
    void aStaticProcessorWhoseGroupRejectsItsCommitStopsAtOnceNamingTheGroupAndTheFix() throws Exception {
        consumer.asyncFailure = CommitFailedException::new;
        ProcessorLoop loop = loop(staticConfig("shared").build(), Map.of(0, COPY));

        Throwable failure = startStatic(loop).get(30, TimeUnit.SECONDS);

        System.out.println("static processor stopped with: " + failure.getMessage());
        assertThat(failure).isInstanceOf(KasperException.class).hasCauseInstanceOf(CommitFailedException.class)
                .hasMessage("TopicProcessor 'shared': the broker rejected the commit of group "
                        + "'kasper-topic-processor-shared': the group coordinator does not know this consumer as a "
                        + "member of the group and takes commits only from its members (CommitFailedException); "
                        + "another consumer is an active member of this group (the members could not be listed: "
                        + "org.apache.kafka.common.KafkaException: no admin client in this unit test); a static "
                        + "processor (inputPartitions) must have its consumer group to itself: stop the other members "
                        + "or give this processor another topicProcessorName. Input processed since the last "
                        + "successful commit is processed again after a restart");
        assertThat(consumer.asyncAttemptNanos).as("no retry of a rejected commit").hasSize(1);
        assertThat(loop.status().state()).isEqualTo(ProcessorState.FAILED);
        assertThat(loop.status().failure()).containsSame((KasperException) failure);
        assertThat(loop.status().isReady()).isFalse();
        assertThat(consumer.committed(IN0)).as("nothing committed").isEqualTo(-1L);
        assertThat(clients.producer.history()).as("the output was produced").hasSize(3);
        assertThat(consumer.closed()).isTrue();
        assertThat(clients.producer.closed()).isTrue();
        assertThat(registry.find("kasper.commit.failures").counter()).as("meters removed").isNull();
    }

    @Test
    void aCommitDeniedByGroupAclsStopsTheProcessorAtOnce() throws Exception {
        consumer.asyncFailure = () -> new GroupAuthorizationException("Not authorized to access group: "
                + "kasper-topic-processor-denied", "kasper-topic-processor-denied");
        ProcessorLoop loop = loop(staticConfig("denied").build(), Map.of(0, COPY));

        Throwable failure = startStatic(loop).get(30, TimeUnit.SECONDS);

        assertThat(failure).isInstanceOf(KasperException.class)
                .hasCauseInstanceOf(GroupAuthorizationException.class)
                .hasMessageStartingWith("TopicProcessor 'denied': the broker rejected the commit of group "
                        + "'kasper-topic-processor-denied': Not authorized to access group: "
                        + "kasper-topic-processor-denied (GroupAuthorizationException); the principal needs the READ "
                        + "ACL on group 'kasper-topic-processor-denied'.");
        assertThat(consumer.asyncAttemptNanos).hasSize(1);
        assertThat(loop.status().state()).isEqualTo(ProcessorState.FAILED);
    }

    @Test
    void commitsFailingRetriablyForTheOutageTimeoutStopTheProcessorInsteadOfStallingIt() throws Exception {
        consumer.asyncFailure = () -> new CoordinatorNotAvailableException("The coordinator is not available.");
        ProcessorLoop loop = loop(staticConfig("stalled")
                .errorPolicy(ErrorPolicy.builder().brokerOutageTimeout(Duration.ofSeconds(2)).build()).build(),
                Map.of(0, COPY));

        Throwable failure = startStatic(loop).get(30, TimeUnit.SECONDS);

        long failingMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - consumer.asyncAttemptNanos.get(0));
        System.out.println("stopped " + failingMillis + " ms after the first failed commit, after "
                + consumer.asyncAttemptNanos.size() + " attempts: " + failure.getMessage());
        assertThat(failure).isInstanceOf(KasperException.class)
                .hasMessageStartingWith("TopicProcessor 'stalled': commits of group 'kasper-topic-processor-stalled' "
                        + "have failed for ")
                .hasMessageContaining("errorPolicy brokerOutageTimeout PT2S), the last with "
                        + "org.apache.kafka.common.errors.CoordinatorNotAvailableException: The coordinator is not "
                        + "available.; stopping.");
        assertThat(failingMillis).isBetween(2_000L, 8_000L);
        assertThat(loop.status().state()).isEqualTo(ProcessorState.FAILED);
    }

    @Test
    void aFinalCommitTheBrokerRejectsFailsTheClose() throws Exception {
        consumer.asyncFailure = () -> new CoordinatorNotAvailableException("moving");
        consumer.syncFailure = CommitFailedException::new;
        ProcessorLoop loop = loop(staticConfig("final").build(), Map.of(0, COPY));

        CompletableFuture<Throwable> running = startStatic(loop);
        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.asyncAttemptNanos.size() >= 1);
        Throwable failure = MockClients.stop(loop, running);

        assertThat(failure).isInstanceOf(KasperException.class).hasCauseInstanceOf(CommitFailedException.class)
                .hasMessageStartingWith("TopicProcessor 'final': the broker rejected the commit of group "
                        + "'kasper-topic-processor-final': the group coordinator does not know this consumer");
        assertThat(loop.status().state()).isEqualTo(ProcessorState.FAILED);
    }

    /** A group-managed loop on partitions 0 and 1, with three records on each. */
    private ProcessorLoop startGroupManaged(String name, List<String> events) {
        return startGroupManaged(name, events, ErrorPolicy.DEFAULT_BROKER_OUTAGE_TIMEOUT);
    }

    private ProcessorLoop startGroupManaged(String name, List<String> events, Duration brokerOutageTimeout) {
        consumer.updateBeginningOffsets(Map.of(IN0, 0L, IN1, 0L));
        consumer.updateEndOffsets(Map.of(IN0, 3L, IN1, 3L));
        PartitionListener listener = RecordingListener.into(events);
        TopicProcessorConfig config = TopicProcessorConfig.builder().topicProcessorName(name)
                .bootstrapServers("mock:9092").inputTopics("in").groupManaged().partitionListener(listener)
                .batchWaitDuration(Duration.ofMillis(10)).closeTimeout(Duration.ofSeconds(5)).meterRegistry(registry)
                .errorPolicy(ErrorPolicy.builder().brokerOutageTimeout(brokerOutageTimeout).build()).build();
        ProcessorLoop loop = loop(config, Map.of(0, COPY, 1, COPY));
        consumer.schedulePollTask(() -> consumer.rebalance(List.of(IN0, IN1)));
        consumer.schedulePollTask(() -> {
            for (int i = 0; i < 3; i++) {
                consumer.addRecord(MockClients.record("in", 0, i, "p0-" + i));
                consumer.addRecord(MockClients.record("in", 1, i, "p1-" + i));
            }
        });
        return loop;
    }

    @Test
    void inAGroupARejectedMembershipIsRetriedAndTheOffsetOfAPartitionRevokedMeanwhileIsDropped() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        consumer.asyncFailure = CommitFailedException::new;
        consumer.syncFailure = CommitFailedException::new;
        ProcessorLoop loop = startGroupManaged("rebalancing", events);

        CompletableFuture<Throwable> running = MockClients.start(loop);
        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.asyncAttemptNanos.size() >= 2);
        assertThat(consumer.asyncAttemptPartitions.get(1)).as("retried while owned").containsExactlyInAnyOrder(IN0,
                IN1);
        // The rebalance the rejection announced: partition 0 moves away; its commit during revocation is rejected.
        consumer.schedulePollTask(() -> consumer.rebalance(List.of(IN1)));
        await().atMost(Duration.ofSeconds(10)).until(() -> events.contains("revoked [0]"));
        int attemptsBeforeRevocation = consumer.asyncAttemptPartitions.size();
        consumer.asyncFailure = () -> null;
        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.committed(IN1) == 3L);

        List<Set<TopicPartition>> after = consumer.asyncAttemptPartitions.subList(attemptsBeforeRevocation,
                consumer.asyncAttemptPartitions.size());
        System.out.println("commit attempts " + consumer.asyncAttemptPartitions + "; events " + events);
        assertThat(after).as("attempts after the revocation").isNotEmpty().allSatisfy(
                partitions -> assertThat(partitions).doesNotContain(IN0));
        assertThat(consumer.committed(IN0)).as("the revoked partition's stale offset").isEqualTo(-1L);
        assertThat(running).isNotDone();
        assertThat(loop.status().state()).isEqualTo(ProcessorState.RUNNING);
        assertThat(MockClients.stop(loop, running)).isNull();
    }

    @Test
    void inAGroupFailedCommitsOfPartitionsThatWereRevokedDoNotStopTheProcessorLater() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        consumer.asyncFailure = CommitFailedException::new;
        consumer.syncFailure = CommitFailedException::new;
        ProcessorLoop loop = startGroupManaged("moved-away", events, Duration.ofSeconds(2));

        CompletableFuture<Throwable> running = MockClients.start(loop);
        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.asyncAttemptNanos.size() >= 1);
        consumer.schedulePollTask(() -> consumer.rebalance(List.of()));
        await().atMost(Duration.ofSeconds(10)).until(() -> events.contains("revoked [0, 1]"));

        // Nothing is left to commit, so the failures cannot outlast brokerOutageTimeout (2 s).
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> !running.isDone());
        assertThat(loop.status().state()).isEqualTo(ProcessorState.RUNNING);
        assertThat(MockClients.stop(loop, running)).isNull();
    }

    @Test
    void inAGroupACommitDuringRevocationDeniedByAclsStopsTheProcessor() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        consumer.asyncFailure = () -> new CoordinatorNotAvailableException("moving");
        consumer.syncFailure = () -> new GroupAuthorizationException("Not authorized to access group: "
                + "kasper-topic-processor-revoking", "kasper-topic-processor-revoking");
        ProcessorLoop loop = startGroupManaged("revoking", events);

        CompletableFuture<Throwable> running = MockClients.start(loop);
        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.asyncAttemptNanos.size() >= 1);
        consumer.schedulePollTask(() -> consumer.rebalance(List.of(IN1)));
        Throwable failure = running.get(30, TimeUnit.SECONDS);

        assertThat(failure).isInstanceOf(KasperException.class)
                .hasCauseInstanceOf(GroupAuthorizationException.class)
                .hasMessageStartingWith("TopicProcessor 'revoking': the broker rejected the commit of group "
                        + "'kasper-topic-processor-revoking': Not authorized to access group: "
                        + "kasper-topic-processor-revoking (GroupAuthorizationException); the principal needs the "
                        + "READ ACL on group 'kasper-topic-processor-revoking'.");
        assertThat(events).contains("revoked [0]");
        assertThat(loop.status().state()).isEqualTo(ProcessorState.FAILED);
        assertThat(consumer.accepted).as("nothing committed").isEmpty();
    }
}
