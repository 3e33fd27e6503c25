package io.kasper.opensearch;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.kasper.store.StoreException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The REST calls of the OpenSearch stores: one {@code _mget} per read, one {@code _bulk} per write, whatever the
 * number of keys, plus index management, {@code _flush} and the tenant listing.
 *
 * <p>Thread-safe: stateless apart from the thread-safe {@link OpenSearchHttp}.
 */
final class OpenSearchBackend {

    /** How many failed items a bulk failure's message names. */
    static final int FAILURES_NAMED = 10;
    private static final String INDEX_NOT_FOUND = "index_not_found_exception";
    private static final String LENIENT = "ignore_unavailable=true&allow_no_indices=true";

    private final OpenSearchHttp http;
    private final OpenSearchRefresh refresh;

    OpenSearchBackend(OpenSearchStoreConfig config) {
        this.http = new OpenSearchHttp(config);
        this.refresh = config.refresh();
    }

    /**
     * Reads documents with one {@code _mget} (real-time). A document of a missing index is absent.
     *
     * @param refs the keys, at least one
     * @return the values in the order of the keys, null where absent
     * @throws StoreException when the request or one of its documents fails
     */
    List<byte[]> mget(List<DocRef> refs) {
        List<Map<String, String>> docs = new ArrayList<>(refs.size());
        for (DocRef ref : refs) {
            docs.add(Map.of("_index", ref.index(), "_id", Documents.id(ref.key())));
        }
        JsonNode found = http.sendJson("POST", "/_mget", Map.of("docs", docs), 0).json().path("docs");
        if (found.size() != refs.size()) {
            throw new StoreException("_mget of " + refs.size() + " documents returned " + found.size());
        }
        List<byte[]> values = new ArrayList<>(refs.size());
        for (int i = 0; i < refs.size(); i++) {
            JsonNode doc = found.get(i);
            DocRef ref = refs.get(i);
            JsonNode error = doc.get("error");
            if (error != null) {
                if (INDEX_NOT_FOUND.equals(error.path("type").asText())) {
                    values.add(null);
                    continue;
                }
                boolean retriable = OpenSearchFailures.isTransientItemError(0, error.path("type").asText());
                throw new StoreException("_mget of key '" + ref.key() + "' in index '" + ref.index() + "' failed: "
                        + describe(error), null, retriable);
            }
            values.add(doc.path("found").asBoolean() ? Documents.value(doc.get("_source"), ref.index(),
                    doc.path("_id").asText()) : null);
        }
        return values;
    }

    /**
     * Writes and deletes with one {@code _bulk}. Deleting a missing document (or from a missing index) is no failure.
     *
     * @param items the actions, at least one
     * @throws StoreException when the request fails, or naming up to {@value #FAILURES_NAMED} failed items and their
     *         total when some items fail; retriable when every failed item's error is transient (the items that
     *         succeeded are idempotent writes, so retrying the whole bulk is safe)
     */
    void bulk(List<BulkItem> items) {
        JsonNode response = http.send("POST", "/_bulk?refresh=" + refresh.parameter(), ndjson(items),
                "application/x-ndjson", 0).json();
        if (!response.path("errors").asBoolean()) {
            return;
        }
        JsonNode results = response.path("items");
        List<String> named = new ArrayList<>();
        int failed = 0;
        boolean allTransient = true;
        for (int i = 0; i < results.size(); i++) {
            JsonNode result = results.get(i).elements().next();
            JsonNode error = result.get("error");
            BulkItem item = items.get(i);
            if (error == null || item.value() == null && INDEX_NOT_FOUND.equals(error.path("type").asText())) {
                continue;
            }
            failed++;
            int status = result.path("status").asInt();
            allTransient &= OpenSearchFailures.isTransientItemError(status, error.path("type").asText());
            if (named.size() < FAILURES_NAMED) {
                named.add("key '" + item.key() + "' in index '" + item.index() + "' (HTTP " + status + "): "
                        + describe(error));
            }
        }
        if (failed > 0) {
            throw new StoreException(failed + " of " + items.size() + " bulk items failed"
                    + (failed > named.size() ? " (first " + named.size() + " shown)" : "") + ": "
                    + String.join("; ", named), null, allTransient);
        }
    }

