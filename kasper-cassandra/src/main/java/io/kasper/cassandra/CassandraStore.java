package io.kasper.cassandra;

import io.kasper.store.spi.MeteredStore;
import io.kasper.store.StoreException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link io.kasper.store.Store} in one Cassandra table {@code (key text PRIMARY KEY, value blob)}, over the Apache
 * Cassandra Java driver 4.19.
 *
 * <p><b>Layout:</b> one row per key; the empty key and keys starting with {@code ~} are stored with a {@code ~} in
 * front (Cassandra rejects empty partition keys). Values are blobs, any bytes.
 *
 * <p><b>Round trips:</b> {@code getAll} and {@code putAll} run one prepared single-partition statement per key,
 * asynchronously, with at most {@link CassandraStoreConfig#maxInFlight()} in flight: no sequential round trips, and no
 * multi-partition logged batch (which would funnel every key through one coordinator and the batch log). The writes of
 * a {@code putAll} are therefore not atomic: when one fails, others may be written; the first failure is reported,
 * as a {@link StoreException} that is retriable when the failure is transient (see {@link CassandraStoreConfig}).
 * Reads use {@link CassandraStoreConfig#readConsistency()}, writes and deletes
 * {@link CassandraStoreConfig#writeConsistency()}. Deleting an absent key writes a tombstone and is no error.
 *
 * <p><b>flush():</b> a no-op. A write returns once the replicas its consistency level requires acknowledged it, in
 * their commit logs; how often the commit log is synced to disk is the server's {@code commitlog_sync} setting, which
 * a client cannot trigger ({@code nodetool flush} writes memtables to SSTables and is an operator's tool).
 *
 * <p><b>Lifecycle and thread-safety:</b> the store owns its {@code CqlSession}, shared by all threads;
 * {@link #close()} closes it and removes the meters. Thread-safe.
 */
public final class CassandraStore extends MeteredStore {

    private final String table;
    private final CassandraBackend backend;

    private CassandraStore(CassandraStoreConfig config, CassandraBackend backend) {
        super("cassandra", config.name(), config.meterRegistry(), config.processor(), CassandraFailures::isTransient);
        this.table = config.table();
        this.backend = backend;
    }

    /**
     * Connects a store, creating its table when {@link CassandraStoreConfig#createTable()} is set, else checking that
     * it exists with the right columns.
     *
     * @param config the settings
     * @return the connected store; close it to close the session
     * @throws StoreException when Cassandra cannot be reached, the keyspace is missing, or the table cannot be created
     *         or is missing or wrong
     */
    public static CassandraStore create(CassandraStoreConfig config) {
        String description = "store '" + config.name() + "' (cassandra)";
        CassandraBackend backend;
        try {
            backend = CassandraBackend.connect(config);
        } catch (RuntimeException e) {
            throw new StoreException(description + " cannot connect to " + config.contactPoints() + " keyspace '"
                    + config.keyspace() + "': " + e, e);
        }
        try {
            if (config.createTable()) {
                backend.createTable(config.table());
            } else {
                backend.validateTable(config.table());
            }
        } catch (RuntimeException e) {
            backend.close();
            throw new StoreException(description + " cannot use table '" + config.table() + "': " + e.getMessage(), e);
        }
        return new CassandraStore(config, backend);
    }

    @Override
    protected byte[] doGet(String key) {
        return backend.get(List.of(table), List.of(key)).get(0);
    }

    @Override
    protected Map<String, byte[]> doGetAll(List<String> keys) {
        List<byte[]> values = backend.get(Collections.nCopies(keys.size(), table), keys);
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
        backend.put(List.of(table), List.of(key), List.of(value));
    }

    @Override
    protected void doPutAll(Map<String, byte[]> entries) {
        List<String> keys = new ArrayList<>(entries.keySet());
        List<byte[]> values = new ArrayList<>(keys.size());
        keys.forEach(key -> values.add(entries.get(key)));
        backend.put(Collections.nCopies(keys.size(), table), keys, values);
    }

    @Override
    protected void doDelete(String key) {
        backend.delete(table, key);
    }

    /** Does nothing (see the class comment). */
    @Override
    protected void doFlush() {
    }

    @Override
    protected void doClose() {
        backend.close();
    }
}
