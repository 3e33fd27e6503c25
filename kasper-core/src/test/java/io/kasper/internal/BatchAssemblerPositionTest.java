package io.kasper.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Which offsets a batch commits when the consumer's position is past its last record. */
class BatchAssemblerPositionTest {

    private static final TopicPartition ORDERS0 = new TopicPartition("orders", 0);
    private static final TopicPartition CUSTOMERS0 = new TopicPartition("customers", 0);

    private static List<ConsumerRecord<byte[], byte[]>> records(String topic, long... offsets) {
        List<ConsumerRecord<byte[], byte[]>> list = new ArrayList<>();
        for (long offset : offsets) {
            list.add(new ConsumerRecord<>(topic, 0, offset, null, new byte[0]));
        }
        return list;
    }

    private static Map<TopicPartition, Long> offsets(Batch batch) {
        Map<TopicPartition, Long> result = new java.util.LinkedHashMap<>();
        batch.commitOffsets().forEach((tp, om) -> result.put(tp, om.offset()));
        return result;
    }

    @Test
    void batchHoldingTheLastFetchedRecordCommitsThePositionPastTheGap() {
        BatchAssembler assembler = new BatchAssembler(List.of(0), 100, Duration.ZERO);
        assembler.add(records("orders", 0, 1, 2), 0);

        List<Batch> due = assembler.takeDue(0, p -> 1, tp -> 5L);

        assertThat(due).hasSize(1);
        assertThat(offsets(due.get(0))).containsExactly(Map.entry(ORDERS0, 5L));
        assertThat(due.get(0).offsetRanges().get(ORDERS0).last()).isEqualTo(2);
    }

    @Test
    void batchWithRecordsOfItsTopicPartitionStillWaitingCommitsAfterItsLastRecord() {
        BatchAssembler assembler = new BatchAssembler(List.of(0), 2, Duration.ZERO);
        assembler.add(records("orders", 0, 1, 2), 0);

        List<Batch> due = assembler.takeDue(0, p -> 2, tp -> 5L);

        assertThat(due).hasSize(2);
        assertThat(offsets(due.get(0))).as("offset 2 still waits").containsExactly(Map.entry(ORDERS0, 2L));
        assertThat(offsets(due.get(1))).containsExactly(Map.entry(ORDERS0, 5L));
    }

    @Test
    void eachTopicOfABatchIsJudgedByItsOwnWaitingRecords() {
        BatchAssembler assembler = new BatchAssembler(List.of(0), 3, Duration.ZERO);
        assembler.add(records("orders", 10, 11), 0);
        assembler.add(records("customers", 20, 21), 0);

        List<Batch> due = assembler.takeDue(0, p -> 1, tp -> tp.topic().equals("orders") ? 15L : 25L);

        assertThat(offsets(due.get(0))).as("orders' last record is in the batch, customers' 21 waits")
                .containsExactly(Map.entry(ORDERS0, 15L), Map.entry(CUSTOMERS0, 21L));
    }

    @Test
    void positionBelowTheLastRecordOrUnknownNeverMovesTheCommitBack() {
        BatchAssembler assembler = new BatchAssembler(List.of(0), 100, Duration.ZERO);
        assembler.add(records("orders", 7, 8), 0);
        assertThat(offsets(assembler.takeDue(0, p -> 1, tp -> 3L).get(0))).containsExactly(Map.entry(ORDERS0, 9L));

        assembler.add(records("orders", 9), 0);
        assertThat(offsets(assembler.takeDue(0, p -> 1, tp -> -1L).get(0))).containsExactly(Map.entry(ORDERS0, 10L));
    }

    @Test
    void withoutPositionsBatchesCommitAfterTheirLastRecord() {
        BatchAssembler assembler = new BatchAssembler(List.of(0), 100, Duration.ZERO);
        assembler.add(records("orders", 0, 1, 2), 0);

        assertThat(assembler.takeDue(0, p -> 1).get(0).commitOffsets())
                .containsExactly(Map.entry(ORDERS0, new OffsetAndMetadata(3)));
    }

    @Test
    void lastAddedFollowsTheLatestChunkAndIsForgottenOnDiscard() {
        BatchAssembler assembler = new BatchAssembler(List.of(0, 1), 100, Duration.ZERO);
        assertThat(assembler.lastAdded(ORDERS0)).isEqualTo(-1);
        assembler.add(records("orders", 0, 1), 0);
        assembler.add(records("orders", 4), 0);
        assembler.takeDue(0, p -> 1);

        assertThat(assembler.lastAdded(ORDERS0)).as("taking a batch does not forget it").isEqualTo(4);
        assertThat(assembler.lastAdded(CUSTOMERS0)).isEqualTo(-1);
        assembler.discard(List.of(0));
        assertThat(assembler.lastAdded(ORDERS0)).isEqualTo(-1);
    }
}
