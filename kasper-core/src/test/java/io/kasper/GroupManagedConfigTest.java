package io.kasper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.junit.jupiter.api.Test;

class GroupManagedConfigTest {

    private static TopicProcessorConfig.Builder group() {
        return TopicProcessorConfig.builder().topicProcessorName("reach").bootstrapServers("localhost:9092")
                .inputTopics("tweets", "followers").groupManaged();
    }

    @Test
    void groupManagedConfigHasNoPartitionsAndTheSameGroupId() {
        PartitionListener listener = new PartitionListener() {
            @Override
            public void onPartitionsAssigned(Set<Integer> partitionNumbers) {
            }

            @Override
            public void onPartitionsRevoked(Set<Integer> partitionNumbers) {
            }
        };
        TopicProcessorConfig config = group().groupInstanceId("reach-1").partitionListener(listener).build();

        assertThat(config.isGroupManaged()).isTrue();
        assertThat(config.inputPartitions()).isEmpty();
        assertThat(config.consumerGroupId()).isEqualTo("kasper-topic-processor-reach");
        assertThat(config.groupInstanceId()).contains("reach-1");
        assertThat(config.partitionListener()).containsSame(listener);
        assertThat(config.toString()).contains("groupManaged", "groupInstanceId=reach-1");
    }

    @Test
    void staticConfigIsNotGroupManagedAndHasNoInstanceId() {
        TopicProcessorConfig config = TopicProcessorConfig.builder().topicProcessorName("reach")
                .bootstrapServers("localhost:9092").inputTopics("tweets").inputPartitions(0).build();

        assertThat(config.isGroupManaged()).isFalse();
        assertThat(config.groupInstanceId()).isEmpty();
        assertThat(config.partitionListener()).isEmpty();
    }

    @Test
    void rejectsBothInputPartitionsAndGroupManaged() {
        assertThatThrownBy(() -> group().inputPartitions(0, 1).build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("inputPartitions and groupManaged are mutually exclusive")
                .hasMessageContaining("inputPartitions was [0, 1] and groupManaged was true");
    }

    @Test
    void rejectsNeitherInputPartitionsNorGroupManagedNamingBoth() {
        assertThatThrownBy(() -> TopicProcessorConfig.builder().topicProcessorName("reach")
                .bootstrapServers("localhost:9092").inputTopics("tweets").build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("inputPartitions must not be empty, was []")
                .hasMessageContaining("or call groupManaged()");
    }

    @Test
    void rejectsBlankGroupInstanceId() {
        assertThatThrownBy(() -> group().groupInstanceId("  ").build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("groupInstanceId must not be blank, was '  '");
    }

    @Test
    void rejectsGroupInstanceIdWithStaticAssignment() {
        assertThatThrownBy(() -> TopicProcessorConfig.builder().topicProcessorName("reach")
                .bootstrapServers("localhost:9092").inputTopics("tweets").inputPartitions(0).groupInstanceId("a")
                .build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("groupInstanceId requires groupManaged()")
                .hasMessageContaining("groupInstanceId was 'a' and inputPartitions was [0]");
    }

    @Test
    void rejectsAssignorsThatDoNotGuaranteeCoPartitioning() {
        assertThatThrownBy(() -> group().consumerProperty("partition.assignment.strategy",
                CooperativeStickyAssignor.class.getName()).build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("consumerProperties must not set 'partition.assignment.strategy' to "
                        + "[org.apache.kafka.clients.consumer.CooperativeStickyAssignor] in group-managed mode")
                .hasMessageContaining("only org.apache.kafka.clients.consumer.RangeAssignor guarantees");
        assertThatThrownBy(() -> group().kafkaProperty("partition.assignment.strategy",
                List.of(RangeAssignor.class, CooperativeStickyAssignor.class)).build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("kafkaProperties must not set 'partition.assignment.strategy' to "
                        + "[org.apache.kafka.clients.consumer.RangeAssignor, "
                        + "org.apache.kafka.clients.consumer.CooperativeStickyAssignor]");
    }

    @Test
    void acceptsTheRangeAssignorSpelledAsClassOrName() {
        assertThat(group().consumerProperty("partition.assignment.strategy", RangeAssignor.class).build()
                .consumerProperties()).containsKey("partition.assignment.strategy");
        assertThat(group().consumerProperty("partition.assignment.strategy",
                " org.apache.kafka.clients.consumer.RangeAssignor ").build().isGroupManaged()).isTrue();
    }

    @Test
    void rejectsTheConsumerGroupProtocol() {
        assertThatThrownBy(() -> group().consumerProperty("group.protocol", "consumer").build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("consumerProperties must not set 'group.protocol' to 'consumer' in "
                        + "group-managed mode")
                .hasMessageContaining("do not guarantee that partition p of every input topic goes to the same "
                        + "instance");
        assertThat(group().consumerProperty("group.protocol", "CLASSIC").build().isGroupManaged()).isTrue();
    }

    @Test
    void rejectsRawGroupInstanceIdPropertyInGroupMode() {
        assertThatThrownBy(() -> group().kafkaProperty("group.instance.id", "x").build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("kafkaProperties must not set 'group.instance.id' (was 'x'): use "
                        + "groupInstanceId(...)");
    }

    @Test
    void staticModeKeepsPassingAssignmentPropertiesThrough() {
        TopicProcessorConfig config = TopicProcessorConfig.builder().topicProcessorName("reach")
                .bootstrapServers("localhost:9092").inputTopics("tweets").inputPartitions(0)
                .consumerProperty("partition.assignment.strategy", CooperativeStickyAssignor.class.getName())
                .build();

        assertThat(config.consumerProperties()).containsKey("partition.assignment.strategy");
    }
}
