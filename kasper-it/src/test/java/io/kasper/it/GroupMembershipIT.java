package io.kasper.it;

import static io.kasper.it.Fixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kasper.GroupProtocol;
import io.kasper.InvalidConfigException;
import io.kasper.MessageProcessor;
import io.kasper.PartitionListener;
import io.kasper.RecordingListener;
import io.kasper.TopicProcessor;
import io.kasper.TopicProcessorConfig;
import io.kasper.test.KafkaBroker;
import io.kasper.test.KafkaBrokerExtension;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import io.kasper.test.RunningTopicProcessor;

/** Construction rules of group-managed processors, and static membership. */
@ExtendWith(KafkaBrokerExtension.class)
class GroupMembershipIT {

    /**
     * Records every assignment an instance receives, and the numbers it owns now (under the consumer protocol an
     * assignment adds to what the instance owns).
     */
    private static final class Assignments implements PartitionListener {
        final List<Set<Integer>> assigned = new CopyOnWriteArrayList<>();
        final Set<Integer> owned = ConcurrentHashMap.newKeySet();

        @Override
        public void onPartitionsAssigned(Set<Integer> partitionNumbers) {
            assigned.add(new TreeSet<>(partitionNumbers));
            owned.addAll(partitionNumbers);
        }

        @Override
        public void onPartitionsRevoked(Set<Integer> partitionNumbers) {
            owned.removeAll(partitionNumbers);
        }
    }

    private static TopicProcessorConfig.Builder config(KafkaBroker broker, String name, String topic) {
        return config(broker, name, topic, GroupProtocol.CLASSIC);
    }

    private static TopicProcessorConfig.Builder config(KafkaBroker broker, String name, String topic,
            GroupProtocol protocol) {
        return GroupMemberMain.groupConfig(broker.bootstrapServers(), name, List.of(topic), 100, protocol);
    }

    @Test
    void mapOfProcessorsMustCoverEveryPartitionOfTheTopicsInGroupMode(KafkaBroker broker) {
        String in = unique("gm-map");
        broker.createTopic(in, 4);
        MessageProcessor noop = (messages, sender) -> { };

        assertThatThrownBy(() -> new TopicProcessor(config(broker, unique("gm"), in).build(), Map.of(0, noop, 1, noop)))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("with groupManaged() every partition of the input topics (0-3) may be assigned")
                .hasMessageContaining("the processors map has none for partitions [2, 3]");
    }

    @Test
    void factoryIsAskedEagerlyForEveryPartitionOfTheTopicsInGroupMode(KafkaBroker broker) {
        String in = unique("gm-factory");
        broker.createTopic(in, 5);
        Set<Integer> asked = ConcurrentHashMap.newKeySet();

        TopicProcessor processor = new TopicProcessor(config(broker, unique("gm"), in).build(), p -> {
            asked.add(p);
            return (messages, sender) -> { };
        });
        processor.close();

        assertThat(asked).containsExactlyInAnyOrder(0, 1, 2, 3, 4);
    }

    @ParameterizedTest
    @EnumSource(GroupProtocol.class)
    void restartWithTheSameGroupInstanceIdGetsThePartitionsBackWithoutARebalance(GroupProtocol protocol,
            KafkaBroker broker) throws Exception {
        String in = unique("gm-static");
        broker.createTopic(in, 4);
        String name = unique("gm-static");
        String group = "kasper-topic-processor-" + name;
        Map<String, Long> seen = new ConcurrentHashMap<>();
        MessageProcessor counting = (messages, sender) -> messages.forEach(m -> seen.merge(Fixtures.value(m), 1L,
                Long::sum));
        Assignments firstA = new Assignments();
        Assignments b = new Assignments();
        Assignments secondA = new Assignments();
        TopicProcessor a1 = new TopicProcessor(config(broker, name, in, protocol).groupInstanceId("a")
                .partitionListener(firstA).build(), p -> counting);
        TopicProcessor b1 = new TopicProcessor(config(broker, name, in, protocol).groupInstanceId("b")
                .partitionListener(b).build(), p -> counting);
        Set<Integer> aOwned;
        try (RunningTopicProcessor runB = RunningTopicProcessor.start(b1)) {
            try (RunningTopicProcessor runA = RunningTopicProcessor.start(a1)) {
                broker.produce(Fixtures.spread(in, 4, 400, "first-"));
                await().atMost(Duration.ofSeconds(60)).until(() -> committedTotal(broker, group) == 400
                        && !b.owned.isEmpty() && !firstA.owned.isEmpty()
                        && b.owned.size() + firstA.owned.size() == 4);
                aOwned = new TreeSet<>(firstA.owned);
            }
            int bAssignmentsBefore = b.assigned.size();
            TopicProcessor a2 = new TopicProcessor(config(broker, name, in, protocol).groupInstanceId("a")
                    .partitionListener(secondA).build(), p -> counting);
            try (RunningTopicProcessor runA2 = RunningTopicProcessor.start(a2)) {
                broker.produce(Fixtures.spread(in, 4, 400, "second-"));
                await().atMost(Duration.ofSeconds(60)).until(() -> committedTotal(broker, group) == 800);
                assertThat(secondA.assigned).as("the restarted member").containsExactly(aOwned);
                assertThat(b.assigned).as("the other member saw no rebalance").hasSize(bAssignmentsBefore);
            }
        }
        assertThat(seen).hasSize(800);
        assertThat(seen.values().stream().collect(Collectors.toSet())).containsExactly(1L);
    }

    @Test
    void staticModeTellsTheListenerAssignedBeforeTheFirstBatchAndRevokedAtClose(KafkaBroker broker)
            throws Exception {
        String in = unique("st-listen");
        broker.createTopic(in, 3);
        broker.produce(Fixtures.spread(in, 3, 30, "v"));
        List<String> events = new CopyOnWriteArrayList<>();
        PartitionListener listener = RecordingListener.into(events);
        TopicProcessor processor = new TopicProcessor(Fixtures.config(broker, unique("st"), List.of(in), List.of(0, 2))
                .partitionListener(listener).build(), p -> (messages, sender) -> events.add("batch " + p));
        try (RunningTopicProcessor run = RunningTopicProcessor.start(processor)) {
            await().atMost(Duration.ofSeconds(30)).until(processor::hasConsumedAllMessages);
        }

        assertThat(events.get(0)).isEqualTo("assigned [0, 2]");
        assertThat(events.get(events.size() - 1)).isEqualTo("revoked [0, 2]");
        assertThat(events.subList(1, events.size() - 1)).isNotEmpty().allMatch(e -> e.startsWith("batch "));
    }

    private static long committedTotal(KafkaBroker broker, String group) {
        Map<TopicPartition, Long> committed = new HashMap<>(broker.committedOffsets(group));
        return committed.values().stream().mapToLong(Long::longValue).sum();
    }
}
