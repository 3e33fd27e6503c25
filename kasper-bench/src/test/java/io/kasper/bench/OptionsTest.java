package io.kasper.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Unit tests of {@link Options#parse(String...)}. */
class OptionsTest {

    @Test
    void quickLowersTheDefaultsButExplicitFlagsWin() {
        Options quick = Options.parse("--quick", "--repeat", "2");

        assertThat(quick.records()).isEqualTo(200_000);
        assertThat(quick.repeat()).isEqualTo(2);
        assertThat(quick.latencySeconds()).isEqualTo(10);
        assertThat(quick.valueSize()).isEqualTo(100);
        assertThat(quick.forkMemory()).isTrue();
        assertThat(quick.phases()).containsExactlyInAnyOrderElementsOf(Options.ALL_PHASES);
        assertThat(quick.peers()).isNull();
        assertThat(quick.rebalanceSeconds()).isEqualTo(6);
        assertThat(quick.rebalanceRate()).isEqualTo(5_000);
    }

    @Test
    void flagsAreReadWithTheirValues() {
        Options options = Options.parse("--records", "1_000", "--json", "out/bench.json", "--no-fork-memory",
                "--phases", "pass,latency", "--warmup-rounds", "3", "--rebalance-rate", "2000",
                "--rebalance-seconds", "4");

        assertThat(options.records()).isEqualTo(1_000);
        assertThat(options.json()).isEqualTo(Path.of("out/bench.json"));
        assertThat(options.forkMemory()).isFalse();
        assertThat(options.phases()).containsExactlyInAnyOrder("pass", "latency");
        assertThat(options.warmUpRoundCap()).isEqualTo(3);
        assertThat(options.rebalanceRate()).isEqualTo(2_000);
        assertThat(options.rebalanceSeconds()).isEqualTo(4);
        assertThat(Options.parse().rebalanceSeconds()).isEqualTo(10);
    }

    @Test
    void badValuesAreRejectedWithTheFlagTheValueAndTheUsage() {
        assertThatThrownBy(() -> Options.parse("--records", "0")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Invalid value for option '--records': needs a positive integer, was 0")
                .hasMessageContaining(Options.USAGE);
        assertThatThrownBy(() -> Options.parse("--phases", "pass,warp")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--phases takes names of [pass, stateful, latency, memory, large, "
                        + "rebalance], was pass,warp");
        assertThatThrownBy(() -> Options.parse("--value-size", "8")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--value-size must be at least 16, was 8");
        assertThatThrownBy(() -> Options.parse("--fast")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Unknown option: '--fast'");
    }

    @Test
    void theNetworkDelayIsReadInMillisecondsWithDecimalsAndDefaultsToNone() {
        assertThat(Options.parse("--network-delay-ms", "1.5").networkDelay()).isEqualTo(Duration.ofNanos(1_500_000));
        assertThat(Options.parse("--network-delay-ms", "0.25").networkDelayMicros()).isEqualTo(250);
        assertThat(Options.parse().networkDelay()).isZero();
        assertThatThrownBy(() -> Options.parse("--network-delay-ms", "-1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Invalid value for option '--network-delay-ms': needs milliseconds from 0 to "
                        + "1000, was -1");
        assertThatThrownBy(() -> Options.parse("--network-delay-ms", "soon"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs milliseconds from 0 to 1000, was soon");
    }
}
