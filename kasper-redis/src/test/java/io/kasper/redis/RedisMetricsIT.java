package io.kasper.redis;

import static io.kasper.KasperMetrics.STORE_CALLS;
import static io.kasper.KasperMetrics.STORE_ERRORS;
import static io.kasper.KasperMetrics.STORE_KEYS;
import static io.kasper.KasperMetrics.STORE_LATENCY;
import static org.assertj.core.api.Assertions.assertThat;

import io.kasper.store.MultiStore;
import io.kasper.store.Store;
import io.kasper.store.TenantKey;
import io.kasper.store.TenantMap;
import io.kasper.test.RedisServer;
import io.kasper.test.RedisServerExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RedisServerExtension.class)
class RedisMetricsIT {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void recordsOneCallPerStoreCallTaggedWithProcessorStoreAndOperation(RedisServer redis) {
        try (Store store = RedisStore.create(RedisStoreConfig.builder().name("counts").processor("orders")
                .uri(redis.uri()).prefix("metrics-single").meterRegistry(registry).build())) {
            store.putAll(Map.of("a", new byte[] {1}, "b", new byte[] {2}, "c", new byte[] {3}));
            store.get("a");
            store.get("z");
            store.getAll(List.of("a", "b", "z", "y"));
            store.delete("a");

            assertThat(count("putAll")).isEqualTo(1);
            assertThat(count("get")).isEqualTo(2);
            assertThat(count("getAll")).isEqualTo(1);
            assertThat(count("delete")).isEqualTo(1);
            assertThat(registry.get(STORE_KEYS).tags("operation", "getAll").summary().totalAmount()).isEqualTo(4);
            assertThat(registry.get(STORE_LATENCY).tags("processor", "orders", "store", "counts", "operation", "get")
                    .timer().count()).isEqualTo(2);
            assertThat(registry.get(STORE_ERRORS).tags("operation", "get").counter().count()).isZero();
        }
        assertThat(registry.getMeters()).as("meters removed on close").isEmpty();
    }

    @Test
    void recordsFetchPushAndTenantViewCallsOfAMultiStore(RedisServer redis) {
        try (MultiStore store = RedisMultiStore.create(RedisStoreConfig.builder().name("sessions")
                .uri(redis.uri()).prefix("metrics-multi").meterRegistry(registry).build())) {
            store.push(new TenantMap().put("t1", "a", new byte[] {1}).put("t2", "b", new byte[] {2}));
            store.fetch(List.of(new TenantKey("t1", "a"), new TenantKey("t2", "b"), new TenantKey("t3", "c")));
            store.tenant("t1").getAll(List.of("a"));
            store.allTenants();

            assertThat(count("push")).isEqualTo(1);
            assertThat(count("fetch")).isEqualTo(1);
            assertThat(count("getAll")).isEqualTo(1);
            assertThat(count("allTenants")).isEqualTo(1);
            assertThat(registry.get(STORE_KEYS).tags("operation", "fetch").summary().totalAmount()).isEqualTo(3);
        }
        assertThat(registry.getMeters()).isEmpty();
    }

    private double count(String operation) {
        return registry.get(STORE_CALLS).tags("operation", operation).counter().count();
    }
}
