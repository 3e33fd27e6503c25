package io.kasper.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;

/**
 * The input topic-partitions a loop owns now, and what it knows per topic-partition (committed offset, messages
 * behind, paused). Static assignment fills it once; group-managed assignment changes it at every rebalance.
 *
 * <p>Thread-safety: not thread-safe, owned by the loop thread, except {@link #behind()}, which metric gauges read from
 * any thread.
 */
final class Assignment {

    private final List<String> topics;
    private final Map<Integer, List<TopicPartition>> byPartition = new TreeMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private final Map<TopicPartition, Long> behind = new ConcurrentHashMap<>();
    private final Set<Integer> paused = new HashSet<>();
    private boolean known;

    Assignment(List<String> topics) {
        this.topics = List.copyOf(topics);
    }

    /** Adds topic-partitions, each starting from {@code position}. */
    void add(TopicPartition tp, long position) {
        known = true;
        List<TopicPartition> sameNumber = byPartition.computeIfAbsent(tp.partition(), p -> new ArrayList<>());
        if (!sameNumber.contains(tp)) {
            sameNumber.add(tp);
        }
        committed.put(tp, position);
    }

    /** Records that the group answered, even with nothing for this instance. */
    void markKnown() {
        known = true;
    }

    /** Removes every topic-partition of the given partition numbers. */
    void remove(Set<Integer> partitions) {
        for (int p : partitions) {
            List<TopicPartition> removed = byPartition.remove(p);
            if (removed != null) {
                removed.forEach(tp -> {
                    committed.remove(tp);
                    behind.remove(tp);
                });
            }
            paused.remove(p);
        }
    }

    /** Returns whether an assignment has been received (always true in static mode once started). */
    boolean isKnown() {
        return known;
    }

    boolean owns(TopicPartition tp) {
        return committed.containsKey(tp);
    }

    /** Returns the owned partition numbers with their topic-partitions. */
    Map<Integer, List<TopicPartition>> byPartition() {
        return byPartition;
    }

    /** Returns the owned topic-partitions. */
    Set<TopicPartition> topicPartitions() {
        return committed.keySet();
    }

    /** Returns the committed offset of an owned topic-partition. */
    long committed(TopicPartition tp) {
        return committed.get(tp);
    }

    /** Raises the committed offset of an owned topic-partition; ignores one no longer owned. */
    void committed(TopicPartition tp, long offset) {
        committed.computeIfPresent(tp, (k, old) -> Math.max(old, offset));
    }

    Map<TopicPartition, Long> committedView() {
        return committed;
    }

    /** Messages between the committed offset and the high-water mark, per owned topic-partition; thread-safe. */
    Map<TopicPartition, Long> behind() {
        return behind;
    }

    /** Partition numbers paused because their accumulator is full or the byte budget is reached. */
    Set<Integer> paused() {
        return paused;
    }
}
