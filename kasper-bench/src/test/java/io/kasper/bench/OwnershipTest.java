package io.kasper.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.kasper.bench.Ownership.Change;
import io.kasper.bench.Ownership.Event;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Unit tests of {@link Ownership}: who owned a partition number when. */
class OwnershipTest {

    @Test
    void anEagerRebalanceLeavesEveryNumberWithoutOwnerUntilTheNewSetIsAssigned() {
        Ownership o = new Ownership();
        o.record(new Event(10, 0, Change.ASSIGNED, Set.of(0, 1)));
        o.record(new Event(10, 1, Change.ASSIGNED, Set.of(2, 3)));
        o.record(new Event(100, 0, Change.REVOKED, Set.of(0, 1)));
        o.record(new Event(100, 1, Change.REVOKED, Set.of(2, 3)));
        o.record(new Event(150, 0, Change.ASSIGNED, Set.of(0)));
        o.record(new Event(150, 1, Change.ASSIGNED, Set.of(1, 2)));
        o.record(new Event(150, 2, Change.ASSIGNED, Set.of(3)));

        assertThat(o.ownersAt(4, 5)).containsExactly(-1, -1, -1, -1);
        assertThat(o.ownersAt(4, 50)).containsExactly(0, 0, 1, 1);
        assertThat(o.ownersAt(4, 120)).containsExactly(-1, -1, -1, -1);
        assertThat(o.ownersAt(4, 150)).as("events at the very time count").containsExactly(0, 1, 1, 2);
    }

    @Test
    void eventsRecordedOutOfOrderCountByTheirTime() {
        Ownership o = new Ownership();
        o.record(new Event(30, 1, Change.ASSIGNED, Set.of(0)));
        o.record(new Event(20, 0, Change.REVOKED, Set.of(0)));
        o.record(new Event(10, 0, Change.ASSIGNED, Set.of(0)));

        assertThat(o.ownersAt(1, 15)).containsExactly(0);
        assertThat(o.ownersAt(1, 25)).containsExactly(-1);
        assertThat(o.ownersAt(1, 35)).containsExactly(1);
    }

    @Test
    void aLateLossOfAFormerOwnerDoesNotTakeTheNumberFromItsNewOwner() {
        Ownership o = new Ownership();
        o.record(new Event(10, 0, Change.ASSIGNED, Set.of(5)));
        o.record(new Event(20, 1, Change.ASSIGNED, Set.of(5)));
        o.record(new Event(30, 0, Change.LOST, Set.of(5)));

        assertThat(o.ownersAt(6, 40)[5]).isEqualTo(1);
    }

    @Test
    void theListenerRecordsEachCallbackWithItsMemberAndChange() {
        Ownership o = new Ownership();
        long before = System.nanoTime();
        o.listener(3).onPartitionsAssigned(Set.of(1, 2));
        o.listener(3).onPartitionsLost(Set.of(2));

        assertThat(o.between(before, System.nanoTime() + 1)).extracting(Event::member, Event::change,
                Event::partitions).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(3, Change.ASSIGNED, Set.of(1, 2)),
                        org.assertj.core.groups.Tuple.tuple(3, Change.LOST, Set.of(2)));
        assertThat(o.ownedNow(3)).isEqualTo(1);
    }
}
