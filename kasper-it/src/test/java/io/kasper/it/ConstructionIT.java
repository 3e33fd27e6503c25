package io.kasper.it;

import static io.kasper.it.Fixtures.config;
import static io.kasper.it.Fixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kasper.InvalidConfigException;
import io.kasper.MessageProcessor;
import io.kasper.TopicProcessor;
import io.kasper.test.KafkaBroker;
import io.kasper.test.KafkaBrokerExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class ConstructionIT {

    private static final MessageProcessor NOOP = (messages, sender) -> { };

    @Test
    void rejectsMissingTopicBeforeConsumingAnything(KafkaBroker broker) {
        String existing = unique("exists");
        broker.createTopic(existing, 2);
        String name = unique("missing");

        assertThatThrownBy(() -> new TopicProcessor(
                config(broker, name, List.of(existing, "no-such-topic"), List.of(0)).build(), p -> NOOP))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("inputTopics must exist, but 'no-such-topic' does not exist on "
                        + broker.bootstrapServers());
        assertThat(broker.committedOffsets("kasper-topic-processor-" + name)).isEmpty();
    }

    @Test
    void rejectsTopicsWithDifferentPartitionCounts(KafkaBroker broker) {
        String four = unique("four");
        String six = unique("six");
        broker.createTopic(four, 4);
        broker.createTopic(six, 6);

        assertThatThrownBy(() -> new TopicProcessor(
                config(broker, unique("mismatch"), List.of(four, six), List.of(0)).build(), p -> NOOP))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("inputTopics must have the same partition count, but ")
                .hasMessageContaining("'" + four + "' has 4")
                .hasMessageContaining("'" + six + "' has 6");
    }

    @Test
    void rejectsPartitionOutOfRange(KafkaBroker broker) {
        String orders = unique("orders");
        broker.createTopic(orders, 12);

        assertThatThrownBy(() -> new TopicProcessor(
                config(broker, unique("range"), List.of(orders), List.of(3, 12)).build(), p -> NOOP))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("inputPartitions contains 12 but topic '" + orders + "' has 12 partitions (0-11)");
    }

    @Test
    void rejectsPartitionWithoutProcessor(KafkaBroker broker) {
        String topic = unique("noproc");
        broker.createTopic(topic, 4);

        assertThatThrownBy(() -> new TopicProcessor(
                config(broker, unique("noproc"), List.of(topic), List.of(0, 1, 2)).build(), Map.of(0, NOOP, 1, NOOP)))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("every partition in inputPartitions [0, 1, 2] needs a MessageProcessor, but the "
                        + "processors map has none for partitions [2]");
    }

    @Test
    void rejectsOverlappingPartitionsOfTwoOpenProcessorsWithTheSameNameInOneJvm(KafkaBroker broker) {
        String topic = unique("overlap");
        broker.createTopic(topic, 4);
        String name = unique("overlap");

        try (TopicProcessor first = new TopicProcessor(config(broker, name, List.of(topic), List.of(0, 1)).build(),
                p -> NOOP)) {
            assertThatThrownBy(() -> new TopicProcessor(
                    config(broker, name, List.of(topic), List.of(1, 2)).build(), p -> NOOP))
                    .isInstanceOf(InvalidConfigException.class)
                    .hasMessage("inputPartitions must not overlap with another open TopicProcessor '" + name
                            + "' in this JVM, but partitions [1] are already claimed");
            new TopicProcessor(config(broker, name, List.of(topic), List.of(2, 3)).build(), p -> NOOP).close();
        }
        // closed processors release their partitions
        new TopicProcessor(config(broker, name, List.of(topic), List.of(0, 1)).build(), p -> NOOP).close();
    }
}
