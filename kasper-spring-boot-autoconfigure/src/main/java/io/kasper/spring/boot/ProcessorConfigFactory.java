package io.kasper.spring.boot;

import io.kasper.ErrorPolicy;
import io.kasper.TopicProcessorConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.util.function.Consumer;

/**
 * Turns a processor's properties into a {@link TopicProcessorConfig} with the Kasper builders, so that every value
 * is checked by Kasper's own rules. The one place where application beans (the meter and observation registries)
 * enter a processor's configuration.
 *
 * <p>Thread-safety: immutable, so thread-safe.
 */
final class ProcessorConfigFactory {

    private final MeterRegistry meterRegistry;
    private final ObservationRegistry observationRegistry;
    private final String springKafkaBootstrapServers;

    /**
     * Creates the factory.
     *
     * @param meterRegistry the application's registry, or null for Kasper's default (the global registry)
     * @param observationRegistry the application's observation registry, or null for Kasper's default (no
     *     observations)
     * @param springKafkaBootstrapServers {@code spring.kafka.bootstrap-servers} joined by commas, or null when unset
     */
    ProcessorConfigFactory(MeterRegistry meterRegistry, ObservationRegistry observationRegistry,
            String springKafkaBootstrapServers) {
        this.meterRegistry = meterRegistry;
        this.observationRegistry = observationRegistry;
        this.springKafkaBootstrapServers = springKafkaBootstrapServers;
    }

    /**
     * Builds the configuration of one processor.
     *
     * @param key the processor's key under {@code kasper.processors}
     * @param p its properties
     * @return the configuration
     * @throws io.kasper.InvalidConfigException naming every invalid setting, as the builders report them
     */
    TopicProcessorConfig build(String key, KasperProperties.Processor p) {
        TopicProcessorConfig.Builder b = TopicProcessorConfig.builder()
                .topicProcessorName(p.name() != null ? p.name() : key)
                .inputTopics(p.topics())
                .errorPolicy(errorPolicy(p.errorPolicy()));
        String servers = p.bootstrapServers() != null ? p.bootstrapServers() : springKafkaBootstrapServers;
        if (servers != null) {
            b.bootstrapServers(servers);
        }
        if (p.groupManaged()) {
            b.groupManaged();
        }
        if (!p.partitions().isEmpty() || !p.groupManaged()) {
            b.inputPartitions(p.partitions());
        }
        set(p.groupProtocol(), b::groupProtocol);
        set(p.groupInstanceId(), b::groupInstanceId);
        set(p.batchSize(), b::batchSize);
        set(p.batchWait(), b::batchWaitDuration);
        set(p.batchMaxBytes(), b::batchMaxBytes);
        set(p.maxBufferedBytes(), b::maxBufferedBytes);
        set(p.maxUncommittedBatches(), b::maxUncommittedBatches);
        set(p.guarantee(), b::processingGuarantee);
        set(p.transactionCommitInterval(), b::transactionCommitInterval);
        set(p.closeTimeout(), b::closeTimeout);
        set(meterRegistry, b::meterRegistry);
        set(observationRegistry, b::observationRegistry);
        b.kafkaProperties(p.kafka());
        p.consumer().forEach(b::consumerProperty);
        p.producer().forEach(b::producerProperty);
        return b.build();
    }

    private static ErrorPolicy errorPolicy(KasperProperties.ErrorPolicy p) {
        ErrorPolicy.Builder b = ErrorPolicy.builder();
        set(p.poisonPolicy(), b::poisonPolicy);
        set(p.deadLetterTopic(), b::deadLetterTopic);
        set(p.maxRetries(), b::maxRetries);
        if (p.retryBackoff() != null || p.maxRetryBackoff() != null) {
            b.retryBackoff(p.retryBackoff() != null ? p.retryBackoff() : ErrorPolicy.DEFAULT_RETRY_BACKOFF,
                    p.maxRetryBackoff() != null ? p.maxRetryBackoff() : ErrorPolicy.DEFAULT_MAX_RETRY_BACKOFF);
        }
        set(p.brokerOutageTimeout(), b::brokerOutageTimeout);
        return b.build();
    }

    /** Leaves the builder's default in place when the property is not set. */
    static <T> void set(T value, Consumer<T> setter) {
        if (value != null) {
            setter.accept(value);
        }
    }
}
