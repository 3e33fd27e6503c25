package io.kasper.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;

/**
 * The input topic-partitions the consumer group gave this member, by partition number, and which partition numbers
 * are <em>whole</em>: held for every input topic. A batch holds partition p of every input topic, so the loop owns p
 * only while it is whole.
 *
 * <p>Under the eager classic protocol a rebalance gives and takes partition p of every topic at once, so every number
 * is whole as soon as it is held. The consumer protocol reconciles each topic-partition on its own: a member may hold
 * p of one topic while p of another is still being released by its previous owner, and a revocation may take p of one
 * topic only. This class keeps that bookkeeping, and how long each number has waited incomplete, apart from the
 * consumer, so that it can be tested alone.
 *
 * <p>Thread-safety: not thread-safe; used on the loop thread only.
 */
final class HeldPartitions {

    /** What {@link #add} changed: the numbers that became whole, with how long each waited incomplete. */
    record Completed(Map<Integer, Long> waitedNanos) {

        /** Returns the partition numbers that became whole, in ascending order. */
        Set<Integer> numbers() {
            return Collections.unmodifiableSet(new TreeSet<>(waitedNanos.keySet()));
        }
    }

    private final Set<String> topics;
    private final LongSupplier nanoClock;
    private final Map<Integer, Set<TopicPartition>> held = new TreeMap<>();
    /** When each held number that is not whole started waiting (first held, or no longer whole). */
    private final Map<Integer, Long> incompleteSince = new HashMap<>();

    /**
     * @param topics the input topics
     * @param nanoClock the clock of the wait times, {@code System::nanoTime} outside tests
     */
    HeldPartitions(Collection<String> topics, LongSupplier nanoClock) {
        this.topics = Set.copyOf(topics);
        this.nanoClock = nanoClock;
    }

    /**
     * Records topic-partitions the group gave this member.
     *
     * @return the numbers that became whole through them, with the time each waited incomplete (0 when all of its
     *     topic-partitions came at once)
     */
    Completed add(Collection<TopicPartition> partitions) {
        long now = nanoClock.getAsLong();
        Set<Integer> touched = new TreeSet<>();
        for (TopicPartition tp : partitions) {
            if (held.computeIfAbsent(tp.partition(), p -> new TreeSet<>(HeldPartitions::compare)).add(tp)) {
                touched.add(tp.partition());
            }
        }
        Map<Integer, Long> completed = new TreeMap<>();
        for (int p : touched) {
            Long since = incompleteSince.remove(p);
            if (isWhole(p)) {
                completed.put(p, since == null ? 0 : now - since);
            } else {
                incompleteSince.put(p, since == null ? now : since);
            }
        }
        return new Completed(completed);
    }

    /**
     * Records topic-partitions the group took back (revoked or lost).
     *
     * @return the numbers that were whole and are not any more, in ascending order; their remaining topic-partitions,
     *     if any, stay held and start waiting
     */
    Set<Integer> remove(Collection<TopicPartition> partitions) {
        long now = nanoClock.getAsLong();
        Set<Integer> broken = new TreeSet<>();
        for (TopicPartition tp : partitions) {
            int p = tp.partition();
            Set<TopicPartition> same = held.get(p);
            if (same == null) {
                continue;
            }
            boolean wasWhole = isWhole(p);
            if (!same.remove(tp)) {
                continue;
            }
            if (wasWhole) {
                broken.add(p);
            }
            if (same.isEmpty()) {
                held.remove(p);
                incompleteSince.remove(p);
            } else {
                incompleteSince.putIfAbsent(p, now);
            }
        }
        return Collections.unmodifiableSet(broken);
    }

    /** Returns whether every input topic's partition {@code p} is held. */
    boolean isWhole(int p) {
        Set<TopicPartition> same = held.get(p);
        if (same == null || same.size() < topics.size()) {
            return false;
        }
        for (TopicPartition tp : same) {
            if (!topics.contains(tp.topic())) {
                return false;
            }
        }
        return true;
    }

    /** Returns the held topic-partitions of partition number {@code p}, none when it is not held. */
    List<TopicPartition> held(int p) {
        Set<TopicPartition> same = held.get(p);
        return same == null ? List.of() : List.copyOf(same);
    }

    /** Returns the held numbers that are not whole, with their held topic-partitions. */
    Map<Integer, List<TopicPartition>> incomplete() {
        Map<Integer, List<TopicPartition>> incomplete = new TreeMap<>();
        held.forEach((p, same) -> {
            if (!isWhole(p)) {
                incomplete.put(p, new ArrayList<>(same));
            }
        });
        return incomplete;
    }

    /** Returns how long partition number {@code p} has waited incomplete so far, or 0 when it is whole or not held. */
    long waitingNanos(int p) {
        Long since = incompleteSince.get(p);
        return since == null ? 0 : nanoClock.getAsLong() - since;
    }

    private static int compare(TopicPartition a, TopicPartition b) {
        int byTopic = a.topic().compareTo(b.topic());
        return byTopic != 0 ? byTopic : Integer.compare(a.partition(), b.partition());
    }
}
