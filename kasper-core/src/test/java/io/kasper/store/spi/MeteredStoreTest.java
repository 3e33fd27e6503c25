package io.kasper.store.spi;

import static io.kasper.KasperMetrics.STORE_CALLS;
import static io.kasper.KasperMetrics.STORE_ERRORS;
import static io.kasper.KasperMetrics.STORE_KEYS;
import static io.kasper.KasperMetrics.STORE_LATENCY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kasper.KasperException;
import io.kasper.store.MultiStore;
import io.kasper.store.Store;
import io.kasper.store.StoreException;
import io.kasper.store.TenantKey;
import io.kasper.store.TenantMap;
import io.kasper.store.memory.InMemoryMultiStore;
import io.kasper.store.memory.InMemoryStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class MeteredStoreTest {

    private final MeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void countsEveryCallAndItsKeysPerOperation() {
        try (Store store = new InMemoryStore("counts", registry, "orders")) {
            store.put("a", new byte[] {1});
            store.put("b", new byte[] {2});
            store.get("a");
            store.get("a");
            store.get("missing");
            store.getAll(List.of("a", "b", "c"));
            store.getAll(List.of("a", "a"));
            store.putAll(Map.of("x", new byte[0], "y", new byte[0], "z", new byte[0], "w", new byte[0]));
            store.delete("x");

            assertThat(calls("put")).isEqualTo(2);
            assertThat(calls("get")).isEqualTo(3);
            assertThat(calls("getAll")).isEqualTo(2);
            assertThat(calls("putAll")).isEqualTo(1);
            assertThat(calls("delete")).isEqualTo(1);
            // duplicates are read once, so the second getAll counts one key
            assertThat(registry.get(STORE_KEYS).tag("operation", "getAll").summary().totalAmount()).isEqualTo(4);
            assertThat(registry.get(STORE_KEYS).tag("operation", "putAll").summary().totalAmount()).isEqualTo(4);
            assertThat(registry.get(STORE_LATENCY).tag("operation", "get").timer().count()).isEqualTo(3);
            assertThat(registry.get(STORE_ERRORS).tag("operation", "get").counter().count()).isZero();
        }
    }

    @Test
    void tagsMetersWithProcessorStoreAndOperation() {
        try (Store store = new InMemoryStore("counts", registry, "orders")) {
            store.get("a");
            assertThat(registry.get(STORE_CALLS).tags("processor", "orders", "store", "counts", "operation", "get")
                    .counter().count()).isEqualTo(1);
        }
    }

    @Test
    void removesItsMetersOnClose() {
        Store store = new InMemoryStore("counts", registry, "orders");
        store.get("a");
        store.getAll(List.of("a"));
        assertThat(registry.getMeters()).hasSize(8);

        store.close();

        assertThat(registry.getMeters()).isEmpty();
    }

    @Test
    void wrapsBackendFailureInStoreExceptionNamingStoreOperationAndKeyCount() {
        List<String> keys = IntStream.range(0, 1200).mapToObj(i -> "k" + i).toList();
        try (Store store = new FailingStore(registry)) {
            assertThatThrownBy(() -> store.getAll(keys))
                    .isInstanceOf(StoreException.class)
                    .isInstanceOf(KasperException.class)
                    .hasMessage("store 'counts' (broken) getAll of 1200 keys failed: IllegalStateException: boom")
                    .hasCauseInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> store.get("k"))
                    .isInstanceOf(StoreException.class)
                    .hasMessage("store 'counts' (broken) get of 1 key failed: IllegalStateException: boom");
            assertThatThrownBy(store::flush)
                    .isInstanceOf(StoreException.class)
                    .hasMessage("store 'counts' (broken) flush failed: IllegalStateException: boom");
            assertThat(registry.get(STORE_ERRORS).tag("operation", "getAll").counter().count()).isEqualTo(1);
            assertThat(registry.get(STORE_CALLS).tag("operation", "getAll").counter().count()).isEqualTo(1);
        }
    }

    @Test
    void rejectsCallsAfterCloseWithIllegalStateException() {
        Store store = new InMemoryStore("counts", registry, "orders");
        store.close();
        store.close();
        assertThatThrownBy(() -> store.get("a"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("store 'counts' (in-memory) is closed");
    }

    @Test
    void rejectsNullKeysAndValuesWithoutCountingACall() {
        try (Store store = new InMemoryStore("counts", registry, "orders")) {
            assertThatThrownBy(() -> store.put("a", null)).isInstanceOf(NullPointerException.class)
                    .hasMessage("value must not be null");
            assertThatThrownBy(() -> store.getAll(java.util.Arrays.asList("a", null)))
                    .isInstanceOf(NullPointerException.class).hasMessage("keys must not hold null");
            assertThat(registry.getMeters()).isEmpty();
        }
    }

    @Test
    void countsMultiStoreAndTenantViewCallsUnderTheMultiStoresName() {
        try (MultiStore store = new InMemoryMultiStore("sessions", registry, "orders")) {
            store.push(new TenantMap().put("t1", "a", new byte[] {1}).put("t2", "a", new byte[] {2}));
            store.fetch(List.of(new TenantKey("t1", "a"), new TenantKey("t2", "a"), new TenantKey("t3", "a")));
            store.tenant("t1").get("a");
            store.allTenants();

            assertThat(registry.get(STORE_CALLS).tags("store", "sessions", "operation", "push").counter().count())
                    .isEqualTo(1);
            assertThat(registry.get(STORE_KEYS).tags("store", "sessions", "operation", "fetch").summary()
                    .totalAmount()).isEqualTo(3);
            assertThat(registry.get(STORE_CALLS).tags("store", "sessions", "operation", "get").counter().count())
                    .isEqualTo(1);
            assertThat(registry.get(STORE_CALLS).tags("store", "sessions", "operation", "allTenants").counter()
                    .count()).isEqualTo(1);
        }
        assertThat(registry.getMeters()).isEmpty();
    }

    @Test
    void tenantViewFailureNamesTheTenant() {
        try (MultiStore store = new InMemoryMultiStore("sessions", registry, "orders")) {
            Store view = store.tenant("acme");
            store.close();
            assertThatThrownBy(() -> view.get("a")).isInstanceOf(IllegalStateException.class)
                    .hasMessage("store 'sessions' (in-memory) tenant 'acme' is closed");
        }
    }

    @Test
    void rejectsInvalidTenantNames() {
        try (MultiStore store = new InMemoryMultiStore("sessions", registry, "orders")) {
            assertThatThrownBy(() -> store.tenant("a/b")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("tenant must not contain '/', was 'a/b'");
            assertThatThrownBy(() -> store.tenant("")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("tenant must not be empty");
        }
    }

    private double calls(String operation) {
        return registry.get(STORE_CALLS).tag("operation", operation).counter().count();
    }

    /** A store whose backend always fails. */
    private static final class FailingStore extends MeteredStore {

        FailingStore(MeterRegistry registry) {
            super("broken", "counts", registry, "orders");
        }

        @Override
        protected byte[] doGet(String key) {
            throw new IllegalStateException("boom");
        }

        @Override
        protected Map<String, byte[]> doGetAll(List<String> keys) {
            throw new IllegalStateException("boom");
        }

        @Override
        protected void doPut(String key, byte[] value) {
            throw new IllegalStateException("boom");
        }

        @Override
        protected void doPutAll(Map<String, byte[]> entries) {
            throw new IllegalStateException("boom");
        }

        @Override
        protected void doDelete(String key) {
            throw new IllegalStateException("boom");
        }

        @Override
        protected void doFlush() {
            throw new IllegalStateException("boom");
        }

        @Override
        protected void doClose() {
        }
    }

}
