package io.kasper.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class HeldPartitionsTest {

    private static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);
    private static final TopicPartition ORDERS_1 = new TopicPartition("orders", 1);
    private static final TopicPartition CUSTOMERS_0 = new TopicPartition("customers", 0);
    private static final TopicPartition CUSTOMERS_1 = new TopicPartition("customers", 1);

    private final AtomicLong clock = new AtomicLong(1_000);
    private final HeldPartitions held = new HeldPartitions(List.of("orders", "customers"), clock::get);

    @Test
    void aNumberWhoseTopicPartitionsComeTogetherIsWholeAtOnceHavingWaitedNothing() {
        HeldPartitions.Completed completed = held.add(List.of(ORDERS_0, CUSTOMERS_0, ORDERS_1, CUSTOMERS_1));

        assertThat(completed.waitedNanos()).isEqualTo(Map.of(0, 0L, 1, 0L));
        assertThat(completed.numbers()).containsExactly(0, 1);
        assertThat(held.incomplete()).isEmpty();
        assertThat(held.isWhole(0)).isTrue();
    }

    @Test
    void aNumberHeldForOneTopicOnlyWaitsIncompleteUntilTheOtherTopicsPartitionComes() {
        assertThat(held.add(List.of(ORDERS_0, ORDERS_1, CUSTOMERS_1)).numbers()).containsExactly(1);
        assertThat(held.isWhole(0)).isFalse();
        assertThat(held.incomplete()).isEqualTo(Map.of(0, List.of(ORDERS_0)));

        clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(250));
        assertThat(held.waitingNanos(0)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(250));
        HeldPartitions.Completed completed = held.add(List.of(CUSTOMERS_0));

        assertThat(completed.waitedNanos()).isEqualTo(Map.of(0, TimeUnit.MILLISECONDS.toNanos(250)));
        assertThat(held.isWhole(0)).isTrue();
        assertThat(held.held(0)).containsExactly(CUSTOMERS_0, ORDERS_0);
        assertThat(held.incomplete()).isEmpty();
        assertThat(held.waitingNanos(0)).isZero();
    }

    @Test
    void revokingOneTopicsPartitionBreaksTheNumberAndLeavesTheOtherHeldAndWaiting() {
        held.add(List.of(ORDERS_0, CUSTOMERS_0, ORDERS_1, CUSTOMERS_1));

        assertThat(held.remove(List.of(CUSTOMERS_0))).containsExactly(0);

        assertThat(held.isWhole(0)).isFalse();
        assertThat(held.isWhole(1)).as("a number that did not move stays whole").isTrue();
        assertThat(held.held(0)).containsExactly(ORDERS_0);
        assertThat(held.incomplete()).isEqualTo(Map.of(0, List.of(ORDERS_0)));
        clock.addAndGet(40);
        assertThat(held.add(List.of(CUSTOMERS_0)).waitedNanos()).as("it waits again from the revocation")
                .isEqualTo(Map.of(0, 40L));
    }

    @Test
    void revokingTheRestOfABrokenNumberReportsNothingMore() {
        held.add(List.of(ORDERS_0, CUSTOMERS_0));
        held.remove(List.of(CUSTOMERS_0));

        assertThat(held.remove(List.of(ORDERS_0))).as("already reported when it stopped being whole").isEmpty();
        assertThat(held.held(0)).isEmpty();
        assertThat(held.incomplete()).isEmpty();
    }

    @Test
    void revokingEverythingOfANumberAtOnceReportsItOnce() {
        held.add(List.of(ORDERS_0, CUSTOMERS_0, ORDERS_1, CUSTOMERS_1));

        assertThat(held.remove(List.of(ORDERS_0, CUSTOMERS_0, ORDERS_1))).containsExactly(0, 1);
        assertThat(held.held(0)).isEmpty();
        assertThat(held.held(1)).containsExactly(CUSTOMERS_1);
    }

    @Test
    void aNumberGivenUpBeforeItWasWholeIsNeitherReportedNorWaitingAnyMore() {
        held.add(List.of(ORDERS_0));

        assertThat(held.remove(List.of(ORDERS_0))).isEmpty();
        assertThat(held.incomplete()).isEmpty();
        assertThat(held.waitingNanos(0)).isZero();
    }

    @Test
    void topicPartitionsGivenTwiceOrNeverHeldChangeNothing() {
        held.add(List.of(ORDERS_0, CUSTOMERS_0));

        assertThat(held.add(List.of(ORDERS_0)).numbers()).as("already whole").isEmpty();
        assertThat(held.remove(List.of(ORDERS_1))).isEmpty();
        assertThat(held.isWhole(0)).isTrue();
    }

    @Test
    void aTopicPartitionOfAnotherTopicNeverCompletesANumber() {
        held.add(List.of(ORDERS_0, new TopicPartition("other", 0)));

        assertThat(held.isWhole(0)).isFalse();
    }
}
