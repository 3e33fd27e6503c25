package io.kasper.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kasper.BatchFailedException;
import io.kasper.ErrorPolicy;
import io.kasper.KasperMetrics;
import io.kasper.MessageProcessor;
import io.kasper.ProcessingGuarantee;
import io.kasper.ProcessorState;
import io.kasper.TopicProcessorConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** The loop under {@link ProcessingGuarantee#EXACTLY_ONCE}, on a transactional {@code MockProducer}. */
class ProcessorLoopExactlyOnceTest {

    private static final TopicPartition IN0 = new TopicPartition("in", 0);
    private static final String GROUP = "dummy.group.id"; // MockConsumer's group metadata

    /** A consumer that keeps its input like a log (a seek back fetches it again) and counts its own commits. */
    static final class LogConsumer extends MockConsumer<byte[], byte[]> {
        final List<ConsumerRecord<byte[], byte[]>> log = new CopyOnWriteArrayList<>();
        final AtomicInteger consumerCommits = new AtomicInteger();

        LogConsumer() {
            super("earliest");
        }

        void append(ConsumerRecord<byte[], byte[]> record) {
            log.add(record);
            addRecord(record);
        }

        @Override
        public synchronized void seek(TopicPartition partition, long offset) {
            super.seek(partition, offset);
            log.stream().filter(r -> r.offset() >= offset).forEach(this::addRecord);
        }

        @Override
        public synchronized void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets,
                OffsetCommitCallback callback) {
            consumerCommits.incrementAndGet();
            super.commitAsync(offsets, callback);
        }

        @Override
        public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
            consumerCommits.incrementAndGet();
            super.commitSync(offsets, timeout);
        }
    }

    private final LogConsumer consumer = new LogConsumer();
    private final AtomicInteger aborts = new AtomicInteger();
    private final MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
            new ByteArraySerializer()) {
        @Override
        public void abortTransaction() {
            aborts.incrementAndGet();
            super.abortTransaction();
        }
    };
    private final MockClients clients = new MockClients(consumer, producer);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private TopicProcessorConfig.Builder config(String name) {
        return MockClients.config(name, "in").meterRegistry(registry)
                .processingGuarantee(ProcessingGuarantee.EXACTLY_ONCE);
    }

    private CompletableFuture<Throwable> start(ProcessorLoop loop, int records) {
        consumer.updateBeginningOffsets(Map.of(IN0, 0L));
        consumer.updateEndOffsets(Map.of(IN0, (long) records));
        CompletableFuture<Throwable> running = MockClients.start(loop);
        await().atMost(Duration.ofSeconds(10)).until(() -> loop.status().state() == ProcessorState.RUNNING
                || running.isDone());
        consumer.schedulePollTask(() -> {
            for (int i = 0; i < records; i++) {
                consumer.append(MockClients.record("in", 0, i, "v" + i));
            }
        });
        return running;
    }

    private static MessageProcessor copy() {
        return (messages, sender) -> messages.forEach(m -> sender.send(new ProducerRecord<>("out", m.key(),
                m.value())));
    }

    private List<String> committedOutput() {
        List<String> values = new ArrayList<>();
        producer.history().forEach(r -> values.add(new String(r.value(), StandardCharsets.UTF_8)));
        return values;
    }

    private long committedOffset() {
        long offset = -1;
        for (Map<String, Map<TopicPartition, OffsetAndMetadata>> commit : producer.consumerGroupOffsetsHistory()) {
            OffsetAndMetadata om = commit.getOrDefault(GROUP, Map.of()).get(IN0);
            if (om != null) {
                offset = om.offset();
            }
        }
        return offset;
    }

    @Test
    void offsetsAreCommittedInTheTransactionWithTheOutputNeverByTheConsumer() throws Exception {
        ProcessorLoop loop = clients.loop(config("eos").build(), Map.of(0, copy()));

        CompletableFuture<Throwable> running = start(loop, 3);
        await().atMost(Duration.ofSeconds(10)).until(() -> committedOffset() == 3L);

        assertThat(producer.transactionInitialized()).isTrue();
        assertThat(committedOutput()).containsExactly("v0", "v1", "v2");
        assertThat(MockClients.stop(loop, running)).isNull();
        assertThat(consumer.consumerCommits).as("commitSync/commitAsync calls").hasValue(0);
        assertThat(aborts).hasValue(0);
        assertThat(loop.status().state()).isEqualTo(ProcessorState.CLOSED);
    }

    @Test
    void theCommitIntervalGroupsSeveralBatchesInOneTransaction() throws Exception {
        ProcessorLoop loop = clients.loop(config("grouped").batchSize(1).maxUncommittedBatches(10)
                .transactionCommitInterval(Duration.ofSeconds(1)).build(), Map.of(0, copy()));

        CompletableFuture<Throwable> running = start(loop, 3);
        await().atMost(Duration.ofSeconds(10)).until(() -> producer.uncommittedRecords().size() == 3);
        assertThat(producer.commitCount()).as("three batches processed, the interval not yet over").isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> producer.commitCount() == 1);

        System.out.println("3 batches of 1 record, transactions committed: " + producer.commitCount()
                + ", offsets " + producer.consumerGroupOffsetsHistory());
        assertThat(producer.consumerGroupOffsetsHistory()).containsExactly(
                Map.of(GROUP, Map.of(IN0, new OffsetAndMetadata(3))));
        assertThat(committedOutput()).containsExactly("v0", "v1", "v2");
        assertThat(MockClients.stop(loop, running)).isNull();
        assertThat(consumer.consumerCommits).hasValue(0);
    }

    @Test
    void aBatchThatFailsAbortsTheTransactionAndNothingOfItIsCommitted() throws Exception {
        MessageProcessor failing = (messages, sender) -> {
            messages.forEach(m -> sender.send(new ProducerRecord<>("out", m.key(), m.value())));
            sender.flush();
            throw new IllegalStateException("bug in process");
        };
        ProcessorLoop loop = clients.loop(config("failing").build(), Map.of(0, failing));

        Throwable failure = start(loop, 3).get(30, TimeUnit.SECONDS);

        assertThat(failure).isInstanceOf(BatchFailedException.class)
                .hasMessageStartingWith("TopicProcessor 'failing': MessageProcessor threw on ")
                .hasRootCauseMessage("bug in process");
        assertThat(aborts).hasValue(1);
        assertThat(producer.history()).as("committed output").isEmpty();
        assertThat(producer.consumerGroupOffsetsHistory()).as("committed offsets").isEmpty();
        assertThat(consumer.consumerCommits).hasValue(0);
        assertThat(loop.status().state()).isEqualTo(ProcessorState.FAILED);
    }

    @Test
    void aRetryOfAnAttemptThatFlushedOutputAbortsItAndProducesEachOutputOnce() throws Exception {
        AtomicBoolean failedOnce = new AtomicBoolean();
        AtomicInteger calls = new AtomicInteger();
        MessageProcessor flakyAfterFlush = (messages, sender) -> {
            calls.incrementAndGet();
            messages.forEach(m -> sender.send(new ProducerRecord<>("out", m.key(), m.value())));
            sender.flush();
            if (failedOnce.compareAndSet(false, true)) {
                throw new TimeoutException("store timed out after the flush");
            }
        };
        ProcessorLoop loop = clients.loop(config("flaky").errorPolicy(ErrorPolicy.builder().maxRetries(2)
                .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(1)).build()).build(),
                Map.of(0, flakyAfterFlush));

        CompletableFuture<Throwable> running = start(loop, 3);
        await().atMost(Duration.ofSeconds(10)).until(() -> committedOffset() == 3L);

        System.out.println("process calls " + calls.get() + ", aborts " + aborts.get() + ", committed output "
                + committedOutput());
        assertThat(aborts).hasValue(1);
        assertThat(calls.get()).isGreaterThanOrEqualTo(2);
        assertThat(committedOutput()).containsExactly("v0", "v1", "v2");
        assertThat(registry.get(KasperMetrics.BATCH_RETRIES).counter().count()).isEqualTo(1.0);
        assertThat(MockClients.stop(loop, running)).isNull();
    }

    @Test
    void aTransientFailureBeforeAnyOutputIsRetriedInPlaceWithoutAnAbort() throws Exception {
        AtomicBoolean failedOnce = new AtomicBoolean();
        MessageProcessor flaky = (messages, sender) -> {
            if (failedOnce.compareAndSet(false, true)) {
                throw new TimeoutException("store timed out");
            }
            messages.forEach(m -> sender.send(new ProducerRecord<>("out", m.key(), m.value())));
        };
        ProcessorLoop loop = clients.loop(config("inplace").errorPolicy(ErrorPolicy.builder().maxRetries(2)
                .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(1)).build()).build(), Map.of(0, flaky));

        CompletableFuture<Throwable> running = start(loop, 3);
        await().atMost(Duration.ofSeconds(10)).until(() -> committedOffset() == 3L);

        assertThat(aborts).hasValue(0);
        assertThat(committedOutput()).containsExactly("v0", "v1", "v2");
        assertThat(MockClients.stop(loop, running)).isNull();
    }

    @Test
    void aRevocationCommitsTheOpenTransactionWithTheOffsetsWhileThePartitionsAreStillOwned() throws Exception {
        TopicPartition in1 = new TopicPartition("in", 1);
        List<String> events = new CopyOnWriteArrayList<>();
        TopicProcessorConfig config = TopicProcessorConfig.builder().topicProcessorName("revoke")
                .bootstrapServers("mock:9092").inputTopics("in").groupManaged().meterRegistry(registry)
                .batchWaitDuration(Duration.ofMillis(10)).closeTimeout(Duration.ofSeconds(5))
                .processingGuarantee(ProcessingGuarantee.EXACTLY_ONCE)
                .transactionCommitInterval(Duration.ofSeconds(30)) // only the revocation commits
                .producerProperty("transaction.timeout.ms", 60_000)
                .partitionListener(new io.kasper.PartitionListener() {
                    @Override
                    public void onPartitionsAssigned(java.util.Set<Integer> numbers) {
                        events.add("assigned " + numbers);
                    }

                    @Override
                    public void onPartitionsRevoked(java.util.Set<Integer> numbers) {
                        events.add("revoked " + numbers + " after " + producer.commitCount() + " commit(s)");
                    }
                }).build();
        consumer.updateBeginningOffsets(Map.of(IN0, 0L, in1, 0L));
        ProcessorLoop loop = clients.loop(config, Map.of(0, copy(), 1, copy()));
        CompletableFuture<Throwable> running = MockClients.start(loop);
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(IN0, in1));
            consumer.append(MockClients.record("in", 0, 0, "p0"));
            consumer.append(MockClients.record("in", 1, 0, "p1"));
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> producer.uncommittedRecords().size() == 2);
        assertThat(producer.commitCount()).isZero();

        consumer.schedulePollTask(() -> consumer.rebalance(List.of(in1)));
        await().atMost(Duration.ofSeconds(10)).until(() -> events.size() == 2);

        assertThat(events).containsExactly("assigned [0, 1]", "revoked [0] after 1 commit(s)");
        assertThat(producer.consumerGroupOffsetsHistory()).containsExactly(
                Map.of(GROUP, Map.of(IN0, new OffsetAndMetadata(1), in1, new OffsetAndMetadata(1))));
        assertThat(committedOutput()).containsExactlyInAnyOrder("p0", "p1");
        assertThat(MockClients.stop(loop, running)).isNull();
        assertThat(consumer.consumerCommits).hasValue(0);
    }
}
