package io.kasper.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.kasper.ErrorPolicy;
import io.kasper.GroupProtocol;
import io.kasper.ProcessingGuarantee;
import io.kasper.TopicProcessorConfig;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

class KafkaClientPropertiesTest {

    private static TopicProcessorConfig.Builder config() {
        return TopicProcessorConfig.builder().topicProcessorName("props").bootstrapServers("localhost:9092")
                .inputTopics("in").inputPartitions(0);
    }

    @Test
    void theProducerRetriesOutputForAsLongAsTheBrokerOutageTimeout() {
        Map<String, Object> producer = new KafkaClientProperties(config()
                .errorPolicy(ErrorPolicy.builder().brokerOutageTimeout(Duration.ofSeconds(10)).build()).build())
                .producer();

        assertThat(producer).containsEntry("delivery.timeout.ms", 10_000).containsEntry("request.timeout.ms", 5_000)
                .containsEntry("max.block.ms", 10_000L).containsEntry("acks", "all")
                .containsEntry("enable.idempotence", true);
    }

    @Test
    void withTheDefaultTimeoutRequestsAndBlockingKeepTheirUsualBounds() {
        Map<String, Object> producer = new KafkaClientProperties(config().build()).producer();

        assertThat(producer).containsEntry("delivery.timeout.ms", 120_000).containsEntry("request.timeout.ms", 30_000)
                .containsEntry("max.block.ms", 60_000L);
    }

    @Test
    void explicitProducerPropertiesWinOverTheDerivedTimeouts() {
        Map<String, Object> producer = new KafkaClientProperties(config()
                .producerProperty("delivery.timeout.ms", 45_000).kafkaProperty("max.block.ms", 1_000).build())
                .producer();

        assertThat(producer).containsEntry("delivery.timeout.ms", 45_000).containsEntry("max.block.ms", 1_000);
    }

    @Test
    void theConsumerLetsTheOperatingSystemSizeItsReceiveBufferUnlessTheUserSetsIt() {
        Map<String, Object> byDefault = new KafkaClientProperties(config().build()).consumer();
        Map<String, Object> consumerProperty = new KafkaClientProperties(config()
                .consumerProperty(ConsumerConfig.RECEIVE_BUFFER_CONFIG, 65_536).build()).consumer();
        Map<String, Object> kafkaProperty = new KafkaClientProperties(config()
                .kafkaProperty(ConsumerConfig.RECEIVE_BUFFER_CONFIG, 131_072).build()).consumer();

        assertThat(byDefault).containsEntry(ConsumerConfig.RECEIVE_BUFFER_CONFIG, -1);
        assertThat(consumerProperty).containsEntry(ConsumerConfig.RECEIVE_BUFFER_CONFIG, 65_536);
        assertThat(kafkaProperty).containsEntry(ConsumerConfig.RECEIVE_BUFFER_CONFIG, 131_072);
    }

    @Test
    void theAdminClientRetriesSoonUnlessTheUserSetsItsBackoff() {
        Map<String, Object> byDefault = new KafkaClientProperties(config().build()).admin();
        Map<String, Object> kafkaProperty = new KafkaClientProperties(config()
                .kafkaProperty(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, 250).build()).admin();

        assertThat(byDefault).containsEntry(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, 10L)
                .doesNotContainKey(AdminClientConfig.RETRY_BACKOFF_MAX_MS_CONFIG);
        assertThat(kafkaProperty).containsEntry(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, 250);
    }

    @Test
    void underTheConsumerProtocolTheBrokersRangeAssignorReplacesTheClientSideOne() {
        Map<String, Object> consumer = new KafkaClientProperties(TopicProcessorConfig.builder()
                .topicProcessorName("props").bootstrapServers("localhost:9092").inputTopics("a", "b").groupManaged()
                .groupProtocol(GroupProtocol.CONSUMER).groupInstanceId("props-1").build()).consumer();

        assertThat(consumer).containsEntry(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer")
                .containsEntry(ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG, "range")
                .containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "props-1")
                .doesNotContainKeys(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                        ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG);
        // the Kafka consumer accepts them: it refuses classic-only settings under the consumer protocol
        assertThat(new ConsumerConfig(consumer).getString(ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG))
                .isEqualTo("range");
    }

