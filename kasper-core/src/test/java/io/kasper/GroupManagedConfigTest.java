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
    void groupProtocolDefaultsToClassicAndTakesConsumer() {
        assertThat(group().build().groupProtocol()).isEqualTo(GroupProtocol.CLASSIC)
                .isEqualTo(TopicProcessorConfig.DEFAULT_GROUP_PROTOCOL);
        TopicProcessorConfig consumer = group().groupProtocol(GroupProtocol.CONSUMER).groupInstanceId("reach-1")
                .build();

        assertThat(consumer.groupProtocol()).isEqualTo(GroupProtocol.CONSUMER);
        assertThat(consumer.groupInstanceId()).contains("reach-1");
        assertThat(consumer.toString()).contains("groupManaged, groupProtocol=CONSUMER, groupInstanceId=reach-1");
        assertThat(consumer).isNotEqualTo(group().groupInstanceId("reach-1").build());
    }

    @Test
    void rejectsGroupProtocolWithoutGroupManagedNamingTheField() {
        assertThatThrownBy(() -> TopicProcessorConfig.builder().topicProcessorName("reach")
                .bootstrapServers("localhost:9092").inputTopics("tweets").inputPartitions(0)
                .groupProtocol(GroupProtocol.CONSUMER).build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("groupProtocol requires groupManaged(): a group protocol applies to "
                        + "group-managed assignment only, but groupProtocol was CONSUMER and inputPartitions was [0]");
    }

    @Test
    void rejectsANullGroupProtocol() {
        assertThatThrownBy(() -> group().groupProtocol(null).build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("groupProtocol must not be null (GroupProtocol.CLASSIC or "
                        + "GroupProtocol.CONSUMER), was null");
    }

    @Test
    void rejectsARawGroupProtocolOrRemoteAssignorPointingToTheSwitch() {
        assertThatThrownBy(() -> group().consumerProperty("group.protocol", "consumer")
                .kafkaProperty("group.remote.assignor", "uniform").build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("consumerProperties must not set 'group.protocol' (was 'consumer'): Kasper "
                        + "sets it from groupProtocol(...); choose the protocol with "
                        + "groupManaged().groupProtocol(GroupProtocol.CLASSIC or GroupProtocol.CONSUMER)")
                .hasMessageContaining("kafkaProperties must not set 'group.remote.assignor' (was 'uniform')");
        assertThatThrownBy(() -> group().consumerProperty("group.protocol", "classic").build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("must not set 'group.protocol' (was 'classic')");
    }

    @Test
    void underConsumerRejectsTheClassicOnlyConsumerSettingsNamingTheBrokerSettings() {
        assertThatThrownBy(() -> group().groupProtocol(GroupProtocol.CONSUMER)
                .consumerProperty("session.timeout.ms", 6_000).kafkaProperty("heartbeat.interval.ms", 1_000)
                .consumerProperty("partition.assignment.strategy", RangeAssignor.class).build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("consumerProperties must not set 'session.timeout.ms' (was '6000') under "
                        + "groupProtocol CONSUMER: the consumer protocol takes it from the broker "
                        + "(group.consumer.session.timeout.ms, or the group config consumer.session.timeout.ms)")
                .hasMessageContaining("kafkaProperties must not set 'heartbeat.interval.ms' (was '1000') under "
                        + "groupProtocol CONSUMER")
                .hasMessageContaining("consumerProperties must not set 'partition.assignment.strategy' (was "
                        + "[org.apache.kafka.clients.consumer.RangeAssignor]) under groupProtocol CONSUMER: the "
                        + "broker assigns the partitions, with the 'range' assignor Kasper chooses (leave it unset)");
        assertThat(group().consumerProperty("session.timeout.ms", 6_000).build().groupProtocol())
                .as("classic takes them").isEqualTo(GroupProtocol.CLASSIC);
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
