package io.kasper.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class BatchAssemblerTest {

    private static final long MS = 1_000_000L;

    private static List<ConsumerRecord<byte[], byte[]>> records(String topic, int partition, long fromOffset, int n) {
        List<ConsumerRecord<byte[], byte[]>> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(new ConsumerRecord<>(topic, partition, fromOffset + i, null, new byte[0]));
        }
        return list;
    }

    @Test
    void groupsAllTopicsOfOnePartitionNumberIntoOneBatch() {
        BatchAssembler assembler = new BatchAssembler(List.of(0, 1), 100, Duration.ofMillis(10));
        assembler.add(records("orders", 0, 0, 3), 0);
        assembler.add(records("customers", 0, 10, 2), 0);
        assembler.add(records("orders", 1, 0, 4), 0);

        List<Batch> due = assembler.takeDue(10 * MS, p -> Integer.MAX_VALUE);

        assertThat(due).hasSize(2);
        assertThat(due.get(0).partition()).isZero();
        assertThat(due.get(0).records()).extracting(ConsumerRecord::topic)
                .containsExactly("orders", "orders", "orders", "customers", "customers");
        assertThat(due.get(1).partition()).isEqualTo(1);
        assertThat(due.get(1).records()).allSatisfy(r -> assertThat(r.partition()).isEqualTo(1));
        assertThat(due.get(0).commitOffsets()).hasSize(2);
        assertThat(due.get(0).commitOffsets().get(new org.apache.kafka.common.TopicPartition("customers", 0))
                .offset()).isEqualTo(12);
    }

    @Test
    void closesBatchAtBatchSizeAndKeepsTheRestInOffsetOrder() {
        BatchAssembler assembler = new BatchAssembler(List.of(0), 10, Duration.ofHours(1));
        assembler.add(records("t", 0, 0, 25), 0);

        List<Batch> due = assembler.takeDue(0, p -> Integer.MAX_VALUE);

        assertThat(due).extracting(Batch::size).containsExactly(10, 10);
        assertThat(due.get(1).records().get(0).offset()).isEqualTo(10);
        assertThat(assembler.waiting(0)).isEqualTo(5);
        assertThat(assembler.takeDue(0, p -> Integer.MAX_VALUE)).isEmpty();
    }

    @Test
    void closesBatchByAgeOfItsOldestMessage() {
        BatchAssembler assembler = new BatchAssembler(List.of(0), 10, Duration.ofMillis(100));
        assembler.add(records("t", 0, 0, 3), 0);

        assertThat(assembler.takeDue(99 * MS, p -> Integer.MAX_VALUE)).isEmpty();
        assertThat(assembler.nanosUntilNextDeadline(99 * MS)).isEqualTo(MS);
        assertThat(assembler.takeDue(100 * MS, p -> Integer.MAX_VALUE)).extracting(Batch::size).containsExactly(3);
        assertThat(assembler.nanosUntilNextDeadline(100 * MS)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void keepsOneDeadlinePerBatchNotOneGlobalTicker() {
        BatchAssembler assembler = new BatchAssembler(List.of(0, 1), 10, Duration.ofMillis(100));
        assembler.add(records("t", 0, 0, 1), 0);
        assembler.add(records("t", 1, 0, 1), 60 * MS);

        assertThat(assembler.takeDue(100 * MS, p -> Integer.MAX_VALUE)).extracting(Batch::partition).containsExactly(0);
        assertThat(assembler.nanosUntilNextDeadline(100 * MS)).isEqualTo(60 * MS);
        assertThat(assembler.takeDue(159 * MS, p -> Integer.MAX_VALUE)).isEmpty();
        assertThat(assembler.takeDue(160 * MS, p -> Integer.MAX_VALUE)).extracting(Batch::partition).containsExactly(1);
    }

    @Test
    void remainderAfterSizeCloseKeepsTheArrivalTimeOfItsOwnOldestMessage() {
        BatchAssembler assembler = new BatchAssembler(List.of(0), 5, Duration.ofMillis(100));
        assembler.add(records("t", 0, 0, 3), 0);
        assembler.add(records("t", 0, 3, 4), 50 * MS);

        assertThat(assembler.takeDue(50 * MS, p -> Integer.MAX_VALUE)).extracting(Batch::size).containsExactly(5);
        // the two left over arrived at 50 ms, so they are due at 150 ms, not at 100 ms
        assertThat(assembler.takeDue(149 * MS, p -> Integer.MAX_VALUE)).isEmpty();
        assertThat(assembler.takeDue(150 * MS, p -> Integer.MAX_VALUE)).extracting(Batch::size).containsExactly(2);
    }

    @Test
    void holdsBackPartitionsThatMayNotClose() {
        BatchAssembler assembler = new BatchAssembler(List.of(0, 1), 2, Duration.ofMillis(1));
        assembler.add(records("t", 0, 0, 4), 0);
        assembler.add(records("t", 1, 0, 4), 0);

        List<Batch> due = assembler.takeDue(5 * MS, p -> p == 1 ? Integer.MAX_VALUE : 0);

        assertThat(due).extracting(Batch::partition).containsExactly(1, 1);
        assertThat(assembler.isFull(0)).isTrue();
        assertThat(assembler.isFull(1)).isFalse();
    }

    @Test
    void rejectsRecordsOfUnassignedPartition() {
        BatchAssembler assembler = new BatchAssembler(List.of(0), 3, Duration.ofHours(1));

        assertThatThrownBy(() -> assembler.add(records("t", 7, 0, 1), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("partition 7 is not one of [0]");
    }

    @Test
    void closesNoMoreBatchesOfAPartitionThanItHasRoomFor() {
        BatchAssembler assembler = new BatchAssembler(List.of(0), 2, Duration.ofSeconds(1));
        assembler.add(records("t", 0, 0, 7), 0);

        assertThat(assembler.takeDue(0, p -> 1)).extracting(Batch::size).containsExactly(2);
        assertThat(assembler.takeDue(0, p -> 2)).extracting(Batch::size).containsExactly(2, 2);
        assertThat(assembler.waiting(0)).isEqualTo(1);
    }
}
