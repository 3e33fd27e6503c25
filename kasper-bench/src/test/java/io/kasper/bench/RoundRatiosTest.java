package io.kasper.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Unit tests of {@link RoundRatios}. */
class RoundRatiosTest {

    @Test
    void eachRoundComparesKasperWithTheFastestRivalOfThatRound() {
        RoundRatios r = RoundRatios.of("pass-kasper", List.of(500.0, 900.0, 800.0),
                RoundRatios.Rivals.BEST_HAND_ROLLED,
                List.of(List.of(650.0, 600.0, 400.0), List.of(300.0, 750.0, 800.0)));

        assertThat(r.ratios()).containsExactly(500.0 / 650, 900.0 / 750, 1.0);
        assertThat(r.lowest()).isEqualTo(500.0 / 650);
        assertThat(r.text()).isEqualTo("pass-kasper by round: x best hand-rolled 0.77 1.20 1.00 (lowest 0.77)\n");
    }

    @Test
    void onlyRoundsEveryPipelineCompletedCount() {
        RoundRatios r = RoundRatios.of("agg-kasper-redis", List.of(100.0, 200.0), RoundRatios.Rivals.BEST_OTHER,
                List.of(List.of(50.0)));

        assertThat(r.ratios()).containsExactly(2.0);
    }

    @Test
    void withoutRivalsThereIsNoRatioAndNoLine() {
        RoundRatios r = RoundRatios.of("pass-kasper", List.of(100.0), RoundRatios.Rivals.BEST_HAND_ROLLED,
                List.of());

        assertThat(r.ratios()).isEmpty();
        assertThat(r.lowest()).isNaN();
        assertThat(r.text()).isEmpty();
    }
}
