package io.kasper.cassandra;

import io.kasper.store.spi.MeteredMultiStore;
import io.kasper.store.StoreException;
import io.kasper.store.TenantKey;
import io.kasper.store.TenantMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link io.kasper.store.MultiStore} in Cassandra: one table per tenant, {@code {table}_{tenant}} in the config's
 * keyspace, where {@code a-z 0-9} of the tenant are kept and every other character (the underscore included) becomes
 * {@code _xxxx} (its UTF-16 code unit in hex): tenant {@code Acme} of prefix {@code counts} is table
 * {@code counts__0041cme}. Table names are limited to 48 characters, which limits tenant names; longer ones fail.
 *
 * <p>A tenant's table {@code (key text PRIMARY KEY, value blob)} is created by its first write ({@code CREATE TABLE IF
 * NOT EXISTS}, a schema change: slow, do not use a tenant per request). {@code fetch} and {@code push} run one prepared
 * statement per key across all tenants, asynchronously and bounded as in {@link CassandraStore}; keys of tenants
 * without a table are absent. {@code allTenants()} lists the keyspace's tables of the prefix from the driver's schema
 * metadata and keeps those holding a live row (one {@code SELECT ... LIMIT 1} per table). Tables are never dropped.
 * {@code flush()} is a no-op, as in {@link CassandraStore}. Failures are retriable as {@link CassandraStoreConfig}
 * describes.
 *
 * <p><b>Lifecycle and thread-safety:</b> as {@link CassandraStore}. Thread-safe.
 */
public final class CassandraMultiStore extends MeteredMultiStore {

    private final String prefix;
    private final CassandraBackend backend;
    private final Set<String> knownTables = ConcurrentHashMap.newKeySet();

    private CassandraMultiStore(CassandraStoreConfig config, CassandraBackend backend) {
        super("cassandra", config.name(), config.meterRegistry(), config.processor(), CassandraFailures::isTransient);
        this.prefix = config.table();
        this.backend = backend;
    }

    /**
     * Connects a multi-store.
     *
     * @param config the settings; {@link CassandraStoreConfig#table()} is the prefix of the tenant tables
     * @return the connected store; close it to close the session
     * @throws StoreException when Cassandra cannot be reached or the keyspace is missing
     */
    public static CassandraMultiStore create(CassandraStoreConfig config) {
        try {
            return new CassandraMultiStore(config, CassandraBackend.connect(config));
        } catch (RuntimeException e) {
            throw new StoreException("store '" + config.name() + "' (cassandra) cannot connect to "
                    + config.contactPoints() + " keyspace '" + config.keyspace() + "': " + e, e);
        }
    }

    @Override
    protected TenantMap doFetch(List<TenantKey> keys) {
        List<TenantKey> readable = new ArrayList<>(keys.size());
        List<String> tables = new ArrayList<>(keys.size());
        List<String> rowKeys = new ArrayList<>(keys.size());
        for (TenantKey key : keys) {
            String table = CassandraNames.tenantTable(prefix, key.tenant());
            if (exists(table)) {
                readable.add(key);
                tables.add(table);
                rowKeys.add(key.key());
            }
        }
        TenantMap found = new TenantMap();
        if (readable.isEmpty()) {
            return found;
        }
        List<byte[]> values = backend.get(tables, rowKeys);
        for (int i = 0; i < readable.size(); i++) {
            if (values.get(i) != null) {
                found.put(readable.get(i), values.get(i));
            }
        }
        return found;
    }

    @Override
    protected void doPush(TenantMap entries) {
        List<String> tables = new ArrayList<>(entries.size());
        List<String> keys = new ArrayList<>(entries.size());
        List<byte[]> values = new ArrayList<>(entries.size());
        for (String tenant : entries.tenants()) {
            String table = CassandraNames.tenantTable(prefix, tenant);
            if (knownTables.add(table)) {
                try {
                    backend.createTable(table);
                } catch (RuntimeException e) {
                    knownTables.remove(table);
                    throw e;
                }
            }
            entries.tenant(tenant).forEach((key, value) -> {
                tables.add(table);
                keys.add(key);
                values.add(value);
            });
        }
        backend.put(tables, keys, values);
    }

    @Override
    protected void doDelete(TenantKey key) {
        String table = CassandraNames.tenantTable(prefix, key.tenant());
        if (exists(table)) {
            backend.delete(table, key.key());
        }
    }

    @Override
    protected Set<String> doAllTenants() {
        Set<String> tenants = new HashSet<>();
        for (String table : backend.tables(prefix + "_")) {
            String tenant = CassandraNames.tenantOf(prefix, table);
            if (tenant != null && backend.hasRows(table)) {
                tenants.add(tenant);
            }
        }
        return tenants;
    }

    /** Does nothing (see {@link CassandraStore}). */
    @Override
    protected void doFlush() {
    }

    @Override
    protected void doClose() {
        backend.close();
    }

    private boolean exists(String table) {
        if (knownTables.contains(table)) {
            return true;
        }
        if (backend.tableExists(table)) {
            knownTables.add(table);
            return true;
        }
        return false;
    }
}
