package io.kasper.opensearch;

import static org.assertj.core.api.Assertions.assertThat;

import io.kasper.store.TenantKey;
import io.kasper.store.TenantMap;
import io.kasper.test.OpenSearchServer;
import io.kasper.test.OpenSearchServerExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Bulk calls cost one request each, counted by the node itself ({@code _nodes/usage}). */
@ExtendWith(OpenSearchServerExtension.class)
class OpenSearchRoundTripIT {

    private static final int KEYS = 10_000;

    @Test
    void putAllOfTenThousandKeysIsOneBulkAndGetAllOneMget(OpenSearchServer openSearch) {
        RestActionCounter counter = new RestActionCounter(openSearch);
        try (OpenSearchStore store = OpenSearchStore.create(config(openSearch))) {
            Map<String, byte[]> entries = new HashMap<>();
            for (int i = 0; i < KEYS; i++) {
                entries.put("key-" + i, ("value-" + i).getBytes(StandardCharsets.UTF_8));
            }

            Map<String, Long> beforePut = counter.snapshot();
            store.putAll(entries);
            assertThat(counter.since(beforePut)).isEqualTo(Map.of("bulk_action", 1L));

            Map<String, Long> beforeGet = counter.snapshot();
            Map<String, byte[]> found = store.getAll(entries.keySet());
            assertThat(counter.since(beforeGet)).isEqualTo(Map.of("document_mget_action", 1L));
            assertThat(found).hasSize(KEYS);
            assertThat(found.get("key-9999")).isEqualTo("value-9999".getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void pushAcrossSevenTenantsIsOneBulkAndFetchOneMget(OpenSearchServer openSearch) {
        RestActionCounter counter = new RestActionCounter(openSearch);
        try (OpenSearchMultiStore multi = OpenSearchMultiStore.create(config(openSearch))) {
            TenantMap entries = new TenantMap();
            List<TenantKey> keys = new ArrayList<>();
            for (int i = 0; i < KEYS; i++) {
                TenantKey key = new TenantKey("Tenant-" + (i % 7), "key-" + i);
                entries.put(key, new byte[] {(byte) i});
                keys.add(key);
            }

            Map<String, Long> beforePush = counter.snapshot();
            multi.push(entries);
            assertThat(counter.since(beforePush)).isEqualTo(Map.of("bulk_action", 1L));

            Map<String, Long> beforeFetch = counter.snapshot();
            TenantMap found = multi.fetch(keys);
            assertThat(counter.since(beforeFetch)).isEqualTo(Map.of("document_mget_action", 1L));
            assertThat(found.size()).isEqualTo(KEYS);
            assertThat(found.tenants()).hasSize(7);
        }
    }

    private static OpenSearchStoreConfig config(OpenSearchServer openSearch) {
        return OpenSearchStoreConfig.builder().name("round-trips").uri(openSearch.uri())
                .index("round-trips-" + UUID.randomUUID()).meterRegistry(new SimpleMeterRegistry()).build();
    }
}
