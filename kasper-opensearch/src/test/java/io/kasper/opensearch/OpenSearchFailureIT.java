package io.kasper.opensearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kasper.store.StoreException;
import io.kasper.store.TenantMap;
import io.kasper.test.OpenSearchServer;
import io.kasper.test.OpenSearchServerExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Per-item bulk failures, foreign documents and an unreachable cluster surface as {@link StoreException}s. */
@ExtendWith(OpenSearchServerExtension.class)
class OpenSearchFailureIT {

    @Test
    void pushNamesTheItemsOfAWriteBlockedTenantAndWritesTheOthers(OpenSearchServer openSearch) {
        String prefix = "failures-" + UUID.randomUUID();
        try (OpenSearchMultiStore multi = OpenSearchMultiStore.create(config(openSearch, prefix))) {
            multi.tenant("blocked").put("existing", bytes("v"));
            blockWrites(openSearch, prefix + "-blocked");

            TenantMap entries = new TenantMap().put("open", "a", bytes("1")).put("blocked", "x", bytes("2"))
                    .put("open", "b", bytes("3")).put("blocked", "y", bytes("4")).put("open", "c", bytes("5"));

            assertThatThrownBy(() -> multi.push(entries)).isInstanceOf(StoreException.class)
                    .hasMessageStartingWith("store 'failures' (opensearch) push of 5 keys failed: "
                            + "2 of 5 bulk items failed: key 'x' in index '" + prefix + "-blocked' (HTTP 403): "
                            + "cluster_block_exception: index [" + prefix + "-blocked] blocked by: "
                            + "[FORBIDDEN/8/index write (api)];")
                    .hasMessageContaining("; key 'y' in index '" + prefix + "-blocked' (HTTP 403)")
                    .satisfies(e -> assertThat(((StoreException) e).isRetriable())
                            .as("a write block stays until an operator lifts it").isFalse())
                    .message().doesNotContain("first");
            assertThat(multi.tenant("open").getAll(List.of("a", "b", "c"))).containsOnlyKeys("a", "b", "c");
            assertThat(multi.tenant("blocked").getAll(List.of("existing", "x", "y"))).containsOnlyKeys("existing");
        }
    }

    @Test
    void putAllNamesTheFirstTenFailedKeysAndTheTotal(OpenSearchServer openSearch) {
        String index = "failures-" + UUID.randomUUID();
        try (OpenSearchStore store = OpenSearchStore.create(config(openSearch, index))) {
            blockWrites(openSearch, index);
            Map<String, byte[]> entries = new LinkedHashMap<>();
            for (int i = 0; i < 25; i++) {
                entries.put("k" + i, bytes("v" + i));
            }

            assertThatThrownBy(() -> store.putAll(entries)).isInstanceOf(StoreException.class)
                    .hasMessageStartingWith("store 'failures' (opensearch) putAll of 25 keys failed: "
                            + "25 of 25 bulk items failed (first 10 shown): key '")
                    .satisfies(e -> assertThat(e.getMessage().split("cluster_block_exception")).hasSize(11));
        }
    }

    @Test
    void getOfADocumentNotWrittenByKasperFails(OpenSearchServer openSearch) {
        String index = "failures-" + UUID.randomUUID();
        try (OpenSearchStore store = OpenSearchStore.create(config(openSearch, index))) {
            OpenSearchServer.Response written = openSearch.request("PUT", "/" + index + "/_doc/foreign",
                    "{\"title\":\"not ours\"}");
            assertThat(written.status()).as(written.body()).isEqualTo(201);

            assertThatThrownBy(() -> store.get("foreign")).isInstanceOf(StoreException.class)
                    .hasMessage("store 'failures' (opensearch) get of 1 key failed: document 'foreign' "
                            + "in index '" + index + "' has no string field 'b64': not a Kasper value")
                    .satisfies(e -> assertThat(((StoreException) e).isRetriable()).isFalse());
        }
    }

    @Test
    void unreachableClusterFailsCallsWithARetriableConnectError() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        OpenSearchStoreConfig config = OpenSearchStoreConfig.builder().name("failures")
                .uri("http://127.0.0.1:" + closedPort).index("nowhere").manageIndices(false)
                .connectTimeout(Duration.ofSeconds(2)).meterRegistry(new SimpleMeterRegistry()).build();
        try (OpenSearchStore store = OpenSearchStore.create(config)) {
            assertThatThrownBy(() -> store.getAll(List.of("a", "b"))).isInstanceOf(StoreException.class)
                    .hasMessageStartingWith("store 'failures' (opensearch) getAll of 2 keys failed: "
                            + "UncheckedIOException: POST /_mget on http://127.0.0.1:" + closedPort + " failed: "
                            + "java.net.ConnectException")
                    .satisfies(e -> assertThat(((StoreException) e).isRetriable()).isTrue());
            assertThatThrownBy(() -> store.putAll(Map.of("a", bytes("1")))).isInstanceOf(StoreException.class)
                    .hasMessageStartingWith("store 'failures' (opensearch) putAll of 1 key failed: ")
                    .satisfies(e -> assertThat(((StoreException) e).isRetriable()).isTrue());
        }
    }

    @Test
    void createFailsWhenTheIndexCannotBeCreated(OpenSearchServer openSearch) {
        OpenSearchStoreConfig config = config(openSearch, "failures-" + UUID.randomUUID());
        // an alias holding the index's name makes index creation answer 400 with another error than "exists"
        String taken = config.index();
        assertThat(openSearch.request("PUT", "/" + taken + "-target", null).status()).isEqualTo(200);
        assertThat(openSearch.request("POST", "/_aliases", "{\"actions\":[{\"add\":{\"index\":\"" + taken
                + "-target\",\"alias\":\"" + taken + "\"}}]}").status()).isEqualTo(200);

        assertThatThrownBy(() -> OpenSearchStore.create(config)).isInstanceOf(StoreException.class)
                .hasMessageStartingWith("store 'failures' (opensearch) cannot create index '" + taken
                        + "': PUT /" + taken + " returned HTTP 400: ")
                .hasMessageContaining("invalid_index_name_exception");
    }

    private static void blockWrites(OpenSearchServer openSearch, String index) {
        OpenSearchServer.Response response = openSearch.request("PUT", "/" + index + "/_settings",
                "{\"index.blocks.write\":true}");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    private static OpenSearchStoreConfig config(OpenSearchServer openSearch, String index) {
        return OpenSearchStoreConfig.builder().name("failures").uri(openSearch.uri()).index(index)
                .meterRegistry(new SimpleMeterRegistry()).build();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
