package io.kasper.opensearch;

import io.kasper.store.spi.MeteredStore;
import io.kasper.store.StoreException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link io.kasper.store.Store} in one index of OpenSearch 2/3 or another Elasticsearch-compatible REST API
 * (Elasticsearch 7), over {@code java.net.http} and Jackson.
 *
 * <p><b>Layout:</b> every key is a document of {@link OpenSearchStoreConfig#index()}; its value, opaque bytes, is kept
 * base64-encoded as {@code {"b64": "..."}} (a {@code binary} field: stored, not indexed), so any bytes round-trip,
 * JSON or not. The empty key and keys starting with {@code ~} get a {@code ~} in front of their id; keys are limited to
 * 511 UTF-8 bytes. With {@link OpenSearchStoreConfig#manageIndices()} (the default) {@link #create} creates the index
 * with that mapping unless it exists.
 *
 * <p><b>Round trips:</b> {@code get} and {@code getAll} are one {@code _mget} (real-time: they see every acknowledged
 * write, whatever the refresh policy); {@code put}, {@code putAll} and {@code delete} one {@code _bulk} with the
 * configured {@link OpenSearchRefresh refresh} policy. A {@code _bulk} is not atomic: when some items fail, the others
 * are written, and the {@link StoreException} names up to 10 failed keys with their errors and the number that failed;
 * it is retriable when every failed item was rejected for load (see {@link OpenSearchStoreConfig} for which failures
 * are retriable).
 * Deleting a missing key is not an error.
 *
 * <p><b>flush():</b> calls the {@code _flush} API on the index: a Lucene commit, so that the documents no longer
 * depend on the translog. Acknowledged writes are already durable in the translog ({@code index.translog.durability:
 * request}, the default), so flush is about recovery time, not about losing writes.
 *
 * <p><b>Lifecycle and thread-safety:</b> the store owns its {@link java.net.http.HttpClient}, shared by all threads;
 * {@link #close()} drops it (on Java 17 an HttpClient has no close: its daemon threads end once it is unreachable)
 * and removes the meters. Every call is bounded by {@link OpenSearchStoreConfig#requestTimeout()}. Thread-safe.
 */
public final class OpenSearchStore extends MeteredStore {

    private final String index;
    private final OpenSearchBackend backend;

    private OpenSearchStore(OpenSearchStoreConfig config) {
        super("opensearch", config.name(), config.meterRegistry(), config.processor(),
                OpenSearchFailures::isTransient);
        this.index = config.index();
        this.backend = new OpenSearchBackend(config);
    }

    /**
     * Creates a store; with {@link OpenSearchStoreConfig#manageIndices()} it creates the index unless it exists.
     *
     * @param config the settings
     * @return the store; close it when done
     * @throws StoreException when the index cannot be created (cluster unreachable, no permission)
     */
    public static OpenSearchStore create(OpenSearchStoreConfig config) {
        OpenSearchStore store = new OpenSearchStore(config);
        if (config.manageIndices()) {
            try {
                store.backend.createIndex(config.index());
            } catch (RuntimeException e) {
                store.close();
                throw new StoreException(store.description() + " cannot create index '" + config.index() + "': "
                        + e.getMessage(), e);
            }
        }
        return store;
    }

    @Override
    protected byte[] doGet(String key) {
        return backend.mget(List.of(new DocRef(index, key))).get(0);
    }

    @Override
    protected Map<String, byte[]> doGetAll(List<String> keys) {
        List<DocRef> refs = new ArrayList<>(keys.size());
        keys.forEach(key -> refs.add(new DocRef(index, key)));
        List<byte[]> values = backend.mget(refs);
        Map<String, byte[]> found = new HashMap<>(keys.size() * 2);
        for (int i = 0; i < keys.size(); i++) {
            if (values.get(i) != null) {
                found.put(keys.get(i), values.get(i));
            }
        }
        return found;
    }

    @Override
    protected void doPut(String key, byte[] value) {
        backend.bulk(List.of(new BulkItem(index, key, value)));
    }

    @Override
    protected void doPutAll(Map<String, byte[]> entries) {
        List<BulkItem> items = new ArrayList<>(entries.size());
        entries.forEach((key, value) -> items.add(new BulkItem(index, key, value)));
        backend.bulk(items);
    }

    @Override
    protected void doDelete(String key) {
        backend.bulk(List.of(new BulkItem(index, key, null)));
    }

    /** Calls {@code _flush} on the index (see the class comment). */
    @Override
    protected void doFlush() {
        backend.flush(index);
    }

    /** Nothing to release but the HttpClient, which Java 17 cannot close (see the class comment). */
    @Override
    protected void doClose() {
    }
}
