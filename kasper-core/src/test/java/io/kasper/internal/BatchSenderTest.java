package io.kasper.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kasper.ErrorPolicy;
import io.kasper.KasperException;

import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class BatchSenderTest {

    /** A producer whose every send fails at once, as when the cluster rejects the producer's credentials. */
    private static final class RejectingProducer extends MockProducer<byte[], byte[]> {
        private final AtomicInteger sends = new AtomicInteger();

        RejectingProducer() {
            super(false, null, new ByteArraySerializer(), new ByteArraySerializer());
        }

        @Override
        public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
            sends.incrementAndGet();
            callback.onCompletion(null, new SaslAuthenticationException("Authentication failed"));
            return super.send(record, (metadata, e) -> { });
        }
    }

    @Test
    void stopsSendingTheRestOfABatchWhoseOutputAlreadyFailed() {
        RejectingProducer producer = new RejectingProducer();
        InFlightBatch inFlight = new InFlightBatch(
                new Batch(0, List.of(new ConsumerRecord<>("in", 0, 0, null, new byte[0]))));
        BatchSender sender = new BatchSender(producer, inFlight, new TestBudget(1_000));
        for (int i = 0; i < 50; i++) {
            sender.send(new ProducerRecord<>("out", new byte[] {(byte) i}));
        }

        sender.complete();

        assertThat(producer.sends).hasValue(1);
        assertThat(inFlight.isDone()).isTrue();
        assertThat(inFlight.failure()).isInstanceOf(SaslAuthenticationException.class);
    }

    /** A producer that reports, at each send, whether the sender had announced a call that may block. */
    private static final class WatchingProducer extends MockProducer<byte[], byte[]> {
        private final TestBudget budget;
        private final List<Boolean> blockedAtSend = new java.util.concurrent.CopyOnWriteArrayList<>();

        WatchingProducer(TestBudget budget) {
            super(true, null, new ByteArraySerializer(), new ByteArraySerializer());
            this.budget = budget;
        }

        @Override
        public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
            blockedAtSend.add(budget.blocked);
            return super.send(record, callback);
        }
    }

    @Test
    void sendsAndFlushWaitsAreAnnouncedAsBlockingSoThatReadinessCanTellAStuckLoop() {
        TestBudget budget = new TestBudget(1_000);
        WatchingProducer producer = new WatchingProducer(budget);
        BatchSender sender = new BatchSender(producer, inFlight(), budget);

        sender.send(new ProducerRecord<>("out", new byte[] {1}));
        sender.flush();
        sender.send(new ProducerRecord<>("out", new byte[] {2}));
        sender.complete();

        assertThat(producer.blockedAtSend).containsExactly(true, true);
        assertThat(budget.blockingCalls).as("the flush's send, its wait for acks, the final send").hasValue(3);
        assertThat(budget.blocked).as("every announced call ended").isFalse();
    }

    private static InFlightBatch inFlight() {
        return new InFlightBatch(new Batch(0, List.of(new ConsumerRecord<>("in", 0, 7, null, new byte[0]))));
    }

    private static ProducerRecord<byte[], byte[]> out(int i) {
        return new ProducerRecord<>("out", new byte[] {(byte) i});
    }

    @Test
    void aFlushTheClusterDoesNotAcknowledgeWaitsOnlyWhatIsLeftOfTheBudgetThenFailsAsAnOutage() {
        ScriptedProducer producer = new ScriptedProducer().then(ScriptedProducer.ACK, ScriptedProducer.NO_ANSWER);
        TestBudget budget = new TestBudget(300);
        BatchSender sender = new BatchSender(producer, inFlight(), budget);
        sender.send(out(1));
        sender.send(out(2));

        long start = System.nanoTime();
        assertThatThrownBy(sender::flush).isExactlyInstanceOf(KasperException.class)
                .hasMessage("outage: output flushed by batch of partition 0 (1 messages, offsets {in-0=7..7}) was not "
                        + "acknowledged");
        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        System.out.println("flush waited " + waitedMillis + " ms for a budget of 300 ms");
        assertThat(waitedMillis).isBetween(300L, 3_000L);
        assertThat(sender.isOutage()).isTrue();
        assertThat(sender.flushFailure()).hasMessageStartingWith("outage: ");
        assertThat(budget.unanswered).hasValue(1);
        assertThat(budget.answered).hasValue(0);
    }

    @Test
    void afterAFailedFlushSendAndFlushThrowInsteadOfDroppingOutput() {
        ScriptedProducer producer = new ScriptedProducer().then(ScriptedProducer.NO_ANSWER);
        BatchSender sender = new BatchSender(producer, inFlight(), new TestBudget(50));
        sender.send(out(1));
        assertThatThrownBy(sender::flush).isExactlyInstanceOf(KasperException.class);

        String expected = "Sender.%s of batch of partition 0 (1 messages, offsets {in-0=7..7}) called after flush() "
                + "failed: this call of process fails and nothing of the batch is committed; let the exception of "
                + "flush() propagate (outage: output flushed by batch of partition 0 (1 messages, offsets "
                + "{in-0=7..7}) was not acknowledged)";
        assertThatThrownBy(() -> sender.send(out(2))).isExactlyInstanceOf(IllegalStateException.class)
                .hasMessage(expected, "send");
        assertThatThrownBy(sender::flush).isExactlyInstanceOf(IllegalStateException.class)
                .hasMessage(expected, "flush");
        assertThatThrownBy(sender::complete).isSameAs(sender.flushFailure());
        assertThat(producer.history()).hasSize(1);
    }

    @Test
    void aRetriableRejectionWithinTheBudgetFailsTheFlushAsATransientFailure() {
        ScriptedProducer producer = new ScriptedProducer()
                .then(new NotEnoughReplicasException("Messages are rejected since there are fewer in-sync replicas"));
        TestBudget budget = new TestBudget(1_000);
        BatchSender sender = new BatchSender(producer, inFlight(), budget);
        sender.send(out(1));

        assertThatThrownBy(sender::flush).isExactlyInstanceOf(KasperException.class)
                .hasMessage("output of batch of partition 0 (1 messages, offsets {in-0=7..7}) could not be produced: "
                        + "org.apache.kafka.common.errors.NotEnoughReplicasException: Messages are rejected since "
                        + "there are fewer in-sync replicas")
                .satisfies(e -> assertThat(ErrorPolicy.isTransient(e)).isTrue());
        assertThat(sender.isOutage()).isFalse();
        assertThat(budget.unanswered).hasValue(1);
    }

    @Test
    void aRetriableRejectionOnceTheBudgetIsSpentIsAnOutage() {
        ScriptedProducer producer = new ScriptedProducer()
                .then(new TimeoutException("Expiring 1 record(s) for out-0: 3000 ms has passed since batch creation"));
        TestBudget budget = new TestBudget(1_000);
        budget.spent = true;
        BatchSender sender = new BatchSender(producer, inFlight(), budget);
        sender.send(out(1));

        assertThatThrownBy(sender::flush).isExactlyInstanceOf(KasperException.class)
                .hasMessageStartingWith("outage: output flushed by batch of partition 0")
                .hasCauseExactlyInstanceOf(TimeoutException.class);
        assertThat(sender.isOutage()).isTrue();
    }

    @Test
    void aNonRetriableRejectionFailsTheFlushWithoutTouchingTheBudget() {
        ScriptedProducer producer = new ScriptedProducer().then(new RecordTooLargeException("too large"));
        TestBudget budget = new TestBudget(1_000);
        BatchSender sender = new BatchSender(producer, inFlight(), budget);
        sender.send(out(1));

        assertThatThrownBy(sender::flush).isExactlyInstanceOf(KasperException.class)
                .hasMessageEndingWith("could not be produced: org.apache.kafka.common.errors.RecordTooLargeException: "
                        + "too large")
                .satisfies(e -> assertThat(ErrorPolicy.isTransient(e)).isFalse());
        assertThat(sender.isOutage()).isFalse();
        assertThat(budget.unanswered).hasValue(0);
    }

    @Test
    void anAcknowledgedFlushTellsTheBudgetTheClusterAnswered() {
        TestBudget budget = new TestBudget(1_000);
        BatchSender sender = new BatchSender(new ScriptedProducer(), inFlight(), budget);
        sender.send(out(1));
        sender.flush();
        sender.flush(); // nothing buffered: no wait, nothing learned

        assertThat(budget.answered).hasValue(1);
        assertThat(sender.flushFailure()).isNull();
    }
}
