package io.kasper.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kasper.BatchFailedException;
import io.kasper.ErrorPolicy;
import io.kasper.KasperException;
import io.kasper.KasperMetrics;
import io.kasper.MessageProcessor;
import io.kasper.store.StoreException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.junit.jupiter.api.Test;

/** How the batch runner treats flushes: bounded by the outage budget, never retried past it, output counted. */
class BatchRunnerFlushTest {

    private static final ErrorPolicy FIVE_RETRIES = ErrorPolicy.builder().maxRetries(5)
            .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(1)).build();

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<Duration> pauses = new ArrayList<>();

    private BatchRunner runner(ScriptedProducer producer, MessageProcessor processor, OutageBudget budget) {
        return new BatchRunner(new ProcessorLogContext("flushing"), "flushing-1", Map.of(0, processor), producer,
                registry, FIVE_RETRIES,
                wait -> {
                    pauses.add(wait);
                    return true;
                }, budget, MemoryBudget.unlimited(),
                new BatchObservations(ObservationRegistry.NOOP, "flushing", "AT_LEAST_ONCE"));
    }

    private static Batch batch(int size) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            records.add(new ConsumerRecord<>("in", 0, i, null, new byte[] {(byte) i}));
        }
        return new Batch(0, records);
    }

    private static void copy(List<ConsumerRecord<byte[], byte[]>> records, io.kasper.Sender sender) {
        records.forEach(m -> sender.send(new ProducerRecord<>("out", 0, m.key(), m.value())));
    }

    private double outgoing() {
        return registry.find(KasperMetrics.MESSAGES_OUTGOING).counters().stream().mapToDouble(Counter::count).sum();
    }

    @Test
    void aFlushThatRunsOutOfTheBudgetFailsTheBatchAtOnceWithoutRetries() {
        ScriptedProducer producer = new ScriptedProducer().then(ScriptedProducer.NO_ANSWER);
        AtomicInteger calls = new AtomicInteger();
        BatchRunner runner = runner(producer, (messages, sender) -> {
            calls.incrementAndGet();
            copy(messages, sender);
            sender.flush();
        }, new TestBudget(100));

        assertThatThrownBy(() -> runner.run(batch(1))).isExactlyInstanceOf(BatchFailedException.class)
                .hasMessage("TopicProcessor 'flushing': output flushed by MessageProcessor was not acknowledged within "
                        + "the brokerOutageTimeout on batch of partition 0 (1 messages, offsets {in-0=0..0}); nothing "
                        + "of it was committed: io.kasper.KasperException: outage: output flushed by batch of "
                        + "partition 0 (1 messages, offsets {in-0=0..0}) was not acknowledged")
                .hasCauseExactlyInstanceOf(KasperException.class);
        assertThat(calls).as("process calls").hasValue(1);
        assertThat(pauses).as("retry pauses").isEmpty();
        assertThat(runner.drainReleasable()).isEmpty();
    }

    @Test
    void aProcessorThatSwallowsAFailedFlushStillFailsTheBatchAndItsLaterSendsThrow() {
        ScriptedProducer producer = new ScriptedProducer().then(ScriptedProducer.NO_ANSWER);
        AtomicReference<RuntimeException> sendAfterFailure = new AtomicReference<>();
        BatchRunner runner = runner(producer, (messages, sender) -> {
            copy(messages, sender);
            try {
                sender.flush();
            } catch (KasperException e) {
                try {
                    sender.send(new ProducerRecord<>("out", new byte[] {1}));
                } catch (IllegalStateException refused) {
                    sendAfterFailure.set(refused);
                }
            }
        }, new TestBudget(100));

        assertThatThrownBy(() -> runner.run(batch(2))).isExactlyInstanceOf(BatchFailedException.class)
                .hasMessageStartingWith("TopicProcessor 'flushing': output flushed by MessageProcessor was not "
                        + "acknowledged within the brokerOutageTimeout on batch of partition 0");
        assertThat(sendAfterFailure.get()).isExactlyInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Sender.send of batch of partition 0 (2 messages, offsets {in-0=0..1}) called "
                        + "after flush() failed");
        assertThat(producer.history()).as("records handed to the producer").hasSize(2);
        assertThat(runner.drainReleasable()).isEmpty();
    }

    @Test
    void outputFlushedByAnAttemptThatThenFailsIsProducedAgainByTheRetryAndCountedEachTime() {
        ScriptedProducer producer = new ScriptedProducer();
        AtomicInteger calls = new AtomicInteger();
        BatchRunner runner = runner(producer, (messages, sender) -> {
            copy(messages.subList(0, 2), sender);
            sender.flush();
            if (calls.incrementAndGet() == 1) {
                throw new StoreException("store 'counts' (redis) putAll of 4 keys failed", null, true);
            }
            copy(messages.subList(2, 4), sender);
        }, new TestBudget(1_000));

        runner.run(batch(4));
        runner.harvest();

        System.out.println("records produced " + producer.history().size() + ", kasper.messages.outgoing "
                + outgoing());
        assertThat(calls).hasValue(2);
        assertThat(producer.history()).extracting(r -> (int) r.value()[0]).containsExactly(0, 1, 0, 1, 2, 3);
        assertThat(outgoing()).isEqualTo(6);
        assertThat(runner.drainReleasable()).isEqualTo(Map.of(new TopicPartition("in", 0), new OffsetAndMetadata(4)));
    }

    @Test
    void messagesBufferedByAnAttemptThatThrewAreProducedNeitherByItsRetryNorByTheNextBatch() {
        ScriptedProducer producer = new ScriptedProducer();
        AtomicInteger calls = new AtomicInteger();
        BatchRunner runner = runner(producer, (messages, sender) -> {
            if (calls.incrementAndGet() == 1) {
                copy(messages.subList(0, 2), sender); // buffered, never flushed
                throw new StoreException("store 'counts' (redis) putAll of 2 keys failed", null, true);
            }
            copy(messages, sender);
        }, new TestBudget(1_000));

        runner.run(batch(3));
        runner.run(new Batch(0, List.of(new ConsumerRecord<>("in", 0, 3, null, new byte[] {9}))));
        runner.harvest();

        assertThat(calls).as("process calls").hasValue(3);
        assertThat(producer.history()).extracting(r -> (int) r.value()[0]).containsExactly(0, 1, 2, 9);
        assertThat(outgoing()).isEqualTo(4);
    }

    @Test
    void acknowledgedOutputOfAnAttemptWhoseFlushWasRejectedIsCountedOnce() {
        // attempt 1: two records acknowledged, the third rejected (retriable); attempt 2: all four acknowledged
        ScriptedProducer producer = new ScriptedProducer().then(ScriptedProducer.ACK, ScriptedProducer.ACK,
                new NotEnoughReplicasException("fewer in-sync replicas than required"));
        AtomicInteger calls = new AtomicInteger();
        BatchRunner runner = runner(producer, (messages, sender) -> {
            calls.incrementAndGet();
            copy(messages, sender);
            sender.flush();
        }, new TestBudget(1_000));

        runner.run(batch(4));
        runner.harvest();
        runner.harvest();

        System.out.println("records produced " + producer.history().size() + ", kasper.messages.outgoing "
                + outgoing());
        assertThat(calls).hasValue(2);
        assertThat(pauses).hasSize(1);
        assertThat(producer.history()).as("3 of attempt 1 (the fourth is not sent after the rejection) + 4")
                .hasSize(7);
        assertThat(outgoing()).as("2 of attempt 1 + 4 of attempt 2").isEqualTo(6);
        assertThat(runner.drainReleasable()).isEqualTo(Map.of(new TopicPartition("in", 0), new OffsetAndMetadata(4)));
    }

    @Test
    void aFailedBatchsAcknowledgedOutputIsCountedOnceHoweverOftenItIsHarvested() {
        // the processor returns; of its output one record is acknowledged and the next one rejected for good
        ScriptedProducer producer = new ScriptedProducer().then(ScriptedProducer.ACK,
                new org.apache.kafka.common.errors.RecordTooLargeException("too large"));
        BatchRunner runner = runner(producer, BatchRunnerFlushTest::copy, new TestBudget(1_000));

        runner.run(batch(3));
        assertThatThrownBy(runner::harvest).isExactlyInstanceOf(BatchFailedException.class)
                .hasMessageContaining("output could not be produced");
        assertThatThrownBy(runner::harvest).isExactlyInstanceOf(BatchFailedException.class);

        assertThat(outgoing()).isEqualTo(1);
    }
}
