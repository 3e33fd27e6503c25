package io.kasper.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** The byte limit of a batch and the byte counts of {@link BatchAssembler}. */
class BatchAssemblerBytesTest {

    private static final long MS = 1_000_000L;

    private static ConsumerRecord<byte[], byte[]> record(int partition, long offset, int valueBytes) {
        return new ConsumerRecord<>("t", partition, offset, null, new byte[valueBytes]);
    }

    private static List<ConsumerRecord<byte[], byte[]>> records(int partition, long from, int... valueBytes) {
        List<ConsumerRecord<byte[], byte[]>> list = new ArrayList<>();
        for (int i = 0; i < valueBytes.length; i++) {
            list.add(record(partition, from + i, valueBytes[i]));
        }
        return list;
    }

    private static int[] times(int n, int bytes) {
        int[] sizes = new int[n];
        java.util.Arrays.fill(sizes, bytes);
        return sizes;
    }

    @Test
    void closesABatchWhenItsBytesReachTheLimitWithoutExceedingIt() {
        BatchAssembler assembler = new BatchAssembler(List.of(0), 1000, 350, Duration.ofHours(1));
        assembler.add(records(0, 0, times(10, 100)), 0);

        List<Batch> due = assembler.takeDue(0, p -> Integer.MAX_VALUE);

        assertThat(due).extracting(Batch::size).containsExactly(3, 3, 3);
        assertThat(due).extracting(Batch::bytes).containsOnly(300L);
        assertThat(due.get(1).records().get(0).offset()).isEqualTo(3);
        assertThat(assembler.waiting(0)).isEqualTo(1);
        assertThat(assembler.bytesWaiting()).isEqualTo(100);
        assertThat(assembler.isFull(0)).isFalse();
    }

    @Test
    void aMessageLargerThanTheLimitMakesABatchOfOne() {
        BatchAssembler assembler = new BatchAssembler(List.of(0), 1000, 200, Duration.ofHours(1));
        assembler.add(records(0, 0, 50, 500, 50), 0);

        List<Batch> due = assembler.takeDue(0, p -> Integer.MAX_VALUE);

        assertThat(due).extracting(Batch::size).containsExactly(1, 1);
        assertThat(due.get(1).records().get(0).offset()).isEqualTo(1);
        assertThat(due.get(1).bytes()).isEqualTo(500);
        assertThat(assembler.waiting(0)).isEqualTo(1);
        assertThat(assembler.bytesWaiting()).isEqualTo(50);
    }

    @Test
    void theCountLimitStillAppliesWhenBytesAreFarBelowTheirs() {
        BatchAssembler assembler = new BatchAssembler(List.of(0), 4, 1_000_000, Duration.ofHours(1));
        assembler.add(records(0, 0, times(9, 100)), 0);

        assertThat(assembler.takeDue(0, p -> Integer.MAX_VALUE)).extracting(Batch::size).containsExactly(4, 4);
        assertThat(assembler.bytesWaiting()).isEqualTo(100);
    }

    @Test
    void stopsClosingBatchesOnceTheyHoldTheGivenBytesAndStartsAfterTheLastPartitionServedNextTime() {
        BatchAssembler assembler = new BatchAssembler(List.of(0, 1, 2), 2, 10_000, Duration.ofHours(1));
        for (int p = 0; p < 3; p++) {
            assembler.add(records(p, 0, times(4, 100)), 0);
        }

        List<Batch> first = assembler.takeDue(0, p -> Integer.MAX_VALUE, 300);
        List<Batch> second = assembler.takeDue(0, p -> Integer.MAX_VALUE, 1);
        List<Batch> rest = assembler.takeDue(0, p -> Integer.MAX_VALUE);

        assertThat(first).extracting(Batch::partition).containsExactly(0, 0);
        assertThat(second).extracting(Batch::partition).containsExactly(1);
        assertThat(rest).extracting(Batch::partition).containsExactly(2, 2, 1);
        assertThat(assembler.bytesWaiting()).isZero();
    }

