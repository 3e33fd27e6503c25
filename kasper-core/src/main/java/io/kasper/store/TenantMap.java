package io.kasper.store;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An in-memory map of values by tenant and key: what {@link MultiStore#fetch} returns and {@link MultiStore#push}
 * takes.
 *
 * <p>Values are kept by reference (not copied): do not change an array after putting it. Tenants follow the rules of
 * {@link TenantKey}. Not thread-safe: confine an instance to one thread or synchronize externally.
 */
public final class TenantMap {

    private final Map<String, Map<String, byte[]>> byTenant = new LinkedHashMap<>();
    private int size;

    /** Creates an empty map. */
    public TenantMap() {
    }

    /**
     * Puts a value, replacing any previous value of the same tenant and key.
     *
     * @param tenant the tenant, non-empty, without {@code '/'}
     * @param key the key, not null
     * @param value the value, not null
     * @return this map, for chaining
     * @throws NullPointerException when an argument is null
     * @throws IllegalArgumentException when the tenant name is invalid
     */
    public TenantMap put(String tenant, String key, byte[] value) {
        TenantKey.validateTenant(tenant);
        Objects.requireNonNull(key, "key must not be null");
        Objects.requireNonNull(value, "value must not be null");
        if (byTenant.computeIfAbsent(tenant, t -> new LinkedHashMap<>()).put(key, value) == null) {
            size++;
        }
        return this;
    }

    /**
     * Puts a value under a tenant key.
     *
     * @param key the tenant key
     * @param value the value, not null
     * @return this map, for chaining
     * @throws NullPointerException when an argument is null
     */
    public TenantMap put(TenantKey key, byte[] value) {
        return put(key.tenant(), key.key(), value);
    }

    /**
     * Returns the value of a tenant's key.
     *
     * @param tenant the tenant
     * @param key the key
     * @return the value, or {@code null} when absent
     */
    public byte[] get(String tenant, String key) {
        Map<String, byte[]> values = byTenant.get(tenant);
        return values == null ? null : values.get(key);
    }

    /**
     * Returns the value of a tenant key.
     *
     * @param key the tenant key
     * @return the value, or {@code null} when absent
     */
    public byte[] get(TenantKey key) {
        return get(key.tenant(), key.key());
    }

    /**
     * Returns whether a tenant key is present.
     *
     * @param key the tenant key
     * @return true when present
     */
    public boolean containsKey(TenantKey key) {
        return get(key) != null;
    }

    /**
     * Returns the entries of one tenant as an unmodifiable live view.
     *
     * @param tenant the tenant
     * @return the tenant's entries; empty when the tenant has none
     */
    public Map<String, byte[]> tenant(String tenant) {
        Map<String, byte[]> values = byTenant.get(tenant);
        return values == null ? Map.of() : Collections.unmodifiableMap(values);
    }

    /**
     * Returns the tenants holding at least one entry, as an unmodifiable live view in insertion order.
     *
     * @return the tenants holding at least one entry, as an unmodifiable live view in insertion order
     */
    public Set<String> tenants() {
        return Collections.unmodifiableSet(byTenant.keySet());
    }

    /**
     * Returns the number of entries across all tenants.
     *
     * @return the number of entries across all tenants
     */
    public int size() {
        return size;
    }

    /**
     * Returns whether the map holds no entry.
     *
     * @return whether the map holds no entry
     */
    public boolean isEmpty() {
        return size == 0;
    }

    /**
     * Calls the action for every entry, tenant by tenant in insertion order.
     *
     * @param action receives tenant, key and value
     */
    public void forEach(EntryConsumer action) {
        byTenant.forEach((tenant, values) -> values.forEach((key, value) -> action.accept(tenant, key, value)));
    }

    /**
     * Returns a copy as plain nested maps (tenant to key to value); the arrays are shared, the maps are new.
     *
     * @return a copy as plain nested maps (tenant to key to value); the arrays are shared, the maps are new
     */
    public Map<String, Map<String, byte[]>> toMap() {
        Map<String, Map<String, byte[]>> copy = new HashMap<>();
        byTenant.forEach((tenant, values) -> copy.put(tenant, new HashMap<>(values)));
        return copy;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("TenantMap{");
        byTenant.forEach((tenant, values) -> text.append(text.length() > 10 ? ", " : "")
                .append(tenant).append('=').append(values.size()).append(values.size() == 1 ? " key" : " keys"));
        return text.append('}').toString();
    }

    /** Receives one entry of a {@link TenantMap}. */
    @FunctionalInterface
    public interface EntryConsumer {

        /**
         * Receives one entry.
         *
         * @param tenant the tenant
         * @param key the key
         * @param value the value (shared, do not change it)
         */
        void accept(String tenant, String key, byte[] value);
    }
}
