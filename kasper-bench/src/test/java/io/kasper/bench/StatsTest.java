package io.kasper.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Unit tests of {@link Stats}. */
class StatsTest {

    @Test
    void medianOfAnOddCountIsTheMiddleValue() {
        assertThat(Stats.median(List.of(5.0, 1.0, 3.0))).isEqualTo(3.0);
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheTwoMiddleValues() {
        assertThat(Stats.median(List.of(4.0, 1.0, 3.0, 10.0))).isEqualTo(3.5);
    }

    @Test
    void medianOfNothingIsNaN() {
        assertThat(Stats.median(List.of())).isNaN();
    }

    @Test
    void percentilesUseTheNearestRank() {
        long[] values = new long[100];
        for (int i = 0; i < 100; i++) {
            values[i] = 100 - i; // 100..1, unsorted
        }
        assertThat(Stats.percentile(values, 50)).isEqualTo(50.0);
        assertThat(Stats.percentile(values, 99)).isEqualTo(99.0);
        assertThat(Stats.percentile(values, 100)).isEqualTo(100.0);
        assertThat(Stats.percentile(values, 0.5)).isEqualTo(1.0);
    }

    @Test
    void percentileOfASmallSampleRoundsTheRankUp() {
        assertThat(Stats.percentile(new long[] {10, 20, 30}, 50)).isEqualTo(20.0);
        assertThat(Stats.percentile(new long[] {10, 20, 30}, 99)).isEqualTo(30.0);
        assertThat(Stats.percentile(new long[] {7}, 50)).isEqualTo(7.0);
    }

    @Test
    void percentileRejectsOutOfRangeAndGivesNaNWhenEmpty() {
        assertThatThrownBy(() -> Stats.percentile(new long[] {1}, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Stats.percentile(new long[] {1}, 101)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Stats.percentile(new long[0], 50)).isNaN();
    }
}
