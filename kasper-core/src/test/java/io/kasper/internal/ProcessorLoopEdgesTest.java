package io.kasper.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kasper.BatchFailedException;
import io.kasper.ErrorPolicy;
import io.kasper.KasperException;
import io.kasper.MessageProcessor;
import io.kasper.OffsetRange;
import io.kasper.PartitionListener;
import io.kasper.ProcessorState;
import io.kasper.TopicProcessorConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.clients.consumer.RetriableCommitFailedException;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The loop's edge cases on {@code MockConsumer} / {@code MockProducer}: JVM Errors, interrupts, stop requests, failed
 * commits and how long the loop polls. {@code LoopEdgesIT} proves the Error, interrupt and stop cases on a broker.
 */
class ProcessorLoopEdgesTest {

    private static final TopicPartition IN0 = new TopicPartition("in", 0);
    private static final TopicPartition IN1 = new TopicPartition("in", 1);
    private static final MessageProcessor COPY = (messages, sender) -> messages.forEach(
            m -> sender.send(new ProducerRecord<>("out", m.key(), m.value())));

    @Test
    void aCancelledBatchDoesNotMaskAnotherPartitionsFailedOutput() throws Exception {
        Clients clients = new Clients(false);
        CountDownLatch pausing = new CountDownLatch(1);
        MessageProcessor retrying = (messages, sender) -> {
            pausing.countDown();
            throw new TimeoutException("store slow (thrown by the test)");
        };
        TopicProcessorConfig config = MockClients.config("masked", "in").inputPartitions(0, 1)
                .errorPolicy(ErrorPolicy.builder().maxRetries(3)
                        .retryBackoff(Duration.ofSeconds(10), Duration.ofSeconds(10)).build())
                .build();
        ProcessorLoop loop = clients.loop(config, Map.of(0, retrying, 1, COPY));
        CompletableFuture<Throwable> running = MockClients.start(loop);
        await().atMost(Duration.ofSeconds(10)).until(() -> loop.status().state() == ProcessorState.RUNNING);

        clients.consumer.schedulePollTask(() -> clients.consumer.addRecord(MockClients.record("in", 1, 0, "p1")));
        await().atMost(Duration.ofSeconds(10)).until(() -> clients.producer.history().size() == 1);
        clients.consumer.schedulePollTask(() -> clients.consumer.addRecord(MockClients.record("in", 0, 0, "p0")));
        assertThat(pausing.await(10, TimeUnit.SECONDS)).as("partition 0 processed, now in its retry pause").isTrue();
        // partition 1's output fails while partition 0 waits to retry; then the stop cancels partition 0's batch
        clients.producer.errorNext(new RecordTooLargeException("output refused (thrown by the test)"));
        Throwable failure = MockClients.stop(loop, running);

        assertThat(failure).isInstanceOf(BatchFailedException.class)
                .hasMessage("TopicProcessor 'masked': output could not be produced on batch of partition 1 (1 messages, "
                        + "offsets {in-1=" + new OffsetRange(0, 0) + "}); nothing of it was committed: "
                        + "org.apache.kafka.common.errors.RecordTooLargeException: output refused (thrown by the test)")
                .hasCauseInstanceOf(RecordTooLargeException.class);
        assertThat(((BatchFailedException) failure).partition()).isEqualTo(1);
        assertThat(loop.status().state()).isEqualTo(ProcessorState.FAILED);
        assertThat(loop.status().failure()).containsSame((KasperException) failure);
        assertThat(clients.committed(IN0)).isEqualTo(-1);
        assertThat(clients.committed(IN1)).isEqualTo(-1);
    }

