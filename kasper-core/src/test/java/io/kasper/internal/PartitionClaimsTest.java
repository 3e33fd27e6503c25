package io.kasper.internal;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kasper.InvalidConfigException;
import io.kasper.TopicProcessorConfig;
import org.junit.jupiter.api.Test;

class PartitionClaimsTest {

    private static TopicProcessorConfig staticConfig(String name, int... partitions) {
        return TopicProcessorConfig.builder().topicProcessorName(name).bootstrapServers("claims:9092")
                .inputTopics("in").inputPartitions(partitions).build();
    }

    private static TopicProcessorConfig groupConfig(String name) {
        return TopicProcessorConfig.builder().topicProcessorName(name).bootstrapServers("claims:9092")
                .inputTopics("in").groupManaged().build();
    }

    @Test
    void aGroupManagedProcessorIsRejectedWhileAStaticOneOfTheSameNameIsOpen() {
        TopicProcessorConfig fixed = staticConfig("mixed-a", 0, 2);
        PartitionClaims.claim(fixed);
        try {
            assertThatThrownBy(() -> PartitionClaims.claim(groupConfig("mixed-a")))
                    .isInstanceOf(InvalidConfigException.class)
                    .hasMessage("TopicProcessor 'mixed-a' is group-managed, but a static TopicProcessor 'mixed-a' "
                            + "(inputPartitions [0, 2]) is already open in this JVM on the same cluster: both would "
                            + "use consumer group 'kasper-topic-processor-mixed-a', whose members make the broker "
                            + "reject the static processor's commits. Give one of them another topicProcessorName, "
                            + "or run all instances of this name in one mode");
        } finally {
            PartitionClaims.release(fixed);
        }
        TopicProcessorConfig group = groupConfig("mixed-a");
        assertThatCode(() -> PartitionClaims.claim(group)).doesNotThrowAnyException();
        PartitionClaims.release(group);
    }

    @Test
    void aStaticProcessorIsRejectedUntilEveryGroupManagedOneOfTheSameNameIsReleased() {
        TopicProcessorConfig group = groupConfig("mixed-b");
        PartitionClaims.claim(group);
        PartitionClaims.claim(group);
        assertThatThrownBy(() -> PartitionClaims.claim(staticConfig("mixed-b", 1)))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("TopicProcessor 'mixed-b' is static, but a group-managed TopicProcessor 'mixed-b' "
                        + "(groupManaged()) is already open in this JVM on the same cluster: both would use consumer "
                        + "group 'kasper-topic-processor-mixed-b', whose members make the broker reject the static "
                        + "processor's commits. Give one of them another topicProcessorName, or run all instances of "
                        + "this name in one mode");
        PartitionClaims.release(group);
        assertThatThrownBy(() -> PartitionClaims.claim(staticConfig("mixed-b", 1)))
                .isInstanceOf(InvalidConfigException.class);
        PartitionClaims.release(group);
        TopicProcessorConfig fixed = staticConfig("mixed-b", 1);
        assertThatCode(() -> PartitionClaims.claim(fixed)).doesNotThrowAnyException();
        PartitionClaims.release(fixed);
    }

    @Test
    void otherNamesAndStaticProcessorsOnDisjointPartitionsDoNotConflict() {
        TopicProcessorConfig group = groupConfig("mixed-c");
        TopicProcessorConfig first = staticConfig("mixed-d", 0);
        TopicProcessorConfig second = staticConfig("mixed-d", 1);
        PartitionClaims.claim(group);
        PartitionClaims.claim(first);
        PartitionClaims.claim(second);
        assertThatThrownBy(() -> PartitionClaims.claim(staticConfig("mixed-d", 1, 2)))
                .hasMessage("inputPartitions must not overlap with another open TopicProcessor 'mixed-d' in this JVM, "
                        + "but partitions [1] are already claimed");
        PartitionClaims.release(group);
        PartitionClaims.release(first);
        PartitionClaims.release(second);
    }
}