    /**
     * Flushes indices with the {@code _flush} API (Lucene commit and translog trim); missing indices are skipped.
     *
     * @param indices an index name or wildcard pattern
     * @throws StoreException when the request fails
     */
    void flush(String indices) {
        http.send("POST", "/" + encode(indices) + "/_flush?" + LENIENT, null, null, 0);
    }

    /**
     * Creates an index with Kasper's mapping unless it exists.
     *
     * @param index the index
     * @throws StoreException when it cannot be created
     */
    void createIndex(String index) {
        OpenSearchHttp.Response response = http.sendJson("PUT", "/" + encode(index),
                Map.of("mappings", Documents.MAPPING), 400);
        if (response.status() == 400
                && !"resource_already_exists_exception".equals(response.json().path("error").path("type").asText())) {
            throw new StoreException("PUT /" + index + " returned HTTP 400: " + response.json());
        }
    }

    /**
     * Creates or replaces a composable index template giving Kasper's mapping to indices matching a pattern, so that
     * indices created by {@code _bulk} get it. Longer patterns get a higher priority, so nested prefixes do not clash.
     *
     * @param name the template's name
     * @param pattern the index pattern
     * @throws StoreException when it cannot be written
     */
    void putTemplate(String name, String pattern) {
        http.sendJson("PUT", "/_index_template/" + encode(name), Map.of("index_patterns", List.of(pattern),
                "priority", pattern.length(), "template", Map.of("mappings", Documents.MAPPING)), 0);
    }

    /**
     * Lists the indices matching a pattern that hold at least one live document: refreshes them first (so that
     * deletions are seen), then aggregates on {@code _index}.
     *
     * @param pattern the index pattern
     * @return the index names
     * @throws StoreException when a request fails
     */
    Set<String> indicesWithDocuments(String pattern) {
        String path = "/" + encode(pattern);
        http.send("POST", path + "/_refresh?" + LENIENT, null, null, 0);
        Map<String, Object> search = Map.of("size", 0, "aggs",
                Map.of("indices", Map.of("terms", Map.of("field", "_index", "size", 65_535, "min_doc_count", 1))));
        JsonNode buckets = http.sendJson("POST", path + "/_search?" + LENIENT, search, 0).json()
                .path("aggregations").path("indices").path("buckets");
        Set<String> indices = new HashSet<>();
        buckets.forEach(bucket -> indices.add(bucket.path("key").asText()));
        return indices;
    }

    private static byte[] ndjson(List<BulkItem> items) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(items.size() * 96);
        try (JsonGenerator json = OpenSearchHttp.JSON.getFactory().createGenerator(out)) {
            json.setRootValueSeparator(null);
            for (BulkItem item : items) {
                json.writeStartObject();
                json.writeObjectFieldStart(item.value() == null ? "delete" : "index");
                json.writeStringField("_index", item.index());
                json.writeStringField("_id", Documents.id(item.key()));
                json.writeEndObject();
                json.writeEndObject();
                newline(json, out);
                if (item.value() != null) {
                    json.writeStartObject();
                    json.writeFieldName(Documents.VALUE_FIELD);
                    json.writeBinary(item.value());
                    json.writeEndObject();
                    newline(json, out);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a _bulk body", e);
        }
        return out.toByteArray();
    }

    private static void newline(JsonGenerator json, ByteArrayOutputStream out) throws IOException {
        json.flush();
        out.write('\n');
    }

    private static String describe(JsonNode error) {
        return error.path("type").asText("error") + ": " + error.path("reason").asText(error.toString());
    }

    /** Encodes an index name or pattern as one path segment, keeping {@code *} and {@code ,} as they are. */
    private static String encode(String indices) {
        return URLEncoder.encode(indices, StandardCharsets.UTF_8).replace("+", "%20").replace("%2A", "*")
                .replace("%2C", ",");
    }
}
