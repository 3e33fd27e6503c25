package io.kasper.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.kasper.KasperMetrics;
import io.kasper.MessageProcessor;
import io.kasper.TopicProcessorConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class TestDriverMetersTest {

    private static final MessageProcessor NOOP = (messages, sender) -> { };

    @Test
    void driversOfOneNameSharingARegistryCountApartAndCloseApart() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        TopicProcessorConfig config = TopicProcessorConfig.builder().topicProcessorName("wc")
                .bootstrapServers("unused:9092").inputTopics("lines").inputPartitions(0).batchSize(1)
                .meterRegistry(registry).build();
        TopicProcessorTestDriver first = new TopicProcessorTestDriver(config, p -> NOOP);
        TopicProcessorTestDriver second = new TopicProcessorTestDriver(config, p -> NOOP);
        first.pipeInput("lines", 0, "k", "a");
        second.pipeInput("lines", 0, "k", "b");
        second.pipeInput("lines", 0, "k", "c");

        Map<String, Double> byInstance = incomingByInstance(registry);
        System.out.printf("TestDriverMetersTest: incoming by instance %s%n", byInstance);
        assertThat(byInstance.values()).containsExactly(1.0, 2.0);
        assertThat(byInstance.keySet()).allSatisfy(id -> assertThat(id).matches("kasper-wc-[0-9]+"));

        first.close();
        assertThat(incomingByInstance(registry).values()).as("the second driver's counter stays").containsExactly(2.0);
        second.close();
        assertThat(registry.getMeters()).isEmpty();
    }

    @Test
    void withoutARegistryMetersGoToTheGlobalRegistryAndLeaveItOnClose() {
        SimpleMeterRegistry added = new SimpleMeterRegistry();
        Metrics.addRegistry(added);
        try {
            TopicProcessorConfig config = TopicProcessorConfig.builder().topicProcessorName("global-wc")
                    .bootstrapServers("unused:9092").inputTopics("lines").inputPartitions(0).batchSize(1).build();
            TopicProcessorTestDriver driver = new TopicProcessorTestDriver(config, p -> NOOP);
            driver.pipeInput("lines", 0, "k", "a");

            assertThat(added.get(KasperMetrics.MESSAGES_INCOMING).tags(KasperMetrics.TAG_PROCESSOR, "global-wc")
                    .counter().count()).isEqualTo(1.0);

            driver.close();
            assertThat(Metrics.globalRegistry.getMeters()).extracting(Meter::getId)
                    .noneMatch(id -> "global-wc".equals(id.getTag(KasperMetrics.TAG_PROCESSOR)));
            assertThat(added.getMeters()).extracting(Meter::getId)
                    .noneMatch(id -> "global-wc".equals(id.getTag(KasperMetrics.TAG_PROCESSOR)));
        } finally {
            Metrics.removeRegistry(added);
        }
    }

    private static Map<String, Double> incomingByInstance(SimpleMeterRegistry registry) {
        Map<String, Double> counts = new TreeMap<>((a, b) -> Integer.compare(number(a), number(b)));
        List<Counter> counters = List.copyOf(registry.find(KasperMetrics.MESSAGES_INCOMING).counters());
        counters.forEach(c -> counts.put(c.getId().getTag(KasperMetrics.TAG_INSTANCE), c.count()));
        return counts;
    }

    private static int number(String instance) {
        return Integer.parseInt(instance.substring(instance.lastIndexOf('-') + 1));
    }
}