    @Test
    void countsKeyValueAndHeaderBytes() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace", "abcd".getBytes(StandardCharsets.UTF_8));
        headers.add("empty", null);
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("t", 0, 0, 0L, TimestampType.CREATE_TIME, 3, 10,
                new byte[3], new byte[10], headers, Optional.empty());
        BatchAssembler assembler = new BatchAssembler(List.of(0), 1000, 23, Duration.ofHours(1));

        assembler.add(List.of(record), 0);

        // 3 key + 10 value + ("trace" 5 + 4) + ("empty" 5 + null 0) = 27
        assertThat(assembler.bytesWaiting()).isEqualTo(27);
        assertThat(assembler.isFull(0)).isTrue();
        assertThat(assembler.takeDue(0, p -> Integer.MAX_VALUE)).singleElement()
                .satisfies(b -> assertThat(b.bytes()).isEqualTo(27));
    }

    @Test
    void takeOldestClosesOneBatchOfTheLongestWaitingPartitionEvenIfNotDue() {
        BatchAssembler assembler = new BatchAssembler(List.of(0, 1, 2), 1000, 10_000, Duration.ofHours(1));
        assembler.add(records(0, 0, 100, 100), 5 * MS);
        assembler.add(records(1, 0, 100), 2 * MS);
        assembler.add(records(2, 0, 100), 1 * MS);

        assertThat(assembler.takeDue(6 * MS, p -> Integer.MAX_VALUE)).isEmpty();
        List<Batch> early = assembler.takeOldest(p -> p == 2 ? 0 : 1);

        assertThat(early).singleElement().satisfies(b -> assertThat(b.partition()).isEqualTo(1));
        assertThat(assembler.bytesWaiting()).isEqualTo(300);
        assertThat(assembler.takeOldest(p -> 0)).isEmpty();
    }

    @Test
    void discardingAPartitionForgetsItsBytes() {
        BatchAssembler assembler = new BatchAssembler(List.of(0, 1), 1000, 10_000, Duration.ofHours(1));
        assembler.add(records(0, 0, 100, 200), 0);
        assembler.add(records(1, 0, 400), 0);

        assembler.discard(List.of(0));

        assertThat(assembler.bytesWaiting()).isEqualTo(400);
    }

    @Test
    void aBatchCutFromChunksOfSeveralTopicsHasTheRangesCountsAndBytesOfItsMessages() {
        // chunks of two topics interleaved, cut by count and by bytes at and inside chunk boundaries
        BatchAssembler assembler = new BatchAssembler(List.of(0), 7, 900, Duration.ofHours(1));
        java.util.Random random = new java.util.Random(42);
        long[] next = {0, 1000};
        List<Batch> batches = new ArrayList<>();
        for (int chunk = 0; chunk < 40; chunk++) {
            int topic = random.nextInt(2);
            int n = 1 + random.nextInt(9);
            List<ConsumerRecord<byte[], byte[]>> list = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                byte[] key = random.nextBoolean() ? null : new byte[random.nextInt(20)];
                list.add(new ConsumerRecord<>(topic == 0 ? "a" : "b", 0, next[topic]++, key,
                        new byte[random.nextInt(200)]));
            }
            assembler.add(list, 0);
            if (random.nextInt(3) == 0) {
                batches.addAll(assembler.takeDue(0, p -> Integer.MAX_VALUE));
            }
            if (random.nextInt(5) == 0) {
                batches.addAll(assembler.takeOldest(p -> 1));
            }
        }
        batches.addAll(assembler.takeDue(Long.MAX_VALUE / 2, p -> Integer.MAX_VALUE));

        assertThat(batches).hasSizeGreaterThan(10);
        long taken = 0;
        for (Batch batch : batches) {
            Batch scanned = new Batch(0, batch.records());
            assertThat(batch.offsetRanges()).isEqualTo(scanned.offsetRanges());
            assertThat(batch.counts()).isEqualTo(scanned.counts());
            assertThat(batch.bytes()).isEqualTo(scanned.bytes());
            assertThat(batch.commitOffsets()).isEqualTo(scanned.commitOffsets());
            taken += batch.size();
        }
        assertThat(taken).isEqualTo(next[0] + next[1] - 1000);
        assertThat(assembler.bytesWaiting()).isZero();
    }
}
