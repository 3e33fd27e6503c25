package io.kasper.store.spi;

import static io.kasper.KasperMetrics.STORE_CALLS;
import static io.kasper.KasperMetrics.TAG_INSTANCE;
import static org.assertj.core.api.Assertions.assertThat;

import io.kasper.store.Store;
import io.kasper.store.memory.InMemoryMultiStore;
import io.kasper.store.memory.InMemoryStore;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoreInstanceMetersTest {

    private final MeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void storesOfOneNameAndProcessorGetDistinctInstanceIds() {
        try (InMemoryStore first = new InMemoryStore("counts", registry, "orders");
                InMemoryStore second = new InMemoryStore("counts", registry, "orders");
                InMemoryMultiStore multi = new InMemoryMultiStore("counts", registry, "orders")) {
            assertThat(List.of(first.instanceId(), second.instanceId(), multi.instanceId())).doesNotHaveDuplicates()
                    .allSatisfy(id -> assertThat(id).matches("counts-[0-9]+"));
        }
    }

    @Test
    void storesOfOneNameAndProcessorCountApartAndCloseApart() {
        InMemoryStore first = new InMemoryStore("counts", registry, "orders");
        InMemoryStore second = new InMemoryStore("counts", registry, "orders");
        first.get("a");
        second.get("a");
        second.get("b");
        assertThat(calls(first)).isEqualTo(1);
        assertThat(calls(second)).isEqualTo(2);

        first.close();

        assertThat(registry.getMeters()).isNotEmpty()
                .allSatisfy(meter -> assertThat(instance(meter)).isEqualTo(second.instanceId()));
        second.get("c");
        assertThat(calls(second)).as("the open store's meter is still the registered one").isEqualTo(3);
        second.close();
        assertThat(registry.getMeters()).isEmpty();
    }

    @Test
    void tenantViewsReportUnderTheirMultiStoreInstance() {
        try (InMemoryMultiStore multi = new InMemoryMultiStore("counts", registry, "orders")) {
            Store acme = multi.tenant("acme");
            acme.get("a");
            assertThat(((MeteredStore) acme).instanceId()).isEqualTo(multi.instanceId());
            assertThat(registry.get(STORE_CALLS).tags(TAG_INSTANCE, multi.instanceId(), "operation", "get")
                    .counter().count()).isEqualTo(1);
        }
    }

    private double calls(MeteredStore store) {
        return registry.get(STORE_CALLS).tags(TAG_INSTANCE, store.instanceId(), "operation", "get").counter().count();
    }

    private static String instance(Meter meter) {
        return meter.getId().getTag(TAG_INSTANCE);
    }
}
