package io.kasper.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.kasper.ErrorPolicy;
import io.kasper.TopicProcessorConfig;
import java.time.Duration;
import java.util.Map;
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
}
