package io.kasper.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Unit tests of the warm-up rule ({@link WarmUp}) and its scaling with N ({@link Options}). */
class WarmUpTest {

    @Test
    void roundsWithinTenPercentOfTheFasterAreSettled() {
        assertThat(WarmUp.settled(100_000, 109_000)).isTrue();
        assertThat(WarmUp.settled(109_000, 100_000)).isTrue();
        assertThat(WarmUp.settled(100_000, 112_000)).isFalse();
        assertThat(WarmUp.settled(40_000, 100_000)).isFalse();
    }

    @Test
    void theRoundCapScalesWithNUnlessGiven() {
        assertThat(Options.parse("--records", "5000").warmUpRoundCap()).isEqualTo(2);
        assertThat(Options.parse("--records", "100000").warmUpRoundCap()).isEqualTo(4);
        assertThat(Options.parse().warmUpRoundCap()).isEqualTo(8);
        assertThat(Options.parse("--warmup-rounds", "3").warmUpRoundCap()).isEqualTo(3);
        assertThat(Options.parse("--records", "5000").warmUpRecords()).isEqualTo(5000);
        assertThat(Options.parse().warmUpRecords()).isEqualTo(100_000);
    }
}
