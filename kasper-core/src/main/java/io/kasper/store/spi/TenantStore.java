package io.kasper.store.spi;

import io.kasper.store.TenantKey;
import io.kasper.store.TenantMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link Store} of one tenant of a {@link MeteredMultiStore}, implemented on the multi-store's bulk operations.
 *
 * <p>Owns nothing: closing it only closes the view. Thread-safe when the multi-store is.
 */
final class TenantStore extends MeteredStore {

    private final MeteredMultiStore owner;
    private final String tenant;

    TenantStore(MeteredMultiStore owner, StoreMeters meters, String tenant) {
        super(meters, tenant, false);
        this.owner = owner;
        this.tenant = tenant;
    }

    @Override
    protected byte[] doGet(String key) {
        TenantKey tenantKey = new TenantKey(tenant, key);
        return owner.doFetch(List.of(tenantKey)).get(tenantKey);
    }

    @Override
    protected Map<String, byte[]> doGetAll(List<String> keys) {
        List<TenantKey> tenantKeys = keys.stream().map(key -> new TenantKey(tenant, key)).toList();
        return new java.util.HashMap<>(owner.doFetch(tenantKeys).tenant(tenant));
    }

    @Override
    protected void doPut(String key, byte[] value) {
        owner.doPush(new TenantMap().put(tenant, key, value));
    }

    @Override
    protected void doPutAll(Map<String, byte[]> entries) {
        TenantMap map = new TenantMap();
        entries.forEach((key, value) -> map.put(tenant, key, value));
        owner.doPush(map);
    }

    @Override
    protected void doDelete(String key) {
        owner.doDelete(new TenantKey(tenant, key));
    }

    @Override
    protected void doFlush() {
        owner.doFlush();
    }

    @Override
    protected void doClose() {
        // the multi-store owns the backend
    }

    @Override
    boolean isClosed() {
        return super.isClosed() || owner.isClosed();
    }
}