    @Test
    void anInterruptStopsTheLoopButStillCommitsCompletedBatchesAndKeepsTheFlag() throws Exception {
        Clients clients = new Clients(true);
        clients.consumer.holdCommits = true; // completed batches wait for a commit that is still in flight
        ProcessorLoop loop = clients.loop(MockClients.config("interrupted", "in").build(), Map.of(0, COPY));
        AtomicReference<Boolean> flagAfterRun = new AtomicReference<>();
        CompletableFuture<Throwable> running = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                loop.run();
                running.complete(null);
            } catch (Throwable t) {
                running.complete(t);
            } finally {
                flagAfterRun.set(Thread.currentThread().isInterrupted());
            }
        }, "interrupted-loop");
        thread.setDaemon(true);
        thread.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> loop.status().state() == ProcessorState.RUNNING);

        clients.consumer.schedulePollTask(() -> {
            for (int i = 0; i < 3; i++) {
                clients.consumer.addRecord(MockClients.record("in", 0, i, "v" + i));
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> clients.consumer.asyncCommits.get() == 1);
        assertThat(clients.committed(IN0)).as("the async commit is still in flight")
                .isEqualTo(-1);
        thread.interrupt();

        assertThat(running.get(30, TimeUnit.SECONDS)).as("an interrupt is a stop, not a failure").isNull();
        thread.join(10_000);
        assertThat(clients.committed(IN0)).as("committed by the final commit").isEqualTo(3);
        assertThat(flagAfterRun.get()).as("interrupt flag after run()").isTrue();
        assertThat(loop.status().state()).isEqualTo(ProcessorState.CLOSED);
        assertThat(clients.consumer.closed()).isTrue();
        assertThat(clients.producer.closed()).isTrue();
    }

    @Test
    void aStopRequestedWhileBatchesAreDueStartsNoneOfThem() throws Exception {
        Clients clients = new Clients(true);
        AtomicInteger calls = new AtomicInteger();
        MessageProcessor counting = (messages, sender) -> calls.incrementAndGet();
        ProcessorLoop loop = clients.loop(MockClients.config("stop-due", "in").inputPartitions(0, 1).batchSize(3)
                .build(), Map.of(0, counting, 1, counting));
        CompletableFuture<Throwable> running = MockClients.start(loop);
        await().atMost(Duration.ofSeconds(10)).until(() -> loop.status().state() == ProcessorState.RUNNING);

        // the stop arrives during the poll that fetches a full batch for both partitions
        clients.consumer.schedulePollTask(() -> {
            for (int i = 0; i < 3; i++) {
                clients.consumer.addRecord(MockClients.record("in", 0, i, "a" + i));
                clients.consumer.addRecord(MockClients.record("in", 1, i, "b" + i));
            }
            loop.requestStop();
        });

        assertThat(running.get(30, TimeUnit.SECONDS)).isNull();
        System.out.println("process() calls after a stop requested with 2 batches due: " + calls.get());
        assertThat(calls.get()).isZero();
        assertThat(clients.committed(IN0)).isEqualTo(-1);
        assertThat(clients.committed(IN1)).isEqualTo(-1);
        assertThat(loop.status().state()).isEqualTo(ProcessorState.CLOSED);
    }

    @Test
    void aStopDuringARetryPauseEndsThePauseLeavesThatBatchUncommittedAndCommitsTheRest() throws Exception {
        Clients clients = new Clients(true);
        AtomicInteger attempts = new AtomicInteger();
        MessageProcessor retrying = (messages, sender) -> {
            attempts.incrementAndGet();
            throw new TimeoutException("store slow (thrown by the test)");
        };
        TopicProcessorConfig config = MockClients.config("stop-pause", "in").inputPartitions(0, 1)
                .errorPolicy(ErrorPolicy.builder().maxRetries(3)
                        .retryBackoff(Duration.ofSeconds(20), Duration.ofSeconds(20)).build())
                .build();
        ProcessorLoop loop = clients.loop(config, Map.of(0, retrying, 1, COPY));
        CompletableFuture<Throwable> running = MockClients.start(loop);
        await().atMost(Duration.ofSeconds(10)).until(() -> loop.status().state() == ProcessorState.RUNNING);
        clients.consumer.schedulePollTask(() -> clients.consumer.addRecord(MockClients.record("in", 1, 0, "p1")));
        await().atMost(Duration.ofSeconds(10)).until(() -> clients.committed(IN1) == 1L);
        clients.consumer.schedulePollTask(() -> clients.consumer.addRecord(MockClients.record("in", 0, 0, "p0")));
        await().atMost(Duration.ofSeconds(10)).until(() -> attempts.get() == 1);

        long start = System.nanoTime();
        Throwable failure = MockClients.stop(loop, running);
        long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        System.out.println("stop during a 20 s retry pause took " + stopMillis + " ms");
        assertThat(failure).as("a stop during a retry pause is no failure").isNull();
        assertThat(stopMillis).isLessThan(5_000);
        assertThat(attempts.get()).as("no retry after the stop").isEqualTo(1);
        assertThat(clients.committed(IN0)).as("the paused batch stays uncommitted")
                .isEqualTo(-1);
        assertThat(clients.committed(IN1)).isEqualTo(1);
        assertThat(loop.status().state()).isEqualTo(ProcessorState.CLOSED);
    }

    @Test
    void aCloseShortlyAfterAFailedCommitStillWaitsForAcksAndCommits() throws Exception {
        Clients clients = new Clients(false);
        clients.consumer.failCommits = true;
        ProcessorLoop loop = clients.loop(MockClients.config("failed-commit", "in").build(), Map.of(0, COPY));
        CompletableFuture<Throwable> running = MockClients.start(loop);
        await().atMost(Duration.ofSeconds(10)).until(() -> loop.status().state() == ProcessorState.RUNNING);
        clients.consumer.schedulePollTask(() -> {
            clients.consumer.addRecord(MockClients.record("in", 0, 0, "v0"));
            clients.consumer.addRecord(MockClients.record("in", 0, 1, "v1"));
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> clients.producer.history().size() == 2);
        clients.consumer.schedulePollTask(() -> {
            clients.consumer.addRecord(MockClients.record("in", 0, 2, "v2"));
            clients.consumer.addRecord(MockClients.record("in", 0, 3, "v3"));
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> clients.producer.history().size() == 4);
        clients.producer.completeNext();
        clients.producer.completeNext();
        // the failed commit counts as no answer from the cluster
        await().atMost(Duration.ofSeconds(10)).until(() -> loop.status().isBrokerUnreachable());

        loop.requestStop();
        // the second batch's acks arrive 300 ms into the close
        Thread.sleep(300);
        clients.producer.completeNext();
        clients.producer.completeNext();

        assertThat(running.get(30, TimeUnit.SECONDS)).isNull();
        assertThat(clients.committed(IN0)).isEqualTo(4);
        assertThat(clients.consumer.syncCommitTimeouts).containsExactly(Duration.ofSeconds(5));
        assertThat(loop.status().state()).isEqualTo(ProcessorState.CLOSED);
    }

    @Test
    void aPartitionWaitingForItsCommitDoesNotSpinTheLoop() throws Exception {
        Clients clients = new Clients(true);
        clients.consumer.failCommits = true; // the first batch stays uncommitted, so the partition has no room
        AtomicInteger batches = new AtomicInteger();
        MessageProcessor counting = (messages, sender) -> batches.incrementAndGet();
        ProcessorLoop loop = clients.loop(MockClients.config("no-spin", "in").maxUncommittedBatches(1).build(),
                Map.of(0, counting));
        CompletableFuture<Throwable> running = MockClients.start(loop);
        await().atMost(Duration.ofSeconds(10)).until(() -> loop.status().state() == ProcessorState.RUNNING);
        clients.consumer.schedulePollTask(() -> clients.consumer.addRecord(MockClients.record("in", 0, 0, "v0")));
        await().atMost(Duration.ofSeconds(10)).until(() -> clients.consumer.asyncCommits.get() >= 1);
        clients.consumer.schedulePollTask(() -> clients.consumer.addRecord(MockClients.record("in", 0, 1, "v1")));
        await().atMost(Duration.ofSeconds(10)).until(() -> clients.consumer.polledRecords.get() == 2);

        // a rate is measured over a window of time: there is no condition to await
        int pollsBefore = clients.consumer.polls.get();
        int commitsBefore = clients.consumer.asyncCommits.get();
        Thread.sleep(1_000);
        int polls = clients.consumer.polls.get() - pollsBefore;
        int commits = clients.consumer.asyncCommits.get() - commitsBefore;

        System.out.println("polls in 1 s while the only waiting batch has no room: " + polls + ", commit attempts: "
                + commits + ", batches processed: " + batches.get());
        assertThat(polls).isBetween(1, 30);
        assertThat(commits).as("the failed commit is still retried").isPositive();
        assertThat(batches.get()).as("the second batch waits for the first one's commit").isEqualTo(1);
        assertThat(MockClients.stop(loop, running)).isNull();
    }

    @Test
    void aStackOverflowErrorFromProcessShutsDownLikeAFailureAndIsRethrownUnwrapped() throws Exception {
        Clients clients = new Clients(true);
        clients.consumer.holdCommits = true; // the first batch is only committed by the shutdown
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MessageProcessor recursing = (messages, sender) -> {
            if (messages.get(0).offset() >= 2) {
                recurse(0);
            }
            COPY.process(messages, sender);
        };
        ProcessorLoop loop = clients.loop(MockClients.config("overflow", "in").meterRegistry(registry).build(),
                Map.of(0, recursing));
        CompletableFuture<Throwable> running = MockClients.start(loop);
        await().atMost(Duration.ofSeconds(10)).until(() -> loop.status().state() == ProcessorState.RUNNING);
        assertThat(registry.getMeters()).isNotEmpty();
        clients.consumer.schedulePollTask(() -> {
            clients.consumer.addRecord(MockClients.record("in", 0, 0, "v0"));
            clients.consumer.addRecord(MockClients.record("in", 0, 1, "v1"));
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> clients.consumer.asyncCommits.get() == 1);
        clients.consumer.schedulePollTask(() -> clients.consumer.addRecord(MockClients.record("in", 0, 2, "v2")));

        Throwable thrown = running.get(30, TimeUnit.SECONDS);

        assertThat(thrown).isInstanceOf(StackOverflowError.class);
        assertThat(loop.status().state()).isEqualTo(ProcessorState.FAILED);
        assertThat(loop.status().isReady()).isFalse();
        KasperException failure = loop.status().failure().orElseThrow();
        assertThat(failure).isInstanceOf(BatchFailedException.class).hasCause(thrown)
                .hasMessage("TopicProcessor 'overflow': MessageProcessor threw on batch of partition 0 (1 messages, "
                        + "offsets {in-0=" + new OffsetRange(2, 2) + "}); nothing of it was committed: "
                        + "java.lang.StackOverflowError");
        assertThat(clients.committed(IN0)).as("the completed batch, not the failed one")
                .isEqualTo(2);
        assertThat(clients.consumer.closed()).isTrue();
        assertThat(clients.producer.closed()).isTrue();
        assertThat(registry.getMeters()).as("meters removed").isEmpty();
    }

    @Test
    void anErrorFromAPartitionListenerShutsDownAndIsRethrownUnwrapped() throws Exception {
        Clients clients = new Clients(true);
        OutOfMemoryError oom = new OutOfMemoryError("Java heap space (thrown by the test)");
        PartitionListener listener = new PartitionListener() {
            @Override
            public void onPartitionsAssigned(Set<Integer> partitionNumbers) {
                throw oom;
            }

            @Override
            public void onPartitionsRevoked(Set<Integer> partitionNumbers) {
            }
        };
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ProcessorLoop loop = clients.loop(MockClients.config("listener-oom", "in").partitionListener(listener)
                .meterRegistry(registry).build(), Map.of(0, COPY));

        Throwable thrown = MockClients.start(loop).get(30, TimeUnit.SECONDS);

        assertThat(thrown).isSameAs(oom);
        assertThat(loop.status().state()).isEqualTo(ProcessorState.FAILED);
        assertThat(loop.status().failure()).hasValueSatisfying(f -> assertThat(f).hasCause(oom).hasMessage(
                "TopicProcessor 'listener-oom': PartitionListener.onPartitionsAssigned([0]) threw: "
                        + "java.lang.OutOfMemoryError: Java heap space (thrown by the test)"));
        assertThat(clients.consumer.closed()).isTrue();
        assertThat(clients.producer.closed()).isTrue();
        assertThat(registry.getMeters()).as("meters removed").isEmpty();
    }

    @Test
    void anErrorFromAPartitionListenerWhileClosingStillCommitsAndIsRethrown() throws Exception {
        Clients clients = new Clients(true);
        clients.consumer.holdCommits = true;
        StackOverflowError overflow = new StackOverflowError("thrown by the test");
        List<Set<Integer>> revoked = new CopyOnWriteArrayList<>();
        PartitionListener listener = new PartitionListener() {
            @Override
            public void onPartitionsAssigned(Set<Integer> partitionNumbers) {
            }

            @Override
            public void onPartitionsRevoked(Set<Integer> partitionNumbers) {
                revoked.add(partitionNumbers);
                throw overflow;
            }
        };
        ProcessorLoop loop = clients.loop(MockClients.config("listener-close", "in").partitionListener(listener)
                .build(), Map.of(0, COPY));
        CompletableFuture<Throwable> running = MockClients.start(loop);
        await().atMost(Duration.ofSeconds(10)).until(() -> loop.status().state() == ProcessorState.RUNNING);
        clients.consumer.schedulePollTask(() -> clients.consumer.addRecord(MockClients.record("in", 0, 0, "v0")));
        await().atMost(Duration.ofSeconds(10)).until(() -> clients.consumer.asyncCommits.get() == 1);

        Throwable thrown = MockClients.stop(loop, running);

        assertThat(thrown).isSameAs(overflow);
        assertThat(revoked).containsExactly(Set.of(0));
        assertThat(loop.status().state()).isEqualTo(ProcessorState.FAILED);
        assertThat(loop.status().failure()).hasValueSatisfying(f -> assertThat(f).hasCause(overflow).hasMessage(
                "TopicProcessor 'listener-close': PartitionListener.onPartitionsRevoked([0]) threw: "
                        + "java.lang.StackOverflowError: thrown by the test"));
        assertThat(clients.committed(IN0)).isEqualTo(1);
        assertThat(clients.consumer.closed()).isTrue();
    }

    private static int recurse(int depth) {
        return recurse(depth + 1) + 1;
    }

    /** A factory of one {@link EdgeConsumer} and one {@link MockProducer} that acknowledges at once or on demand. */
    private static final class Clients {

        final EdgeConsumer consumer = new EdgeConsumer();
        final MockProducer<byte[], byte[]> producer;
        private final MockClients factory;

        Clients(boolean autoAck) {
            producer = MockClients.producer(autoAck);
            factory = new MockClients(consumer, producer);
            consumer.updateBeginningOffsets(Map.of(IN0, 0L, IN1, 0L));
            consumer.updateEndOffsets(Map.of(IN0, 0L, IN1, 0L));
        }

        ProcessorLoop loop(TopicProcessorConfig config, Map<Integer, MessageProcessor> processors) {
            return factory.loop(config, processors);
        }

        /** Returns the committed offset of {@code tp}, or -1; also once the consumer is closed. */
        long committed(TopicPartition tp) {
            OffsetAndMetadata committed = consumer.committedOffsets.get(tp);
            return committed == null ? -1 : committed.offset();
        }
    }

    /**
     * A {@code MockConsumer} that behaves like the real one where these tests need it: a poll without records blocks
     * for its timeout, and poll and commitSync throw {@link InterruptException} on an interrupted thread. It counts
     * polls and commits, keeps the committed offsets readable after close, and can fail or hold back asynchronous
     * commits.
     */
    private static final class EdgeConsumer extends MockConsumer<byte[], byte[]> {

        final AtomicInteger polls = new AtomicInteger();
        final AtomicInteger polledRecords = new AtomicInteger();
        final AtomicInteger asyncCommits = new AtomicInteger();
        final List<Duration> syncCommitTimeouts = new CopyOnWriteArrayList<>();
        final Map<TopicPartition, OffsetAndMetadata> committedOffsets = new ConcurrentHashMap<>();
        volatile boolean failCommits;
        volatile boolean holdCommits;

        EdgeConsumer() {
            super("earliest");
        }

        @Override
        public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
            throwIfInterrupted();
            polls.incrementAndGet();
            ConsumerRecords<byte[], byte[]> records = super.poll(timeout);
            polledRecords.addAndGet(records.count());
            if (records.isEmpty() && !timeout.isZero()) {
                try {
                    Thread.sleep(timeout.toMillis());
                } catch (InterruptedException e) {
                    throw new InterruptException(e);
                }
            }
            return records;
        }

        @Override
        public synchronized void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets,
                OffsetCommitCallback callback) {
            if (callback == null) { // MockConsumer's commitSync commits through here
                super.commitAsync(offsets, null);
                return;
            }
            asyncCommits.incrementAndGet();
            if (holdCommits) {
                return; // never answered: the commit stays in flight
            }
            if (failCommits) {
                callback.onComplete(offsets, new RetriableCommitFailedException("commit refused (thrown by the test)"));
                return;
            }
            committedOffsets.putAll(offsets);
            super.commitAsync(offsets, callback);
        }

        @Override
        public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
            throwIfInterrupted();
            syncCommitTimeouts.add(timeout);
            if (timeout.isZero()) {
                throw new TimeoutException("Timeout of 0ms expired before successfully committing offsets");
            }
            super.commitSync(offsets);
            committedOffsets.putAll(offsets);
        }

        private static void throwIfInterrupted() {
            if (Thread.interrupted()) {
                throw new InterruptException(new InterruptedException());
            }
        }
    }
}
