package io.kasper.opensearch;

import io.kasper.store.spi.MeteredMultiStore;
import io.kasper.store.StoreException;
import io.kasper.store.TenantKey;
import io.kasper.store.TenantMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A {@link io.kasper.store.MultiStore} in OpenSearch 2/3 or another Elasticsearch-compatible REST API: one index per
 * tenant, named by the {@link OpenSearchTenancy} of the config (default {@code {index}-{tenant}}, escaped).
 *
 * <p>Documents are laid out as in {@link OpenSearchStore}. {@code fetch} is one {@code _mget} and {@code push} one
 * {@code _bulk} across all tenants; tenant views ({@link #tenant}) use the same calls. A tenant's index is created by
 * its first write (automatic index creation); with {@link OpenSearchStoreConfig#manageIndices()} (the default)
 * {@link #create} first writes the composable index template {@code kasper-{index}} for the tenancy's pattern, so that
 * such indices get Kasper's mapping (index templates need OpenSearch, or Elasticsearch 7.8+). Indices are never
 * deleted, not even when their last key is.
 *
 * <p><b>allTenants():</b> refreshes the indices matching {@link OpenSearchTenancy#indexPattern()} (so that recent
 * writes and deletions count), then aggregates their live documents by {@code _index} (at most 65,535 tenants) and
 * maps each index back with {@link OpenSearchTenancy#tenant}: tenants whose last key was deleted are left out.
 *
 * <p><b>flush():</b> {@code _flush} on every index of the pattern. <b>Lifecycle and thread-safety:</b> as
 * {@link OpenSearchStore}. Thread-safe.
 */
public final class OpenSearchMultiStore extends MeteredMultiStore {

    private final OpenSearchTenancy tenancy;
    private final OpenSearchBackend backend;

    private OpenSearchMultiStore(OpenSearchStoreConfig config) {
        super("opensearch", config.name(), config.meterRegistry(), config.processor(),
                OpenSearchFailures::isTransient);
        this.tenancy = config.tenancy();
        this.backend = new OpenSearchBackend(config);
    }

    /**
     * Creates a multi-store; with {@link OpenSearchStoreConfig#manageIndices()} it writes the index template.
     *
     * @param config the settings
     * @return the store; close it when done
     * @throws StoreException when the template cannot be written (cluster unreachable, no permission)
     */
    public static OpenSearchMultiStore create(OpenSearchStoreConfig config) {
        OpenSearchMultiStore store = new OpenSearchMultiStore(config);
        if (config.manageIndices()) {
            String template = "kasper-" + config.index();
            try {
                store.backend.putTemplate(template, config.tenancy().indexPattern());
            } catch (RuntimeException e) {
                store.close();
                throw new StoreException(store.description() + " cannot write index template '" + template + "': "
                        + e.getMessage(), e);
            }
        }
        return store;
    }

    @Override
    protected TenantMap doFetch(List<TenantKey> keys) {
        List<DocRef> refs = new ArrayList<>(keys.size());
        keys.forEach(key -> refs.add(new DocRef(tenancy.index(key.tenant()), key.key())));
        List<byte[]> values = backend.mget(refs);
        TenantMap found = new TenantMap();
        for (int i = 0; i < keys.size(); i++) {
            if (values.get(i) != null) {
                found.put(keys.get(i), values.get(i));
            }
        }
        return found;
    }

    @Override
    protected void doPush(TenantMap entries) {
        List<BulkItem> items = new ArrayList<>(entries.size());
        entries.forEach((tenant, key, value) -> items.add(new BulkItem(tenancy.index(tenant), key, value)));
        backend.bulk(items);
    }

    @Override
    protected void doDelete(TenantKey key) {
        backend.bulk(List.of(new BulkItem(tenancy.index(key.tenant()), key.key(), null)));
    }

    @Override
    protected Set<String> doAllTenants() {
        Set<String> tenants = new HashSet<>();
        for (String index : backend.indicesWithDocuments(tenancy.indexPattern())) {
            String tenant = tenancy.tenant(index);
            if (tenant != null) {
                tenants.add(tenant);
            }
        }
        return tenants;
    }

    /** Calls {@code _flush} on every index of the tenancy's pattern. */
    @Override
    protected void doFlush() {
        backend.flush(tenancy.indexPattern());
    }

    /** Nothing to release but the HttpClient, which Java 17 cannot close (see {@link OpenSearchStore}). */
    @Override
    protected void doClose() {
    }
}
