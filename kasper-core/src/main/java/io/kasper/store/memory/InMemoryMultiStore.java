package io.kasper.store.memory;

import io.kasper.store.TenantKey;
import io.kasper.store.TenantMap;
import io.kasper.store.spi.MeteredMultiStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link io.kasper.store.MultiStore} held in this JVM's memory, for tests and for state that may be lost on restart.
 *
 * <p>Values are copied in and out. A tenant exists while it holds a key: deleting its last key removes it from
 * {@link #allTenants()}. {@code fetch} and {@code push} are not atomic across tenants. {@link #flush()} is a no-op.
 * {@link #close()} drops the contents and removes the meters.
 *
 * <p>Thread-safety: safe for concurrent use; writes to one tenant are serialized per tenant.
 */
public final class InMemoryMultiStore extends MeteredMultiStore {

    private final Map<String, Map<String, byte[]>> tenants = new ConcurrentHashMap<>();

    /**
     * Creates an empty store recording meters in {@link Metrics#globalRegistry}, tagged with its name as processor.
     *
     * @param name the store's name
     * @throws NullPointerException when the name is null
     */
    public InMemoryMultiStore(String name) {
        this(name, Metrics.globalRegistry, name);
    }

    /**
     * Creates an empty store.
     *
     * @param name the store's name
     * @param registry where to record meters
     * @param processor the {@code processor} tag
     * @throws NullPointerException when an argument is null
     */
    public InMemoryMultiStore(String name, MeterRegistry registry, String processor) {
        super("in-memory", name, registry, processor);
    }

    @Override
    protected TenantMap doFetch(List<TenantKey> keys) {
        TenantMap found = new TenantMap();
        for (TenantKey key : keys) {
            Map<String, byte[]> values = tenants.get(key.tenant());
            byte[] value = values == null ? null : values.get(key.key());
            if (value != null) {
                found.put(key, value.clone());
            }
        }
        return found;
    }

    @Override
    protected void doPush(TenantMap entries) {
        for (String tenant : entries.tenants()) {
            Map<String, byte[]> toWrite = entries.tenant(tenant);
            // compute() serializes with doDelete, so a tenant map is never dropped while being written to
            tenants.compute(tenant, (name, values) -> {
                Map<String, byte[]> target = values == null ? new ConcurrentHashMap<>() : values;
                toWrite.forEach((key, value) -> target.put(key, value.clone()));
                return target;
            });
        }
    }

    @Override
    protected void doDelete(TenantKey key) {
        tenants.computeIfPresent(key.tenant(), (name, values) -> {
            values.remove(key.key());
            return values.isEmpty() ? null : values;
        });
    }

    @Override
    protected Set<String> doAllTenants() {
        return new HashSet<>(tenants.keySet());
    }

    /** Does nothing: an in-memory store has no durable medium. */
    @Override
    protected void doFlush() {
    }

    @Override
    protected void doClose() {
        tenants.clear();
    }
}
