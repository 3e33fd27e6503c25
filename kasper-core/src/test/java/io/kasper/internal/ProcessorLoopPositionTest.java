package io.kasper.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kasper.BatchFailedException;
import io.kasper.KasperMetrics;
import io.kasper.MessageProcessor;
import io.kasper.PartitionListener;
import io.kasper.ProcessorState;
import io.kasper.TopicProcessorConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which offsets the loop commits when the consumer's position moves past offsets it never delivers (transaction
 * markers, aborted records, compaction gaps), and what {@code hasConsumedAllMessages()} says around rebalances. On
 * {@code MockConsumer}; {@code TransactionalInputIT} proves the same on a real broker.
 */
class ProcessorLoopPositionTest {

    private static final TopicPartition IN0 = new TopicPartition("in", 0);
    private static final TopicPartition IN1 = new TopicPartition("in", 1);
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Several of the loop's 20 ms progress refreshes. */
    private static final Duration STEADY = Duration.ofMillis(300);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final GapConsumer consumer = new GapConsumer();
    private final MockClients clients = new MockClients(consumer);
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final MessageProcessor copy = (messages, sender) -> messages.forEach(m -> {
        output.add(new String(m.value()));
        sender.send(new ProducerRecord<>("out", m.key(), m.value()));
    });
    private ProcessorLoop loop;
    private CompletableFuture<Throwable> running;

    @AfterEach
    void stopLoop() throws Exception {
        if (running != null && !running.isDone()) {
            MockClients.stop(loop, running);
        }
    }

    @Test
    void batchEndingAtTheLastFetchedRecordCommitsThePositionPastTheMarker() throws Exception {
        consumer.updateBeginningOffsets(Map.of(IN0, 0L));
        consumer.updateEndOffsets(Map.of(IN0, 5L));
        start(MockClients.config("gap", "in").meterRegistry(registry).build(), Map.of(0, copy));

        consumer.skipAfterRecords(IN0, 5);
        addRecords(IN0, 0, 3);

        await().atMost(WAIT).until(loop::hasConsumedAllMessages);
        System.out.println("commits of in-0: " + consumer.commitsOf(IN0));
        assertThat(consumer.commitsOf(IN0)).containsExactly(5L);
        assertThat(output).containsExactly("v0", "v1", "v2");
        assertThat(behind(IN0)).isZero();
    }

    @Test
    void batchWithLaterRecordsStillWaitingCommitsAfterItsLastRecordAndTheLastBatchCommitsThePosition()
            throws Exception {
        consumer.updateBeginningOffsets(Map.of(IN0, 0L));
        consumer.updateEndOffsets(Map.of(IN0, 5L));
        start(MockClients.config("gap-split", "in").batchSize(2).maxUncommittedBatches(1).build(), Map.of(0, copy));

        consumer.skipAfterRecords(IN0, 5);
        addRecords(IN0, 0, 3);

        await().atMost(WAIT).until(loop::hasConsumedAllMessages);
        System.out.println("commits of in-0: " + consumer.commitsOf(IN0));
        assertThat(consumer.commitsOf(IN0)).as("offset 2 waited when [0, 1] was committed").containsExactly(2L, 5L);
        assertThat(output).containsExactly("v0", "v1", "v2");
    }

    @Test
    void idlePartitionWhosePositionMovedPastAMarkerAfterItsLastBatchCommitsThePosition() throws Exception {
        consumer.updateBeginningOffsets(Map.of(IN0, 0L));
        consumer.updateEndOffsets(Map.of(IN0, 3L));
        start(MockClients.config("idle", "in").build(), Map.of(0, copy));
        addRecords(IN0, 0, 3);
        await().atMost(WAIT).until(loop::hasConsumedAllMessages);

        // the commit marker at offset 3 arrives on a later poll that returns no record
        consumer.schedulePollTask(() -> {
            consumer.updateEndOffsets(Map.of(IN0, 4L));
            consumer.seek(IN0, 4);
        });

        await().atMost(WAIT).until(() -> consumer.commitsOf(IN0).contains(4L));
        await().atMost(WAIT).until(loop::hasConsumedAllMessages);
        System.out.println("commits of in-0: " + consumer.commitsOf(IN0));
        assertThat(consumer.commitsOf(IN0)).containsExactly(3L, 4L);
        assertThat(output).containsExactly("v0", "v1", "v2");
    }

    @Test
    void partitionHoldingOnlyAMarkerIsCommittedAtItsEnd() throws Exception {
        consumer.updateBeginningOffsets(Map.of(IN0, 0L));
        consumer.updateEndOffsets(Map.of(IN0, 1L));
        start(MockClients.config("marker-only", "in").build(), Map.of(0, copy));

        consumer.schedulePollTask(() -> consumer.seek(IN0, 1));

        await().atMost(WAIT).until(loop::hasConsumedAllMessages);
        assertThat(consumer.commitsOf(IN0)).containsExactly(1L);
        assertThat(output).isEmpty();
    }

