package io.kasper.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.consumer.internals.AbstractPartitionAssignor;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Evidence for the assignor decision of group-managed mode: the kafka-clients RangeAssignor gives partition p of every
 * subscribed topic to the same member when the topics have the same partition count, also in its rack-aware mode,
 * while the sticky assignors do not promise it.
 */
class RangeAssignorCoPartitioningTest {

    private static final List<String> TOPICS = List.of("orders", "customers", "payments");
    private static final Node[] NODES = {new Node(0, "h0", 9092, "rack-a"), new Node(1, "h1", 9092, "rack-b"),
        new Node(2, "h2", 9092, "rack-c")};

    private static Map<String, List<PartitionInfo>> topics(int partitions) {
        Map<String, List<PartitionInfo>> byTopic = new HashMap<>();
        for (String topic : TOPICS) {
            List<PartitionInfo> infos = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                // each topic places its leaders differently, to tempt a rack-aware assignor to split partition p
                Node leader = NODES[(p + topic.length()) % NODES.length];
                infos.add(new PartitionInfo(topic, p, leader, new Node[] {leader}, new Node[] {leader}));
            }
            byTopic.put(topic, infos);
        }
        return byTopic;
    }

    private static Map<String, Subscription> members(int count, boolean withRacks, List<String> order) {
        Map<String, Subscription> members = new HashMap<>();
        for (int m = 0; m < count; m++) {
            Optional<String> rack = withRacks ? Optional.of("rack-" + (char) ('a' + m % 3)) : Optional.empty();
            members.put("member-" + m, new Subscription(order, null, List.of(), -1, rack));
        }
        return members;
    }

    private static void assertCoPartitioned(Map<String, List<TopicPartition>> assignment, int partitions) {
        Set<Integer> covered = new TreeSet<>();
        assignment.forEach((member, tps) -> {
            Map<String, Set<Integer>> numbers = tps.stream().collect(Collectors.groupingBy(TopicPartition::topic,
                    Collectors.mapping(TopicPartition::partition, Collectors.toCollection(TreeSet::new))));
            Set<Integer> first = numbers.getOrDefault(TOPICS.get(0), Set.of());
            for (String topic : TOPICS) {
                assertThat(numbers.getOrDefault(topic, Set.of())).as("%s's partitions of %s", member, topic)
                        .isEqualTo(first);
            }
            covered.addAll(first);
        });
        assertThat(covered).hasSize(partitions);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5, 7, 12, 13})
    void rangeAssignorCoPartitionsTopicsWithEqualPartitionCounts(int memberCount) {
        assertCoPartitioned(new RangeAssignor().assignPartitions(topics(12), members(memberCount, false, TOPICS)),
                12);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5, 7, 12, 13})
    void rangeAssignorCoPartitionsAlsoInItsRackAwareMode(int memberCount) {
        assertCoPartitioned(new RangeAssignor().assignPartitions(topics(12), members(memberCount, true, TOPICS)),
                12);
    }

    @Test
    void stickyAssignorGivesNoCoPartitioningGuarantee() {
        AbstractPartitionAssignor sticky = new CooperativeStickyAssignor();
        Map<String, List<TopicPartition>> assignment = sticky.assignPartitions(topics(12), members(5, false, TOPICS));
        boolean split = assignment.values().stream().anyMatch(tps -> {
            Map<String, Set<Integer>> numbers = tps.stream().collect(Collectors.groupingBy(TopicPartition::topic,
                    Collectors.mapping(TopicPartition::partition, Collectors.toSet())));
            return numbers.values().stream().distinct().count() > 1 || numbers.size() < TOPICS.size();
        });
        assertThat(split).as("sticky assignment %s splits some partition number across members", assignment)
                .isTrue();
    }
}
