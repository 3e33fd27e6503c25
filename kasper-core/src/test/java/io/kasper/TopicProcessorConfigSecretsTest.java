package io.kasper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.List;
import org.junit.jupiter.api.Test;

class TopicProcessorConfigSecretsTest {

    private static final String PASSWORD = "pw-Kf4-secret";
    private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required "
            + "username=\"kasper\" password=\"" + PASSWORD + "\";";
    private static final List<String> SECRETS = List.of(PASSWORD, JAAS, "ks-" + PASSWORD, "ts-" + PASSWORD,
            "key-" + PASSWORD);

    /** A configuration carrying a password in every place Kafka takes one. */
    private static TopicProcessorConfig.Builder withSecrets() {
        return TopicProcessorConfig.builder().topicProcessorName("secured").bootstrapServers("broker:9093")
                .inputTopics("in").inputPartitions(0)
                .kafkaProperty("security.protocol", "SASL_SSL").kafkaProperty("sasl.mechanism", "PLAIN")
                .kafkaProperty("sasl.jaas.config", JAAS)
                .kafkaProperty("ssl.truststore.password", "ts-" + PASSWORD)
                .consumerProperty("ssl.keystore.password", "ks-" + PASSWORD)
                .producerProperty("ssl.key.password", "key-" + PASSWORD);
    }

    @Test
    void toStringShowsNoPasswordNorJaasLine() {
        String shown = withSecrets().build().toString();

        assertThat(shown).startsWith("TopicProcessorConfig{name=secured, bootstrapServers=broker:9093, ");
        assertThat(SECRETS).noneMatch(shown::contains);
    }

    @Test
    void everyRejectedKafkaPropertyIsReportedWithoutThePasswordsBesideIt() {
        Throwable thrown = catchThrowable(() -> withSecrets().kafkaProperty("acks", "1")
                .consumerProperty("enable.auto.commit", "true").producerProperty("transactional.id", "tx")
                .build());

        assertThat(thrown).isExactlyInstanceOf(InvalidConfigException.class).hasNoCause()
                .hasMessage("invalid TopicProcessorConfig: kafkaProperties must not set 'acks' to '1': Kasper "
                        + "requires acks=all so that committed input has durable output; consumerProperties must not "
                        + "set 'enable.auto.commit' to 'true': Kasper commits offsets only after the output is "
                        + "acknowledged; producerProperties must not set 'transactional.id' (was 'tx'): for exactly-once "
                        + "output use processingGuarantee(ProcessingGuarantee.EXACTLY_ONCE), which derives the "
                        + "transactional id from the processor name (see the README, \"Processing guarantees\")");
        assertThat(SECRETS).noneMatch(thrown.getMessage()::contains);
    }

    @Test
    void groupManagedRulesAreReportedWithoutThePasswordsBesideThem() {
        Throwable thrown = catchThrowable(() -> withSecrets().inputPartitions(List.of()).groupManaged()
                .consumerProperty("group.instance.id", "m-1").build());

        assertThat(thrown).isExactlyInstanceOf(InvalidConfigException.class)
                .hasMessage("invalid TopicProcessorConfig: consumerProperties must not set 'group.instance.id' "
                        + "(was 'm-1'): use groupInstanceId(...)");
        assertThat(SECRETS).noneMatch(thrown.getMessage()::contains);
    }
}
