package io.kasper.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** What {@link MemoryBudget} counts, when it throttles, and when batches give their bytes back. */
class MemoryBudgetTest {

    private static Batch batch(int partition, long offset, int valueBytes) {
        return new Batch(partition, List.of(new ConsumerRecord<>("in", partition, offset, null, new byte[valueBytes])));
    }

    private static RecordMetadata ack() {
        return new RecordMetadata(new TopicPartition("out", 0), 0, 0, 0, 0, 0);
    }

    @Test
    void throttlesWhenTheBudgetIsReachedAndResumesOnlyAtThreeQuarters() {
        MemoryBudget budget = new MemoryBudget(1000);

        assertThat(budget.update(999)).isFalse();
        assertThat(budget.update(1000)).isTrue();
        assertThat(budget.update(800)).isTrue();
        assertThat(budget.update(751)).isTrue();
        assertThat(budget.update(750)).isFalse();
        assertThat(budget.update(999)).isFalse();
        assertThat(budget.update(5000)).isTrue();

        assertThat(budget.pauses()).isEqualTo(2);
        assertThat(budget.buffered()).isEqualTo(5000);
    }

    @Test
    void aBudgetOfOneByteResumesWhenNothingIsHeld() {
        MemoryBudget budget = new MemoryBudget(1);

        assertThat(budget.update(1)).isTrue();
        assertThat(budget.update(0)).isFalse();
    }

    @Test
    void countsABatchsInputUntilHarvestAndItsOutputUntilItsLastAck() {
        MemoryBudget budget = new MemoryBudget(10_000);
        CommitTracker tracker = new CommitTracker(budget);
        InFlightBatch inFlight = tracker.open(batch(0, 0, 300));
        inFlight.expectAck(120);
        inFlight.expectAck(80);
        inFlight.seal();

        budget.update(50);
        assertThat(budget.buffered()).isEqualTo(50 + 300 + 200);

        inFlight.onCompletion(ack(), null);
        budget.update(0);
        assertThat(budget.buffered()).as("output counts until the batch's last ack").isEqualTo(300 + 200);

        inFlight.onCompletion(ack(), null);
        budget.update(0);
        assertThat(budget.buffered()).as("input counts until the batch is harvested").isEqualTo(300);

        tracker.harvest(done -> { });
        budget.update(0);
        assertThat(budget.buffered()).isZero();
    }

    @Test
    void failedOutputIsReleasedToo() {
        MemoryBudget budget = new MemoryBudget(10_000);
        CommitTracker tracker = new CommitTracker(budget);
        InFlightBatch inFlight = tracker.open(batch(0, 0, 10));
        inFlight.expectAck(40);
        inFlight.seal();

        inFlight.onCompletion(null, new RuntimeException("not leader"));
        budget.update(0);

        assertThat(budget.buffered()).isEqualTo(10);
    }

    @Test
    void reopeningABatchReleasesTheOutputOfTheAttemptThatFailed() {
        MemoryBudget budget = new MemoryBudget(10_000);
        CommitTracker tracker = new CommitTracker(budget);
        InFlightBatch first = tracker.open(batch(0, 0, 10));
        first.expectAck(40);
        first.expectAck(40);
        first.onCompletion(null, new RuntimeException("flush failed"));

        InFlightBatch second = tracker.reopen(first);
        second.expectAck(40);
        budget.update(0);

        assertThat(budget.buffered()).as("input once, only the new attempt's output").isEqualTo(10 + 40);
    }

    @Test
    void forgettingPartitionsReleasesTheirInputAndTheirOutputWhenItCompletes() {
        MemoryBudget budget = new MemoryBudget(10_000);
        CommitTracker tracker = new CommitTracker(budget);
        InFlightBatch kept = tracker.open(batch(0, 0, 100));
        InFlightBatch revoked = tracker.open(batch(1, 0, 200));
        revoked.expectAck(30);
        revoked.seal();
        kept.seal();

        tracker.forget(Set.of(1));
        budget.update(0);
        assertThat(budget.buffered()).isEqualTo(100 + 30);

        revoked.onCompletion(ack(), null);
        budget.update(0);
        assertThat(budget.buffered()).isEqualTo(100);
    }
}
