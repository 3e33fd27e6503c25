package io.kasper.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class CommitTrackerTest {

    private static final TopicPartition T0 = new TopicPartition("t", 0);
    private static final org.apache.kafka.clients.producer.RecordMetadata ACK =
            new org.apache.kafka.clients.producer.RecordMetadata(new TopicPartition("out", 3), 0, 0, 0, 0, 0);

    private static Batch batch(int partition, long from, int n) {
        List<ConsumerRecord<byte[], byte[]>> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(new ConsumerRecord<>("t", partition, from + i, null, new byte[0]));
        }
        return new Batch(partition, list);
    }

    @Test
    void releasesOffsetsOnlyAfterEveryAckOfTheBatch() {
        CommitTracker tracker = new CommitTracker();
        InFlightBatch first = tracker.open(batch(0, 0, 10));
        first.expectAck();
        first.expectAck();
        first.seal();
        first.onCompletion(ACK, null);

        assertThat(tracker.harvest(b -> { })).isNull();
        assertThat(tracker.drainReleasable()).isEmpty();

        first.onCompletion(ACK, null);
        tracker.harvest(b -> { });
        assertThat(tracker.drainReleasable()).isEqualTo(Map.of(T0, new OffsetAndMetadata(10)));
    }

    @Test
    void laterBatchAckedFirstWaitsForTheEarlierOneOfItsPartition() {
        CommitTracker tracker = new CommitTracker();
        InFlightBatch first = tracker.open(batch(0, 0, 10));
        first.expectAck();
        first.seal();
        InFlightBatch second = tracker.open(batch(0, 10, 10));
        second.seal();

        tracker.harvest(b -> { });
        assertThat(tracker.drainReleasable()).isEmpty();
        assertThat(tracker.inFlight(0)).isEqualTo(2);

        first.onCompletion(ACK, null);
        List<InFlightBatch> completed = new ArrayList<>();
        tracker.harvest(completed::add);
        assertThat(completed).containsExactly(first, second);
        assertThat(tracker.drainReleasable()).isEqualTo(Map.of(T0, new OffsetAndMetadata(20)));
        assertThat(tracker.isEmpty()).isTrue();
    }

    @Test
    void failedBatchBlocksItsPartitionButNotOthers() {
        CommitTracker tracker = new CommitTracker();
        InFlightBatch failed = tracker.open(batch(0, 0, 5));
        failed.expectAck();
        failed.seal();
        InFlightBatch after = tracker.open(batch(0, 5, 5));
        after.seal();
        InFlightBatch other = tracker.open(batch(1, 0, 5));
        other.seal();

        failed.failed(new RuntimeException("nack"));
        InFlightBatch firstFailed = tracker.harvest(b -> { });

        assertThat(firstFailed).isSameAs(failed);
        assertThat(tracker.drainReleasable()).isEqualTo(Map.of(new TopicPartition("t", 1), new OffsetAndMetadata(5)));
    }

    @Test
    void restoredOffsetsDoNotOverrideNewerOnes() {
        CommitTracker tracker = new CommitTracker();
        tracker.open(batch(0, 0, 5)).seal();
        tracker.harvest(b -> { });
        Map<TopicPartition, OffsetAndMetadata> firstAttempt = tracker.drainReleasable();
        tracker.open(batch(0, 5, 5)).seal();
        tracker.harvest(b -> { });

        tracker.restore(firstAttempt);

        assertThat(tracker.drainReleasable()).isEqualTo(Map.of(T0, new OffsetAndMetadata(10)));
    }

    @Test
    void countsAcknowledgedOutputPerTopicAndPartition() {
        CommitTracker tracker = new CommitTracker();
        InFlightBatch batch = tracker.open(batch(0, 0, 1));
        batch.expectAck();
        batch.expectAck();
        batch.seal();
        batch.onCompletion(ACK, null);
        batch.onCompletion(ACK, null);

        assertThat(batch.isDone()).isTrue();
        assertThat(batch.acks()).containsOnlyKeys("out");
        assertThat(batch.acks().get("out")[3]).isEqualTo(2);
    }

    @Test
    void releasedBatchesCountAsUncommittedUntilTheirOffsetsAreCommitted() {
        CommitTracker tracker = new CommitTracker();
        tracker.open(batch(0, 0, 10)).seal();
        tracker.open(batch(0, 10, 10)).seal();
        tracker.harvest(b -> { });
        tracker.drainReleasable();

        assertThat(tracker.inFlight(0)).isEqualTo(2);

        tracker.committed(tp -> tp.equals(T0) ? 10 : -1);
        assertThat(tracker.inFlight(0)).isEqualTo(1);

        tracker.committed(tp -> tp.equals(T0) ? 20 : -1);
        assertThat(tracker.inFlight(0)).isZero();
    }

    @Test
    void reopenedBatchIgnoresTheFailureOfItsFirstAttempt() {
        CommitTracker tracker = new CommitTracker();
        InFlightBatch first = tracker.open(batch(0, 0, 10));
        first.expectAck();
        first.onCompletion(null, new org.apache.kafka.common.errors.TimeoutException("expired"));

        InFlightBatch second = tracker.reopen(first);
        second.seal();

        assertThat(tracker.harvest(b -> { })).isNull();
        assertThat(tracker.drainReleasable()).isEqualTo(Map.of(T0, new OffsetAndMetadata(10)));
    }
}
