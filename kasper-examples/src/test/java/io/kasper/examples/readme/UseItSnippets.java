package io.kasper.examples.readme;

import io.kasper.MessageProcessor;
import io.kasper.Sender;
import io.kasper.TopicProcessor;
import io.kasper.TopicProcessorConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/** The README's "Use it in your code" steps, compiled; {@link ReadmeSnippetsTest} keeps the README equal to them. */
final class UseItSnippets {

    private UseItSnippets() {
    }

    static TopicProcessorConfig configure(MeterRegistry prometheusRegistry) {
        // tag::configure[]
        TopicProcessorConfig config = TopicProcessorConfig.builder()
            .topicProcessorName("twitter-reach")
            .bootstrapServers("kafka-broker.local:9092")
            .inputTopics("tweets", "twitter-followers")
            .inputPartitions(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
            .batchSize(10_000)
            .batchWaitDuration(Duration.ofSeconds(5))
            .meterRegistry(prometheusRegistry)          // optional (default Metrics.globalRegistry), see KasperMetrics
            .build();
        // end::configure[]
        return config;
    }

    static TopicProcessorConfig derive(TopicProcessorConfig config, MeterRegistry canaryRegistry) {
        // tag::to-builder[]
        TopicProcessorConfig canary = config.toBuilder()       // every setting of config, but these two
            .topicProcessorName("twitter-reach-canary")
            .meterRegistry(canaryRegistry)
            .build();
        // end::to-builder[]
        return canary;
    }

    static void run(TopicProcessorConfig config) {
        // tag::create[]
        TopicProcessor processor = new TopicProcessor(config, partition -> new ReachProcessor());
        // end::create[]
        // tag::run[]
        Runtime.getRuntime().addShutdownHook(new Thread(processor::close));
        processor.runLoop();
        // end::run[]
    }
}

// tag::message-processor[]
final class ReachProcessor implements MessageProcessor {
    @Override
    public void process(List<ConsumerRecord<byte[], byte[]>> messages, Sender sender) {
        for (ConsumerRecord<byte[], byte[]> m : messages) {
            sender.send(new ProducerRecord<>("twitter-reach", m.partition(), m.key(), m.value()));
        }
    }
}
// end::message-processor[]
