package io.kasper.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kasper.GroupProtocol;
import io.kasper.KasperException;
import io.kasper.KasperMetrics;
import io.kasper.KasperObservations;
import io.kasper.MessageProcessor;
import io.kasper.PartitionListener;
import io.kasper.TopicProcessorConfig;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.clients.consumer.RetriableCommitFailedException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The loop under the consumer group protocol, whose rebalances give and take each topic-partition on its own, on
 * {@code MockConsumer} (its {@code rebalance} calls the listener incrementally, as the consumer protocol does): a
 * partition number is processed only while every input topic's partition of it is held.
 */
class ProcessorLoopIncrementalTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final TopicPartition A0 = new TopicPartition("a", 0);
    private static final TopicPartition A1 = new TopicPartition("a", 1);
    private static final TopicPartition B0 = new TopicPartition("b", 0);
    private static final TopicPartition B1 = new TopicPartition("b", 1);

    /**
     * Records what is committed and the listener the loop subscribed with; asynchronous commits fail while
     * {@link #failAsync} is set (MockConsumer's synchronous commit goes through its asynchronous one).
     */
    static final class IncrementalConsumer extends MockConsumer<byte[], byte[]> {
        volatile boolean failAsync;
        volatile ConsumerRebalanceListener listener;
        final Map<TopicPartition, Long> accepted = new ConcurrentHashMap<>();
        private boolean inSync;

        IncrementalConsumer() {
            super("earliest");
        }

        @Override
        public synchronized void subscribe(Collection<String> topics, ConsumerRebalanceListener callback) {
            listener = callback;
            super.subscribe(topics, callback);
        }

        @Override
        public synchronized void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets,
                OffsetCommitCallback callback) {
            if (failAsync && !inSync) {
                callback.onComplete(offsets, new RetriableCommitFailedException(
                        new CoordinatorNotAvailableException("failing asynchronous commits")));
                return;
            }
            super.commitAsync(offsets, callback);
            offsets.forEach((tp, om) -> accepted.put(tp, om.offset()));
        }

        @Override
        public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
            inSync = true;
            try {
                super.commitSync(offsets, timeout);
            } finally {
                inSync = false;
            }
        }
    }

    private final IncrementalConsumer consumer = new IncrementalConsumer();
    private final MockClients clients = new MockClients(consumer);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    /** Every processed batch as "partition: values". */
    private final List<String> batches = new CopyOnWriteArrayList<>();
    private final List<String> events = new CopyOnWriteArrayList<>();
    /** The commit observations as they stopped: what they committed and their outcome. */
    private final List<String> commits = new CopyOnWriteArrayList<>();
    private ObservationRegistry observations = ObservationRegistry.NOOP;
    private ProcessorLoop loop;
    private CompletableFuture<Throwable> running;

    @AfterEach
    void stop() throws Exception {
        if (running != null && !running.isDone()) {
            MockClients.stop(loop, running);
        }
    }

    private void start(String name) {
        consumer.updateBeginningOffsets(Map.of(A0, 0L, A1, 0L, B0, 0L, B1, 0L));
        PartitionListener listener = new PartitionListener() {
            @Override
            public void onPartitionsAssigned(Set<Integer> partitionNumbers) {
                events.add("assigned " + partitionNumbers);
            }

            @Override
            public void onPartitionsRevoked(Set<Integer> partitionNumbers) {
                events.add("revoked " + partitionNumbers);
            }

            @Override
            public void onPartitionsLost(Set<Integer> partitionNumbers) {
                events.add("lost " + partitionNumbers);
            }
        };
        TopicProcessorConfig config = TopicProcessorConfig.builder().topicProcessorName(name)
                .bootstrapServers("mock:9092").inputTopics("a", "b").groupManaged()
                .groupProtocol(GroupProtocol.CONSUMER).partitionListener(listener).meterRegistry(registry)
                .observationRegistry(observations)
                .batchWaitDuration(Duration.ofMillis(10)).closeTimeout(Duration.ofSeconds(5)).build();
        MessageProcessor record = (messages, sender) -> {
            // sorted: records of several topics come in the order the consumer returned them
            Set<String> values = new TreeSet<>();
            for (ConsumerRecord<byte[], byte[]> m : messages) {
                values.add(new String(m.value(), StandardCharsets.UTF_8));
            }
            batches.add(messages.get(0).partition() + ": " + String.join(",", values));
        };
        loop = clients.loop(config, Map.of(0, record, 1, record));
        running = MockClients.start(loop);
    }

    /** On the loop's next poll: the group's assignment becomes {@code assignment}, then records arrive. */
    private void rebalanceThenAdd(List<TopicPartition> assignment, Map<TopicPartition, Integer> records) {
        consumer.schedulePollTask(() -> {
            consumer.rebalance(assignment); // MockConsumer drops records not yet polled here
            records.forEach((tp, n) -> {
                for (int i = 0; i < n; i++) {
                    consumer.addRecord(MockClients.record(tp.topic(), tp.partition(), i, tp + "#" + i));
                }
            });
        });
    }

    @Test
    void aNumberHeldForOneTopicOnlyWaitsPausedWhileTheWholeNumbersAreProcessed() {
        start("incomplete");
        rebalanceThenAdd(List.of(A0, A1, B1), Map.of(A0, 2, A1, 1, B1, 1));

        await().atMost(WAIT).until(() -> batches.size() == 1);
        assertThat(batches).containsExactly("1: a-1#0,b-1#0");
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> batches.size() == 1);
        assertThat(events).containsExactly("assigned [1]");
        assertThat(consumer.paused()).containsExactly(A0);
        assertThat(loop.hasConsumedAllMessages()).as("partition 0 of topic b is nobody's here yet").isFalse();

        // b-0 arrives (its previous owner released it): 0 is whole, and a-0's waiting records are processed with it
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(A0, A1, B0, B1));
            consumer.addRecord(MockClients.record("a", 0, 0, "a-0#0"));
            consumer.addRecord(MockClients.record("a", 0, 1, "a-0#1"));
            consumer.addRecord(MockClients.record("b", 0, 0, "b-0#0"));
        });
        await().atMost(WAIT).until(() -> batches.size() == 2);

        assertThat(batches.get(1)).isEqualTo("0: a-0#0,a-0#1,b-0#0");
        assertThat(events).containsExactly("assigned [1]", "assigned [0]");
        assertThat(consumer.paused()).isEmpty();
        Timer waited = registry.find(KasperMetrics.PARTITION_INCOMPLETE).tag(KasperMetrics.TAG_PARTITION, "0").timer();
        assertThat(waited).isNotNull();
        assertThat(waited.count()).isEqualTo(1);
        assertThat(waited.totalTime(TimeUnit.MILLISECONDS)).as("0 waited at least the 300 ms checked above")
                .isGreaterThanOrEqualTo(300);
        assertThat(registry.find(KasperMetrics.PARTITION_INCOMPLETE).tag(KasperMetrics.TAG_PARTITION, "1").timer()
                .totalTime(TimeUnit.NANOSECONDS)).as("1 came whole").isZero();
    }

    @Test
    void revokingOneTopicsPartitionCommitsTheNumbersBatchesWhileOwnedAndKeepsTheOtherNumberRunning() {
        // asynchronous commits fail, so only the synchronous commit of the revocation can commit partition 0
        consumer.failAsync = true;
        start("revoke-one");
        rebalanceThenAdd(List.of(A0, A1, B0, B1), Map.of(A0, 2, B0, 1, A1, 1));
        await().atMost(WAIT).until(() -> batches.size() == 2);

        rebalanceThenAdd(List.of(A0, A1, B1), Map.of(A1, 2, B1, 1));
        await().atMost(WAIT).until(() -> events.contains("revoked [0]") && batches.size() == 3);

        assertThat(consumer.accepted).as("number 0, both topics, committed during the revocation")
                .isEqualTo(Map.of(A0, 2L, B0, 1L));
        assertThat(batches).as("1 did not move: it goes on from its position").containsExactlyInAnyOrder(
                "0: a-0#0,a-0#1,b-0#0", "1: a-1#0", "1: a-1#1,b-1#0");
        assertThat(events).containsExactly("assigned [0, 1]", "revoked [0]");
        assertThat(consumer.paused()).as("a-0 is still held, and waits for b-0").containsExactly(A0);
        assertThat(consumer.position(A0)).as("rewound to its committed offset").isEqualTo(2L);
    }

    @Test
    void theCommitOfARevocationIsObservedAndTimedLikeTheLoopsOwnCommits() throws Exception {
        observations = ObservationRegistry.create();
        observations.observationConfig().observationHandler(new ObservationHandler<KasperObservations.Context>() {
            @Override
            public void onStop(KasperObservations.Context context) {
                if (KasperObservations.COMMIT.equals(context.getName())) {
                    commits.add(context.getHighCardinalityKeyValue(KasperObservations.COMMITTED).getValue() + " "
                            + context.getLowCardinalityKeyValue(KasperObservations.OUTCOME).getValue());
                }
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return context instanceof KasperObservations.Context;
            }
        });
        // asynchronous commits fail, so the only successful commit is the synchronous one of the revocation
        consumer.failAsync = true;
        start("revoke-observed");
        rebalanceThenAdd(List.of(A0, A1, B0, B1), Map.of(A0, 2, B0, 1));
        await().atMost(WAIT).until(() -> batches.size() == 1);
        Timer commitTime = registry.find(KasperMetrics.COMMIT_TIME).timer(); // removed from the registry on stop

        rebalanceThenAdd(List.of(A1, B1), Map.of());
        await().atMost(WAIT).until(() -> events.contains("revoked [0]"));
        MockClients.stop(loop, running);

        assertThat(commits).filteredOn(c -> c.endsWith(" " + KasperObservations.OUTCOME_SUCCESS)).singleElement()
                .satisfies(c -> assertThat(c).contains("a-0=2", "b-0=1").doesNotContain("-1="));
        assertThat(commitTime.count())
                .as("every observed commit is timed, the failed asynchronous ones and the revocation's: %s", commits)
                .isEqualTo(commits.size());
    }

    @Test
    void losingEverythingTellsTheListenerOnlyOfTheWholeNumbers() {
        start("lost");
        rebalanceThenAdd(List.of(A0, A1, B1), Map.of(A1, 1, B1, 1));
        await().atMost(WAIT).until(() -> batches.size() == 1);

        consumer.schedulePollTask(() -> consumer.listener.onPartitionsLost(List.of(A0, A1, B1)));
        await().atMost(WAIT).until(() -> events.size() == 2);

        assertThat(events).containsExactly("assigned [1]", "lost [1]");
    }

    @Test
    void aClusterWithoutTheConsumerProtocolFailsTheLoopNamingTheBrokersAndTheSwitch() throws Exception {
        consumer.setPollException(new UnsupportedVersionException("The cluster does not support the new CONSUMER "
                + "group protocol. Set group.protocol=classic on the consumer configs to revert to the CLASSIC "
                + "protocol until the cluster is upgraded."));
        start("old-brokers");

        Throwable failure = running.get(30, TimeUnit.SECONDS);

        assertThat(failure).isInstanceOf(KasperException.class).hasCauseInstanceOf(UnsupportedVersionException.class)
                .hasMessage("TopicProcessor 'old-brokers': groupProtocol CONSUMER needs brokers of Kafka 4.0 or "
                        + "newer that serve the consumer group protocol (feature group.version at 1 or more, "
                        + "'consumer' in group.coordinator.rebalance.protocols), but the cluster at mock:9092 does "
                        + "not: the group coordinator answered: The cluster does not support the new CONSUMER group "
                        + "protocol. Set group.protocol=classic on the consumer configs to revert to the CLASSIC "
                        + "protocol until the cluster is upgraded. Use groupProtocol(GroupProtocol.CLASSIC) until "
                        + "the brokers are upgraded");
    }
}
