package io.kasper.bench;

import io.kasper.PartitionListener;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Which member of a group owned which partition number when, from the members' {@link PartitionListener} callbacks,
 * each stamped with {@link System#nanoTime()} as it is called. A partition number is owned by a member from its
 * {@code onPartitionsAssigned} until its {@code onPartitionsRevoked} or {@code onPartitionsLost}, and by nobody in
 * between owners.
 *
 * <p>Thread-safety: the listeners may be called from any thread, and the queries from any other.
 */
final class Ownership {

    /** What a callback said. */
    enum Change {
        ASSIGNED, REVOKED, LOST
    }

    /**
     * One callback.
     *
     * @param nanos {@link System#nanoTime()} when it was called
     * @param member the member it was called on
     * @param change what it said
     * @param partitions the partition numbers it named
     */
    record Event(long nanos, int member, Change change, Set<Integer> partitions) {
    }

    private final List<Event> events = new ArrayList<>();

    /** Returns a listener that records the callbacks of {@code member}. */
    PartitionListener listener(int member) {
        return new PartitionListener() {
            @Override
            public void onPartitionsAssigned(Set<Integer> partitionNumbers) {
                record(new Event(System.nanoTime(), member, Change.ASSIGNED, Set.copyOf(partitionNumbers)));
            }

            @Override
            public void onPartitionsRevoked(Set<Integer> partitionNumbers) {
                record(new Event(System.nanoTime(), member, Change.REVOKED, Set.copyOf(partitionNumbers)));
            }

            @Override
            public void onPartitionsLost(Set<Integer> partitionNumbers) {
                record(new Event(System.nanoTime(), member, Change.LOST, Set.copyOf(partitionNumbers)));
            }
        };
    }

    /** Records a callback. */
    synchronized void record(Event event) {
        events.add(event);
    }

    /**
     * Returns, for each partition number 0..{@code partitions}-1, the member that owned it at {@code nanos} (events
     * at that very time included), -1 for none.
     */
    synchronized int[] ownersAt(int partitions, long nanos) {
        int[] owners = new int[partitions];
        Arrays.fill(owners, -1);
        List<Event> ordered = new ArrayList<>(events);
        // callbacks of different members stamp their time before they take the lock, so the list may be out of order
        ordered.sort(Comparator.comparingLong(Event::nanos));
        for (Event e : ordered) {
            if (e.nanos() > nanos) {
                break;
            }
            for (int p : e.partitions()) {
                if (p >= partitions) {
                    continue;
                }
                if (e.change() == Change.ASSIGNED) {
                    owners[p] = e.member();
                } else if (owners[p] == e.member()) {
                    owners[p] = -1;
                }
            }
        }
        return owners;
    }

    /** Returns the number of partition numbers 0..{@code partitions}-1 owned by some member now. */
    int ownedNow(int partitions) {
        int owned = 0;
        for (int owner : ownersAt(partitions, System.nanoTime())) {
            if (owner >= 0) {
                owned++;
            }
        }
        return owned;
    }

    /** Returns the callbacks recorded in {@code [from, to)}. */
    synchronized List<Event> between(long from, long to) {
        return events.stream().filter(e -> e.nanos() >= from && e.nanos() < to)
                .sorted(Comparator.comparingLong(Event::nanos)).toList();
    }
}
