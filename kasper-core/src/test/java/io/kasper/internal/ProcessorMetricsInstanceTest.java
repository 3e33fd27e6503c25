package io.kasper.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.kasper.KasperMetrics;
import io.kasper.ProcessorState;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ProcessorMetricsInstanceTest {

    private final MeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void instancesOfOneNameCountApartInOneRegistry() {
        try (ProcessorMetrics first = new ProcessorMetrics(registry, "orders", "kasper-orders-1");
                ProcessorMetrics second = new ProcessorMetrics(registry, "orders", "kasper-orders-2")) {
            first.incoming(new TopicPartition("in", 0), 3);
            second.incoming(new TopicPartition("in", 0), 5);
            second.incoming(new TopicPartition("in", 1), 7);

            assertThat(incoming("kasper-orders-1", 0)).isEqualTo(3);
            assertThat(incoming("kasper-orders-2", 0)).isEqualTo(5);
            assertThat(incoming("kasper-orders-2", 1)).isEqualTo(7);
            assertThat(registry.find(KasperMetrics.MESSAGES_INCOMING).tag(KasperMetrics.TAG_PROCESSOR, "orders")
                    .counters()).hasSize(3);
        }
    }

    @Test
    void closingOneInstanceRemovesOnlyItsOwnMeters() {
        ProcessorStatus firstStatus = running();
        ProcessorStatus secondStatus = running();
        ProcessorMetrics first = new ProcessorMetrics(registry, "orders", "kasper-orders-1");
        ProcessorMetrics second = new ProcessorMetrics(registry, "orders", "kasper-orders-2");
        first.readiness(firstStatus);
        second.readiness(secondStatus);
        first.batch(0, 10, 1_000);
        second.batch(0, 20, 1_000);
        int before = registry.getMeters().size();

        first.close();

        System.out.printf("ProcessorMetricsInstanceTest: %d meters before closing the first instance, %d after%n",
                before, registry.getMeters().size());
        assertThat(registry.getMeters()).isNotEmpty().allSatisfy(meter -> assertThat(instance(meter))
                .isEqualTo("kasper-orders-2"));
        assertThat(registry.get(KasperMetrics.PROCESSOR_READY).gauge().value()).isEqualTo(1.0);
        secondStatus.stopped(null);
        assertThat(registry.get(KasperMetrics.PROCESSOR_READY).gauge().value()).as("still reads its own status")
                .isEqualTo(0.0);
        assertThat(registry.get(KasperMetrics.BATCH_SIZE).summary().totalAmount()).isEqualTo(20);

        second.close();
        assertThat(registry.getMeters()).isEmpty();
    }

    private double incoming(String instance, int partition) {
        return registry.get(KasperMetrics.MESSAGES_INCOMING).tags(KasperMetrics.TAG_INSTANCE, instance,
                KasperMetrics.TAG_PARTITION, Integer.toString(partition)).counter().count();
    }

    private static String instance(Meter meter) {
        return meter.getId().getTag(KasperMetrics.TAG_INSTANCE);
    }

    private static ProcessorStatus running() {
        ProcessorStatus status = new ProcessorStatus();
        status.move(ProcessorState.RUNNING);
        return status;
    }
}
