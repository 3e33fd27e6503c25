package io.kasper.examples.readme;

import io.kasper.ErrorPolicy;
import io.kasper.GroupProtocol;
import io.kasper.PartitionListener;
import io.kasper.ProcessingGuarantee;
import io.kasper.TopicProcessorConfig;
import java.time.Duration;

/**
 * The README's configuration blocks of "Processing guarantees", "Reliability" and "Scaling out", compiled (the {@code // ...} stands for the
 * settings of "Use it in your code", so {@code reliability()} only compiles). {@link ReadmeSnippetsTest} keeps the
 * README equal to them.
 */
final class ConfigSnippets {

    private ConfigSnippets() {
    }

    static TopicProcessorConfig exactlyOnce() {
        // tag::exactly-once[]
        TopicProcessorConfig config = TopicProcessorConfig.builder()
                .topicProcessorName("enrich").bootstrapServers("kafka:9092").inputTopics("orders").groupManaged()
                .processingGuarantee(ProcessingGuarantee.EXACTLY_ONCE)
                .transactionCommitInterval(Duration.ofMillis(100)) // the default
                .build();
        // end::exactly-once[]
        return config;
    }

    static TopicProcessorConfig reliability() {
        // tag::error-policy[]
        TopicProcessorConfig config = TopicProcessorConfig.builder()
            // ...
            .errorPolicy(ErrorPolicy.builder()
                .deadLetterTopic("orders-dlt")                 // poison messages: FAIL (default), SKIP or DEAD_LETTER
                .maxRetries(5)                                 // transient failures: 5 more calls of process ...
                .retryBackoff(Duration.ofMillis(100), Duration.ofSeconds(5))  // ... 100 ms, 200 ms, ... up to 5 s apart
                .brokerOutageTimeout(Duration.ofMinutes(2))    // ride out an unreachable cluster this long, then fail
                .build())
            .maxUncommittedBatches(1)                          // a fault redelivers at most one batch per partition
            .build();
        // end::error-policy[]
        return config;
    }

    static TopicProcessorConfig groupManaged(PartitionListener myStateLoader) {
        // tag::group-managed[]
        TopicProcessorConfig config = TopicProcessorConfig.builder()
            .topicProcessorName("orders-enricher")
            .bootstrapServers("kafka:9092")
            .inputTopics("orders", "customers")          // same partition count, keyed the same way
            .groupManaged()
            .partitionListener(myStateLoader)            // optional: load / flush per-partition state
            .build();
        // end::group-managed[]
        return config;
    }

    static TopicProcessorConfig groupProtocol() {
        // tag::group-protocol[]
        TopicProcessorConfig config = TopicProcessorConfig.builder()
            .topicProcessorName("orders-enricher")
            .bootstrapServers("kafka:9092")
            .inputTopics("orders", "customers")
            .groupManaged()
            .groupProtocol(GroupProtocol.CONSUMER)       // default GroupProtocol.CLASSIC
            .build();
        // end::group-protocol[]
        return config;
    }
}