    @Test
    void positionIsCommittedOnlyOnceTheBatchOutputIsAcknowledged() throws Exception {
        consumer.updateBeginningOffsets(Map.of(IN0, 0L));
        consumer.updateEndOffsets(Map.of(IN0, 5L));
        MockClients unacknowledging = new MockClients(consumer, MockClients.producer(false));
        MockProducer<byte[], byte[]> producer = unacknowledging.producer;
        loop = unacknowledging.loop(MockClients.config("gap-acks", "in").build(), Map.of(0, copy));
        running = MockClients.start(loop);

        consumer.skipAfterRecords(IN0, 5);
        addRecords(IN0, 0, 3);
        await().atMost(WAIT).until(() -> producer.history().size() == 3);
        await().during(STEADY).atMost(WAIT).until(() -> consumer.commitsOf(IN0).isEmpty());
        while (producer.completeNext()) {
            // acknowledge every output message
        }

        await().atMost(WAIT).until(loop::hasConsumedAllMessages);
        assertThat(consumer.commitsOf(IN0)).containsExactly(5L);
    }

    @Test
    void positionIsNeverCommittedPastABatchThatFailed() throws Exception {
        consumer.updateBeginningOffsets(Map.of(IN0, 0L));
        consumer.updateEndOffsets(Map.of(IN0, 5L));
        MessageProcessor failing = (messages, sender) -> {
            throw new IllegalStateException("boom at " + messages.get(0).offset());
        };
        start(MockClients.config("gap-fail", "in").build(), Map.of(0, failing));

        consumer.skipAfterRecords(IN0, 5);
        addRecords(IN0, 0, 3);

        Throwable failure = running.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        assertThat(failure).isInstanceOf(BatchFailedException.class).hasMessageContaining("boom at 0")
                .hasMessageContaining("nothing of it was committed");
        assertThat(consumer.commitsOf(IN0)).as("neither the batch's position nor the idle position").isEmpty();
        assertThat(loop.hasConsumedAllMessages()).isFalse();
    }

    @Test
    void staticBacklogKeepsConsumedAllFalseUntilItIsCommitted() throws Exception {
        consumer.updateBeginningOffsets(Map.of(IN0, 0L));
        consumer.updateEndOffsets(Map.of(IN0, 3L));
        start(MockClients.config("backlog", "in").build(), Map.of(0, copy));

        await().during(STEADY).atMost(WAIT).until(() -> !loop.hasConsumedAllMessages());
        addRecords(IN0, 0, 3);

        await().atMost(WAIT).until(loop::hasConsumedAllMessages);
        assertThat(consumer.commitsOf(IN0)).containsExactly(3L);
    }

    @Test
    void consumedAllIsFalseFromTheRevocationUntilTheNewAssignmentIsConsumed() throws Exception {
        consumer.updateBeginningOffsets(Map.of(IN0, 0L, IN1, 0L));
        consumer.updateEndOffsets(Map.of(IN0, 3L, IN1, 2L));
        AtomicReference<ProcessorLoop> self = new AtomicReference<>();
        List<String> seenInCallbacks = new CopyOnWriteArrayList<>();
        PartitionListener listener = new PartitionListener() {
            @Override
            public void onPartitionsAssigned(Set<Integer> partitionNumbers) {
                seenInCallbacks.add("assigned " + partitionNumbers + " consumedAll="
                        + self.get().hasConsumedAllMessages() + " state=" + self.get().status().state());
            }

            @Override
            public void onPartitionsRevoked(Set<Integer> partitionNumbers) {
                seenInCallbacks.add("revoked " + partitionNumbers + " consumedAll="
                        + self.get().hasConsumedAllMessages() + " state=" + self.get().status().state());
            }
        };
        TopicProcessorConfig config = TopicProcessorConfig.builder().topicProcessorName("rebalance")
                .bootstrapServers("mock:9092").inputTopics("in").groupManaged().partitionListener(listener)
                .batchWaitDuration(Duration.ofMillis(10)).closeTimeout(Duration.ofSeconds(5)).build();
        loop = clients.loop(config, Map.of(0, copy, 1, copy));
        self.set(loop);
        running = MockClients.start(loop);
        consumer.schedulePollTask(() -> consumer.rebalance(List.of(IN0)));
        addRecords(IN0, 0, 3);
        await().atMost(WAIT).until(loop::hasConsumedAllMessages);

        // an eager rebalance starts: the group revokes everything; the new assignment comes polls later
        consumer.schedulePollTask(() -> consumer.listener.onPartitionsRevoked(List.of(IN0)));
        await().atMost(WAIT).until(() -> seenInCallbacks.size() == 2);
        await().during(STEADY).atMost(WAIT).until(() -> !loop.hasConsumedAllMessages()
                && loop.status().state() == ProcessorState.REBALANCING);

        // the new assignment has a backlog of 2 records on in-1, not yet fetched
        consumer.schedulePollTask(() -> consumer.rebalance(List.of(IN1)));
        await().atMost(WAIT).until(() -> loop.status().state() == ProcessorState.RUNNING);
        await().during(STEADY).atMost(WAIT).until(() -> !loop.hasConsumedAllMessages());
        addRecords(IN1, 0, 2);
        await().atMost(WAIT).until(loop::hasConsumedAllMessages);

        System.out.println("seen in callbacks: " + seenInCallbacks);
        assertThat(seenInCallbacks).containsExactly(
                "assigned [0] consumedAll=false state=STARTING",
                "revoked [0] consumedAll=false state=REBALANCING", // not again when MockConsumer.rebalance revokes
                // in-0 a second time: a number is reported revoked once
                "assigned [1] consumedAll=false state=REBALANCING");
        assertThat(consumer.commitsOf(IN1)).containsExactly(2L);
        assertThat(output).containsExactly("v0", "v1", "v2", "v0", "v1");
    }

