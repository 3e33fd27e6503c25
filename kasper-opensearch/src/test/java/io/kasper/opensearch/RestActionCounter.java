package io.kasper.opensearch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kasper.test.OpenSearchServer;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts the REST requests the node served, by action, from its own {@code GET /_nodes/usage} counters: server-side
 * evidence, independent of the adapter's code. Reading the counters is itself counted as {@code nodes_usage_action},
 * which {@link #since} leaves out. Not thread-safe.
 */
final class RestActionCounter {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final OpenSearchServer server;

    RestActionCounter(OpenSearchServer server) {
        this.server = server;
    }

    /** Returns the per-action counts of the node's REST requests so far. */
    Map<String, Long> snapshot() {
        OpenSearchServer.Response response = server.request("GET", "/_nodes/usage", null);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        try {
            Map<String, Long> counts = new HashMap<>();
            JsonNode nodes = JSON.readTree(response.body()).path("nodes");
            nodes.forEach(node -> node.path("rest_actions").fields()
                    .forEachRemaining(action -> counts.merge(action.getKey(), action.getValue().asLong(), Long::sum)));
            return counts;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Returns the requests served since a snapshot, by action, leaving out the usage reads and zero counts. */
    Map<String, Long> since(Map<String, Long> before) {
        Map<String, Long> delta = new HashMap<>();
        snapshot().forEach((action, count) -> {
            long served = count - before.getOrDefault(action, 0L);
            if (served != 0 && !action.equals("nodes_usage_action")) {
                delta.put(action, served);
            }
        });
        return delta;
    }
}
