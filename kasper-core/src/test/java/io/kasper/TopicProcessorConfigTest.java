package io.kasper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicProcessorConfigTest {

    private static TopicProcessorConfig.Builder valid() {
        return TopicProcessorConfig.builder().topicProcessorName("reach").bootstrapServers("localhost:9092")
                .inputTopics("tweets", "followers").inputPartitions(0, 1, 2, 3);
    }

    @Test
    void buildsWithDocumentedDefaults() {
        TopicProcessorConfig config = valid().build();

        assertThat(config.batchSize()).isEqualTo(TopicProcessorConfig.DEFAULT_BATCH_SIZE).isEqualTo(1000);
        assertThat(config.batchWaitDuration()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.closeTimeout()).isEqualTo(TopicProcessorConfig.DEFAULT_CLOSE_TIMEOUT);
        assertThat(config.consumerGroupId()).isEqualTo("kasper-topic-processor-reach");
        assertThat(config.inputTopics()).containsExactly("tweets", "followers");
        assertThat(config.inputPartitions()).containsExactly(0, 1, 2, 3);
        assertThat(config.meterRegistry()).isSameAs(Metrics.globalRegistry);
    }

    @Test
    void rejectsNullMeterRegistry() {
        assertThatThrownBy(() -> valid().meterRegistry(null).build())
                .isExactlyInstanceOf(InvalidConfigException.class)
                .hasMessage("invalid TopicProcessorConfig: meterRegistry must be set, was null");
    }

    @Test
    void keepsGivenValuesAndPassThroughProperties() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        TopicProcessorConfig config = valid().inputPartitions(List.of(5, 7)).batchSize(10_000)
                .batchWaitDuration(Duration.ofMillis(50)).meterRegistry(registry)
                .kafkaProperty("security.protocol", "PLAINTEXT").consumerProperty("max.poll.records", 42)
                .producerProperty("linger.ms", 20).build();

        assertThat(config.inputPartitions()).containsExactly(5, 7);
        assertThat(config.batchSize()).isEqualTo(10_000);
        assertThat(config.batchWaitDuration()).isEqualTo(Duration.ofMillis(50));
        assertThat(config.meterRegistry()).isSameAs(registry);
        assertThat(config.kafkaProperties()).containsEntry("security.protocol", "PLAINTEXT");
        assertThat(config.consumerProperties()).containsEntry("max.poll.records", 42);
        assertThat(config.producerProperties()).containsEntry("linger.ms", 20);
    }

    @Test
    void acceptsBootstrapServersGivenAsKafkaProperty() {
        TopicProcessorConfig config = valid().bootstrapServers(null).kafkaProperty("bootstrap.servers", "b:9092")
                .build();

        assertThat(config.bootstrapServers()).isEqualTo("b:9092");
    }

    @Test
    void rejectsEmptyName() {
        assertThatThrownBy(() -> valid().topicProcessorName("").build())
                .isInstanceOf(InvalidConfigException.class).isInstanceOf(KasperException.class)
                .hasMessageContaining("topicProcessorName must not be empty, was ''");
        assertThatThrownBy(() -> valid().topicProcessorName(null).build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("topicProcessorName must not be empty, was null");
    }

    @Test
    void rejectsNameWithCharactersUnfitForGroupIdsAndTags() {
        assertThatThrownBy(() -> valid().topicProcessorName("twitter reach").build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("topicProcessorName must contain only letters, digits, '.', '_' and '-', "
                        + "was 'twitter reach'");
    }

    @Test
    void rejectsMissingBootstrapServers() {
        assertThatThrownBy(() -> valid().bootstrapServers(null).build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("bootstrapServers must be set, was null");
        assertThatThrownBy(() -> valid().bootstrapServers(" ").build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("bootstrapServers must be set, was ' '");
    }

    @Test
    void rejectsNoTopics() {
        assertThatThrownBy(() -> valid().inputTopics().build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("inputTopics must not be empty, was []");
        assertThatThrownBy(() -> valid().inputTopics((List<String>) null).build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("inputTopics must not be empty, was null");
    }

    @Test
    void rejectsDuplicateTopics() {
        assertThatThrownBy(() -> valid().inputTopics("orders", "customers", "orders").build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("inputTopics must not contain duplicates, 'orders' appears 2 times in "
                        + "['orders', 'customers', 'orders']");
    }

    @Test
    void rejectsBlankTopicName() {
        assertThatThrownBy(() -> valid().inputTopics("orders", " ").build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("inputTopics must not contain blank names, was ['orders', ' ']");
    }

    @Test
    void rejectsNoPartitions() {
        assertThatThrownBy(() -> valid().inputPartitions().build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("inputPartitions must not be empty, was []");
    }

    @Test
    void rejectsNegativePartition() {
        assertThatThrownBy(() -> valid().inputPartitions(0, -1).build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("inputPartitions must contain only numbers >= 0, contains -1 in [0, -1]");
    }

    @Test
    void rejectsDuplicatePartitions() {
        assertThatThrownBy(() -> valid().inputPartitions(1, 2, 1).build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("inputPartitions must not contain duplicates, 1 appears 2 times in [1, 2, 1]");
    }

    @Test
    void rejectsBatchSizeBelowOne() {
        assertThatThrownBy(() -> valid().batchSize(0).build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("batchSize must be at least 1, was 0");
    }

    @Test
    void rejectsNonPositiveWait() {
        assertThatThrownBy(() -> valid().batchWaitDuration(Duration.ZERO).build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("batchWaitDuration must be positive, was PT0S");
        assertThatThrownBy(() -> valid().batchWaitDuration(Duration.ofSeconds(-1)).build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("batchWaitDuration must be positive, was PT-1S");
        assertThatThrownBy(() -> valid().closeTimeout(null).build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("closeTimeout must be set, was null");
    }

    @Test
    void rejectsPropertiesThatWouldBreakAtLeastOnce() {
        assertThatThrownBy(() -> valid().kafkaProperty("enable.auto.commit", "true").build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("kafkaProperties must not set 'enable.auto.commit' to 'true'");
        assertThatThrownBy(() -> valid().producerProperty("acks", "1").build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("producerProperties must not set 'acks' to '1'");
        assertThatThrownBy(() -> valid().consumerProperty("group.id", "other").build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("consumerProperties must not set 'group.id' (was 'other')");
    }

    @Test
    void acceptsAcksAllSpelledEitherWay() {
        assertThat(valid().producerProperty("acks", "all").build().producerProperties()).containsEntry("acks", "all");
        assertThat(valid().kafkaProperties(Map.of("acks", "-1")).build().kafkaProperties())
                .containsEntry("acks", "-1");
    }

    @Test
    void reportsEveryInvalidFieldInOneMessage() {
        assertThatThrownBy(() -> TopicProcessorConfig.builder().batchSize(-5).build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("topicProcessorName must not be empty")
                .hasMessageContaining("bootstrapServers must be set")
                .hasMessageContaining("inputTopics must not be empty")
                .hasMessageContaining("inputPartitions must not be empty")
                .hasMessageContaining("batchSize must be at least 1, was -5");
    }

    @Test
    void configIsImmutableAfterBuild() {
        TopicProcessorConfig.Builder builder = valid();
        TopicProcessorConfig config = builder.build();
        builder.inputTopics("other").batchSize(7);

        assertThat(config.inputTopics()).containsExactly("tweets", "followers");
        assertThat(config.batchSize()).isEqualTo(1000);
        assertThatThrownBy(() -> config.inputTopics().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void errorPolicyAndMaxUncommittedBatchesHaveDocumentedDefaults() {
        TopicProcessorConfig config = valid().build();

        assertThat(config.errorPolicy()).isEqualTo(ErrorPolicy.defaults());
        assertThat(config.maxUncommittedBatches()).isEqualTo(TopicProcessorConfig.DEFAULT_MAX_UNCOMMITTED_BATCHES)
                .isEqualTo(4);
    }

    @Test
    void rejectsMaxUncommittedBatchesBelowOneAndANullErrorPolicy() {
        assertThatThrownBy(() -> valid().maxUncommittedBatches(0).errorPolicy(null).build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("invalid TopicProcessorConfig: maxUncommittedBatches must be at least 1, was 0; "
                        + "errorPolicy must be set, was null (ErrorPolicy.defaults() fails on poison messages)");
    }

    @Test
    void rejectsAnInputTopicAsDeadLetterTopic() {
        assertThatThrownBy(() -> valid().errorPolicy(ErrorPolicy.builder().deadLetterTopic("tweets").build()).build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("invalid TopicProcessorConfig: errorPolicy.deadLetterTopic must not be an input topic, "
                        + "was 'tweets' and inputTopics ['tweets', 'followers']");
    }

    @Test
    void rejectsRetriesThatWaitLongerThanHalfTheMaxPollIntervalInGroupManagedMode() {
        ErrorPolicy slow = ErrorPolicy.builder().maxRetries(3)
                .retryBackoff(Duration.ofSeconds(10), Duration.ofSeconds(10))
                .brokerOutageTimeout(Duration.ofSeconds(5)).build();

        assertThatThrownBy(() -> valid().inputPartitions().groupManaged().errorPolicy(slow)
                .consumerProperty("max.poll.interval.ms", "60000").build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("invalid TopicProcessorConfig: errorPolicy waits of one batch must be less than half of "
                        + "max.poll.interval.ms (60000 ms) in group-managed mode, or the group gives the partition to "
                        + "another member while this one waits: Sender.flush() waits up to brokerOutageTimeout PT5S "
                        + "and maxRetries 3 with retryBackoff PT10S..PT10S wait 30000 ms, 35000 ms in all (lower "
                        + "brokerOutageTimeout, maxRetries or retryBackoff, or raise max.poll.interval.ms)");
        assertThat(valid().inputPartitions().groupManaged().errorPolicy(slow).build().errorPolicy()).isEqualTo(slow);
    }

    @Test
    void rejectsABrokerOutageTimeoutThatAFlushCouldWaitBeyondHalfTheMaxPollIntervalInGroupManagedMode() {
        ErrorPolicy noRetries = ErrorPolicy.builder().maxRetries(0).build();

        assertThatThrownBy(() -> valid().inputPartitions().groupManaged().errorPolicy(noRetries)
                .kafkaProperty("max.poll.interval.ms", 200_000).build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("invalid TopicProcessorConfig: errorPolicy waits of one batch must be less than half of "
                        + "max.poll.interval.ms (200000 ms) in group-managed mode, or the group gives the partition "
                        + "to another member while this one waits: Sender.flush() waits up to brokerOutageTimeout "
                        + "PT2M and maxRetries 0 with retryBackoff PT0.1S..PT5S wait 0 ms, 120000 ms in all (lower "
                        + "brokerOutageTimeout, maxRetries or retryBackoff, or raise max.poll.interval.ms)");
        assertThat(valid().inputPartitions().groupManaged().errorPolicy(noRetries)
                .kafkaProperty("max.poll.interval.ms", 300_000).build().errorPolicy()).isEqualTo(noRetries);
        assertThat(valid().errorPolicy(noRetries).kafkaProperty("max.poll.interval.ms", 200_000).build()
                .isGroupManaged()).as("static assignment has no group to leave").isFalse();
    }

    @Test
    void theDefaultErrorPolicyFitsTheDefaultMaxPollIntervalInGroupManagedMode() {
        assertThat(valid().inputPartitions().groupManaged().build().errorPolicy()).isEqualTo(ErrorPolicy.defaults());
    }
}