    @Test
    void inputFetchedAfterAllWasConsumedIsNotReportedConsumedWhileItsBatchIsProcessed() throws Exception {
        consumer.updateBeginningOffsets(Map.of(IN0, 0L));
        consumer.updateEndOffsets(Map.of(IN0, 2L));
        List<Boolean> consumedAllInProcess = new CopyOnWriteArrayList<>();
        MessageProcessor observing = (messages, sender) -> consumedAllInProcess.add(loop.hasConsumedAllMessages());
        // a full batch is processed in the loop step of the poll that fetched it
        start(MockClients.config("fetched", "in").batchSize(2).build(), Map.of(0, observing));

        addRecords(IN0, 0, 2);
        await().atMost(WAIT).until(loop::hasConsumedAllMessages);
        consumer.updateEndOffsets(Map.of(IN0, 4L));
        addRecords(IN0, 2, 2);
        await().atMost(WAIT).until(() -> consumedAllInProcess.size() == 2);

        assertThat(consumedAllInProcess).containsExactly(false, false);
        await().atMost(WAIT).until(loop::hasConsumedAllMessages);
    }

    private void start(TopicProcessorConfig config, Map<Integer, MessageProcessor> processors) {
        loop = clients.loop(config, processors);
        running = MockClients.start(loop);
        await().atMost(WAIT).until(() -> loop.status().state() == ProcessorState.RUNNING);
    }

    /** Adds records {@code from}..{@code from + n - 1} ("v0".."v{n-1}") on the loop's next poll. */
    private void addRecords(TopicPartition tp, long from, int n) {
        consumer.schedulePollTask(() -> {
            for (int i = 0; i < n; i++) {
                consumer.addRecord(MockClients.record(tp.topic(), tp.partition(), from + i, "v" + i));
            }
        });
    }

    private double behind(TopicPartition tp) {
        return registry.get(KasperMetrics.MESSAGES_BEHIND).tag("topic", tp.topic())
                .tag("partition", String.valueOf(tp.partition())).gauge().value();
    }

    /**
     * A {@code MockConsumer} that can leave a position past the records a poll returned (as a real consumer does when
     * the fetch also held a transaction marker or aborted records), records every commit, and exposes the rebalance
     * listener the loop subscribed with.
     */
    static final class GapConsumer extends MockConsumer<byte[], byte[]> {
        private final Map<TopicPartition, Long> positionAfterRecords = new HashMap<>();
        private final List<Map<TopicPartition, Long>> commits = new CopyOnWriteArrayList<>();
        volatile ConsumerRebalanceListener listener;

        GapConsumer() {
            super("earliest");
        }

        /** Leaves {@code tp}'s position at {@code position} after the next poll that returns records of it. */
        synchronized void skipAfterRecords(TopicPartition tp, long position) {
            positionAfterRecords.put(tp, position);
        }

        @Override
        public synchronized ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
            ConsumerRecords<byte[], byte[]> records = super.poll(timeout);
            for (TopicPartition tp : records.partitions()) {
                Long skipTo = positionAfterRecords.remove(tp);
                if (skipTo != null) {
                    seek(tp, skipTo);
                }
            }
            return records;
        }

        @Override
        public synchronized void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets,
                OffsetCommitCallback callback) {
            Map<TopicPartition, Long> plain = new HashMap<>();
            offsets.forEach((tp, om) -> plain.put(tp, om.offset()));
            commits.add(plain);
            super.commitAsync(offsets, callback);
        }

        @Override
        public void subscribe(Collection<String> topics, ConsumerRebalanceListener callback) {
            listener = callback;
            super.subscribe(topics, callback);
        }

        /** Every offset committed for {@code tp}, in commit order. */
        List<Long> commitsOf(TopicPartition tp) {
            List<Long> result = new ArrayList<>();
            commits.forEach(c -> {
                if (c.containsKey(tp)) {
                    result.add(c.get(tp));
                }
            });
            return result;
        }
    }
}
