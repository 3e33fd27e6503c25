package io.kasper.examples;

import io.kasper.TopicProcessorConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What every example needs to build its {@link TopicProcessorConfig}: where the cluster is, the processor's name,
 * how many partitions its input topics have, and where metrics go.
 *
 * <p>Thread-safety: immutable, so thread-safe.
 *
 * @param bootstrapServers the Kafka bootstrap servers
 * @param processorName the topic processor name (also the consumer group suffix)
 * @param partitions the partition count of the input topics; the processor consumes all of them
 * @param meterRegistry receives Kasper's metrics
 */
public record ExampleSettings(String bootstrapServers, String processorName, int partitions,
        MeterRegistry meterRegistry) {

    /**
     * Checks the settings.
     *
     * @throws NullPointerException when a field is null
     * @throws IllegalArgumentException when {@code partitions} is below 1
     */
    public ExampleSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(processorName, "processorName");
        Objects.requireNonNull(meterRegistry, "meterRegistry");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
        }
    }

    /**
     * Returns a config builder for these settings and input topics, with example-friendly batching: small batches
     * that close after 200 ms, so that a few hundred messages flow through in well under a second.
     *
     * @param inputTopics the co-partitioned input topics
     * @return a builder the caller may adjust further
     */
    public TopicProcessorConfig.Builder configFor(String... inputTopics) {
        List<Integer> all = new ArrayList<>(partitions);
        for (int p = 0; p < partitions; p++) {
            all.add(p);
        }
        return TopicProcessorConfig.builder()
                .topicProcessorName(processorName)
                .bootstrapServers(bootstrapServers)
                .inputTopics(inputTopics)
                .inputPartitions(all)
                .batchSize(500)
                .batchWaitDuration(Duration.ofMillis(200))
                .closeTimeout(Duration.ofSeconds(10))
                .meterRegistry(meterRegistry);
    }
}