    @Test
    void underTheClassicProtocolTheRangeAssignorIsForcedAndNoRemoteAssignorSet() {
        Map<String, Object> consumer = new KafkaClientProperties(TopicProcessorConfig.builder()
                .topicProcessorName("props").bootstrapServers("localhost:9092").inputTopics("a", "b").groupManaged()
                .build()).consumer();

        assertThat(consumer).containsEntry(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic")
                .containsEntry(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                        TopicProcessorConfig.CO_PARTITIONING_ASSIGNOR)
                .doesNotContainKey(ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG);
        assertThat(new ConsumerConfig(consumer).getString(ConsumerConfig.GROUP_PROTOCOL_CONFIG)).isEqualTo("classic");
    }

    @Test
    void underExactlyOnceAStaticProducerGetsAStableTransactionalIdOfItsSortedPartitions() {
        TopicProcessorConfig config = TopicProcessorConfig.builder().topicProcessorName("orders")
                .bootstrapServers("localhost:9092").inputTopics("in").inputPartitions(3, 0, 1)
                .processingGuarantee(ProcessingGuarantee.EXACTLY_ONCE).build();

        Map<String, Object> first = new KafkaClientProperties(config).producer();
        Map<String, Object> restarted = new KafkaClientProperties(config).producer();

        assertThat(first).containsEntry("transactional.id", "kasper-orders-partitions-0,1,3")
                .containsEntry("enable.idempotence", true);
        assertThat(restarted).containsEntry("transactional.id", "kasper-orders-partitions-0,1,3");
        assertThat(new KafkaClientProperties(config.toBuilder()
                .processingGuarantee(ProcessingGuarantee.AT_LEAST_ONCE).build()).producer())
                .doesNotContainKey("transactional.id");
    }

    @Test
    void underExactlyOnceTransactionsTimeOutAfterTenSecondsUnlessTheProducerPropertySaysOtherwise() {
        TopicProcessorConfig config = TopicProcessorConfig.builder().topicProcessorName("orders")
                .bootstrapServers("localhost:9092").inputTopics("in").inputPartitions(0)
                .processingGuarantee(ProcessingGuarantee.EXACTLY_ONCE).build();

        assertThat(new KafkaClientProperties(config).producer()).containsEntry("transaction.timeout.ms", 10_000);
        assertThat(new KafkaClientProperties(config.toBuilder().producerProperty("transaction.timeout.ms", 30_000)
                .build()).producer()).containsEntry("transaction.timeout.ms", 30_000);
        assertThat(new KafkaClientProperties(config.toBuilder()
                .processingGuarantee(ProcessingGuarantee.AT_LEAST_ONCE).build()).producer())
                .doesNotContainKey("transaction.timeout.ms");
    }

    @Test
    void underExactlyOnceGroupMembersGetTheirGroupInstanceIdOrAUniqueTransactionalId() {
        TopicProcessorConfig.Builder group = TopicProcessorConfig.builder().topicProcessorName("orders")
                .bootstrapServers("localhost:9092").inputTopics("in").groupManaged()
                .processingGuarantee(ProcessingGuarantee.EXACTLY_ONCE);

        Object one = new KafkaClientProperties(group.build()).producer().get("transactional.id");
        Object other = new KafkaClientProperties(group.build()).producer().get("transactional.id");

        assertThat(String.valueOf(one)).startsWith("kasper-orders-member-");
        assertThat(one).isNotEqualTo(other);
        assertThat(new KafkaClientProperties(group.groupInstanceId("m1").build()).producer())
                .containsEntry("transactional.id", "kasper-orders-member-m1");
    }
}
