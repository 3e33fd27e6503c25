package io.kasper.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Unit tests of the rebalance figures computed by {@link Arrivals}, over timestamps given in milliseconds. */
class ArrivalsTest {

    private static final long MS = 1_000_000L;

    @Test
    void aGapCountsWholeInTheWindowInWhichItEnds() {
        Arrivals a = arrivals(new long[] {0, 100, 200, 1500, 1600});

        assertThat(a.maxGap(List.of(0), ms(250), ms(1500))).as("the pause from 200 ends at 1500, in (250, 1500]")
                .isEqualTo(ms(1300));
        assertThat(a.maxGap(List.of(0), ms(250), ms(1000))).as("still going on at 1000: counted where it ends")
                .isEqualTo(-1);
        assertThat(a.maxGap(List.of(0), ms(0), ms(150))).isEqualTo(ms(100));
        assertThat(a.maxGap(List.of(0), ms(1000), Long.MAX_VALUE)).as("the last window takes every later gap")
                .isEqualTo(ms(1300));
    }

    @Test
    void noPartitionsOrNoOutputHaveNoGap() {
        Arrivals a = arrivals(new long[] {0, 100}, new long[0]);

        assertThat(a.maxGap(List.of(), ms(0), ms(100))).isEqualTo(-1);
        assertThat(a.maxGap(List.of(1), ms(0), ms(700))).isEqualTo(-1);
        assertThat(a.maxGap(List.of(0, 1), ms(0), ms(700))).isEqualTo(ms(100));
    }

    @Test
    void thePauseSumsTheExcessOfEachPartitionsLongestGapOverTheNormalGap() {
        Arrivals a = arrivals(new long[] {0, 100, 200, 1500}, every(100, 0, 2000), new long[] {0, 400, 1200},
                every(150, 0, 2000));

        // partition 0: 1,300 - 100; partition 1: every gap normal; partition 2: 800 - 100, its gap of 400 left out
        // as not its longest; partition 3: every gap 50 over normal, and that is no pause
        assertThat(a.pauseBeyond(ms(100), ms(250), ms(1500))).isEqualTo(ms(1200 + 700 + 50));
        assertThat(a.pauseBeyond(ms(100), ms(250), ms(1000))).as("only partition 2's first gap ends by 1000")
                .isEqualTo(ms(300 + 50));
    }

    @Test
    void theLongestSilenceIsTheLongestTimeWithoutOutputOfAnyPartition() {
        Arrivals a = arrivals(new long[] {0, 100, 200, 1500}, new long[] {0, 100, 200, 900, 1500});

        assertThat(a.longestSilence(ms(250), ms(1000))).isEqualTo(ms(700));
        assertThat(a.longestSilence(ms(1000), ms(1500))).isEqualTo(ms(600));
        assertThat(a.longestSilence(ms(1500), ms(2000))).isEqualTo(-1);
    }

    @Test
    void theNormalGapIsAPercentileOfTheGapsBetweenDistinctArrivalsWhollyInsideTheWindow() {
        // nine gaps of 100 and one of 500 inside [0, 1000], besides the gaps of 0 within the batches at 100 and 500;
        // the 300 from 900 to 1200 ends outside
        Arrivals a = arrivals(new long[] {0, 100, 100, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1200},
                new long[] {0, 500, 500});

        assertThat(a.normalGap(ms(0), ms(1000), 99)).isEqualTo(ms(500));
        assertThat(a.normalGap(ms(0), ms(1000), 50)).isEqualTo(ms(100));
        assertThat(a.normalGap(ms(2000), ms(3000), 99)).isNaN();
    }

    @Test
    void theLowestRateIsTakenOverWholeWindowsFromTheStart() {
        long[] outputs = LongStream.concat(LongStream.of(every(50, 0, 1000)), LongStream.of(every(50, 1500, 3000)))
                .toArray();
        Arrivals a = arrivals(outputs);

        assertThat(a.rate(ms(0), ms(1000))).isEqualTo(20.0);
        assertThat(a.minRate(ms(0), ms(3000), ms(500))).as("nothing arrived in [1000, 1500)").isEqualTo(0.0);
        assertThat(a.minRate(ms(0), ms(1000), ms(500))).isEqualTo(20.0);
        assertThat(a.minRate(ms(1000), ms(1499), ms(500))).as("no whole window fits").isNaN();
    }

    @Test
    void latencyCoversTheRecordsSentInTheWindowWhereverTheyArrived() {
        Arrivals a = new Arrivals(new long[][] {{ms(5), ms(21), ms(30), ms(130)}},
                new long[] {ms(0), ms(10), ms(20), ms(30)}, new long[] {ms(5), ms(30), ms(21), ms(130)});

        assertThat(a.latency(ms(10), ms(31), 100)).isEqualTo(ms(100));
        assertThat(a.latency(ms(10), ms(31), 50)).isEqualTo(ms(20));
        assertThat(a.latency(ms(40), ms(50), 99)).isNaN();
    }

    @Test
    void sendAndArrivalTimesMustPairUp() {
        assertThatThrownBy(() -> new Arrivals(new long[][] {{1}}, new long[] {1, 2}, new long[] {3}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sent and arrived must pair up, had 2 and 1 times");
    }

    /** Arrivals of the given partitions (times in ms) with no latency records. */
    static Arrivals arrivals(long[]... msByPartition) {
        long[][] nanos = new long[msByPartition.length][];
        for (int p = 0; p < nanos.length; p++) {
            nanos[p] = LongStream.of(msByPartition[p]).map(ArrivalsTest::ms).toArray();
        }
        return new Arrivals(nanos, new long[0], new long[0]);
    }

    /** Returns from, from + step, ... below to. */
    static long[] every(long step, long from, long to) {
        return LongStream.iterate(from, t -> t < to, t -> t + step).toArray();
    }

    static long ms(long millis) {
        return millis * MS;
    }
}
