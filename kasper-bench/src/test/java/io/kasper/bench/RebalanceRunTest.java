package io.kasper.bench;

import static io.kasper.bench.ArrivalsTest.arrivals;
import static io.kasper.bench.ArrivalsTest.every;
import static io.kasper.bench.ArrivalsTest.ms;
import static org.assertj.core.api.Assertions.assertThat;

import io.kasper.bench.Ownership.Change;
import io.kasper.bench.Ownership.Event;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Unit tests of {@link RebalanceRun#window}: which partitions moved across a window and their figures. */
class RebalanceRunTest {

    @Test
    void partitionsAreSplitByWhetherTheirOwnerChangedAndMeasuredApart() {
        Ownership o = new Ownership();
        o.record(new Event(ms(0), 0, Change.ASSIGNED, Set.of(0, 1)));
        o.record(new Event(ms(0), 1, Change.ASSIGNED, Set.of(2, 3)));
        // a join at 1,000: partition 1 goes from member 0 to member 2, partition 3 is given up and not yet taken
        o.record(new Event(ms(1100), 0, Change.REVOKED, Set.of(1)));
        o.record(new Event(ms(1300), 2, Change.ASSIGNED, Set.of(1)));
        o.record(new Event(ms(1200), 1, Change.REVOKED, Set.of(3)));
        // output every 100 ms; partition 0 stalls from 1,000 to 1,250, partition 1 from 1,100 to 1,400, partition 3
        // from 1,200 to 1,800
        Arrivals a = arrivals(skip(1000, 1250), skip(1100, 1400), every(100, 0, 2000), skip(1200, 1800));

        RebalanceRun.Window w = RebalanceRun.window("join", a, o, ms(1000), ms(2000), false, ms(100), 40.0);

        assertThat(w.moved()).containsExactly(1, 3);
        assertThat(w.notMoved()).containsExactly(0, 2);
        assertThat(w.notMovedMaxGapMs()).isEqualTo(250.0);
        assertThat(w.movedMaxGapMs()).isEqualTo(600.0);
        assertThat(w.pauseMs()).as("each partition's longest gap beyond 100 ms")
                .isEqualTo((250 - 100) + (300 - 100) + (600 - 100));
        // [1000, 1500) holds 15 outputs, [1500, 2000) 17
        assertThat(w.minRate()).isEqualTo(30.0);
        assertThat(w.dip()).isEqualTo(0.75);
        assertThat(w.silenceMs()).isEqualTo(100.0);
        assertThat(w.p99Ms()).isNaN();
    }

    @Test
    void aPauseGoingOnAtTheEndOfAWindowCountsInTheNextOneAndTheLastWindowTakesEveryLaterGap() {
        Ownership o = new Ownership();
        o.record(new Event(ms(0), 0, Change.ASSIGNED, Set.of(0)));
        Arrivals a = arrivals(skip(1900, 2500));

        assertThat(RebalanceRun.window("join", a, o, ms(1000), ms(2000), false, ms(100), 20.0).notMovedMaxGapMs())
                .isEqualTo(100.0);
        assertThat(RebalanceRun.window("leave", a, o, ms(2000), ms(2200), true, ms(100), 20.0).notMovedMaxGapMs())
                .as("ends at 2,500, after the last window").isEqualTo(600.0);
    }

    /** Every 100 ms from 0 to 2,000 and on from {@code to}, nothing strictly between {@code from} and {@code to}. */
    private static long[] skip(long from, long to) {
        return LongStream.concat(LongStream.of(every(100, 0, from + 1)),
                LongStream.of(every(100, to, Math.max(to + 1, 2000)))).toArray();
    }
}
