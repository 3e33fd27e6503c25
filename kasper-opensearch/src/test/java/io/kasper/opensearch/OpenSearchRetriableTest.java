package io.kasper.opensearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sun.net.httpserver.HttpServer;
import io.kasper.store.StoreException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The statuses and item errors a real cluster sends only under load (429, 503, rejected executions) make the store's
 * failures retriable; request errors and unreadable bodies do not. An in-process HTTP server plays the cluster.
 */
class OpenSearchRetriableTest {

    private HttpServer server;
    private volatile int status;
    private volatile String body;
    private OpenSearchStore store;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (InputStream request = exchange.getRequestBody(); OutputStream response = exchange.getResponseBody()) {
                request.readAllBytes();
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(status, bytes.length);
                response.write(bytes);
            }
        });
        server.start();
        store = OpenSearchStore.create(OpenSearchStoreConfig.builder().name("docs")
                .uri("http://127.0.0.1:" + server.getAddress().getPort()).index("docs").manageIndices(false)
                .meterRegistry(new SimpleMeterRegistry()).build());
    }

    @AfterEach
    void stop() {
        store.close();
        server.stop(0);
    }

    @Test
    void serviceUnavailableIsRetriable() {
        reply(503, "{\"error\":{\"type\":\"cluster_block_exception\",\"reason\":\"state not recovered\"}}");

        StoreException failure = failureOf(() -> store.getAll(List.of("a", "b")));

        assertThat(failure).hasMessageStartingWith("store 'docs' (opensearch) getAll of 2 keys failed: "
                + "POST /_mget returned HTTP 503: ");
        assertThat(failure.isRetriable()).isTrue();
    }

    @Test
    void tooManyRequestsIsRetriable() {
        reply(429, "{\"error\":{\"type\":\"circuit_breaking_exception\",\"reason\":\"[parent] Data too large\"}}");
        assertThat(failureOf(() -> store.put("a", new byte[] {1})).isRetriable()).isTrue();
    }

    @Test
    void badRequestIsNotRetriable() {
        reply(400, "{\"error\":{\"type\":\"illegal_argument_exception\",\"reason\":\"bad\"}}");
        assertThat(failureOf(() -> store.get("a")).isRetriable()).isFalse();
    }

    @Test
    void bulkWhoseFailedItemsWereAllRejectedForLoadIsRetriable() {
        reply(200, bulkResponse(item(201, null), item(429, "es_rejected_execution_exception"),
                item(503, "unavailable_shards_exception")));

        StoreException failure = failureOf(() -> store.putAll(entries()));

        assertThat(failure).hasMessageStartingWith("store 'docs' (opensearch) putAll of 3 keys failed: "
                + "2 of 3 bulk items failed: ");
        assertThat(failure.isRetriable()).isTrue();
    }

    @Test
    void bulkWithOneItemFailingForAnotherReasonIsNotRetriable() {
        reply(200, bulkResponse(item(429, "es_rejected_execution_exception"), item(400, "mapper_parsing_exception"),
                item(201, null)));
        assertThat(failureOf(() -> store.putAll(entries())).isRetriable()).isFalse();
    }

    @Test
    void mgetItemOnAnUnavailableShardIsRetriable() {
        reply(200, "{\"docs\":[{\"_index\":\"docs\",\"_id\":\"a\",\"error\":{\"type\":"
                + "\"no_shard_available_action_exception\",\"reason\":\"No shard available\"}}]}");
        assertThat(failureOf(() -> store.get("a")).isRetriable()).isTrue();
    }

    @Test
    void responseThatIsNotJsonIsNotRetriable() {
        reply(200, "<html>a proxy's page</html>");

        StoreException failure = failureOf(() -> store.get("a"));

        assertThat(failure).hasMessageContaining("with a body that is not JSON");
        assertThat(failure.isRetriable()).as("Jackson's parse error is an IOException, not a transient one").isFalse();
    }

    private void reply(int status, String body) {
        this.status = status;
        this.body = body;
    }

    private static Map<String, byte[]> entries() {
        // a LinkedHashMap would fix the order; the fake answers by position, and only the count of failures matters
        return Map.of("a", new byte[] {1}, "b", new byte[] {2}, "c", new byte[] {3});
    }

    private static String bulkResponse(String... items) {
        return "{\"errors\":true,\"items\":[" + String.join(",", items) + "]}";
    }

    private static String item(int status, String errorType) {
        String error = errorType == null ? "" : ",\"error\":{\"type\":\"" + errorType + "\",\"reason\":\"r\"}";
        return "{\"index\":{\"_index\":\"docs\",\"status\":" + status + error + "}}";
    }

    private static StoreException failureOf(ThrowingCallable call) {
        Throwable failure = catchThrowable(call);
        assertThat(failure).isInstanceOf(StoreException.class);
        return (StoreException) failure;
    }
}
