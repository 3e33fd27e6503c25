package io.kasper.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.metadata.schema.ColumnMetadata;
import com.datastax.oss.driver.api.core.metadata.schema.KeyspaceMetadata;
import com.datastax.oss.driver.api.core.metadata.schema.TableMetadata;
import com.datastax.oss.driver.api.core.type.DataTypes;
import io.kasper.store.StoreException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The CQL of the Cassandra stores: one prepared statement per key, executed asynchronously with at most
 * {@link CassandraStoreConfig#maxInFlight()} in flight per bulk call (no sequential round trips, no multi-partition
 * batches), plus table creation, validation and listing.
 *
 * <p>Owns its {@link CqlSession}. Thread-safe: the session is, and prepared statements are cached in a concurrent map.
 */
final class CassandraBackend implements AutoCloseable {

    private static final Duration SCHEMA_TIMEOUT = Duration.ofSeconds(30);

    private final CqlSession session;
    private final CassandraStoreConfig config;
    private final Map<String, Statements> statements = new ConcurrentHashMap<>();
    private final BoundedRunner runner;

    private CassandraBackend(CqlSession session, CassandraStoreConfig config) {
        this.session = session;
        this.config = config;
        this.runner = new BoundedRunner(config.maxInFlight());
    }

    /**
     * Opens a session on the config's keyspace.
     *
     * @throws RuntimeException (the driver's) when no contact point can be reached or the keyspace is missing
     */
    static CassandraBackend connect(CassandraStoreConfig config) {
        DriverConfigLoader loader = DriverConfigLoader.programmaticBuilder()
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, config.requestTimeout())
                .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, SCHEMA_TIMEOUT)
                .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, SCHEMA_TIMEOUT)
                // close() comes after the last request: no need for Netty's default 2 s quiet period
                .withInt(DefaultDriverOption.NETTY_IO_SHUTDOWN_QUIET_PERIOD, 0)
                .withInt(DefaultDriverOption.NETTY_ADMIN_SHUTDOWN_QUIET_PERIOD, 0)
                .build();
        CqlSessionBuilder builder = CqlSession.builder().withConfigLoader(loader)
                .addContactPoints(config.contactPoints()).withLocalDatacenter(config.localDatacenter())
                .withKeyspace(config.keyspace());
        if (config.username() != null) {
            builder.withAuthCredentials(config.username(), config.password());
        }
        return new CassandraBackend(builder.build(), config);
    }

    /** Creates a table {@code (key text PRIMARY KEY, value blob)} unless it exists. */
    void createTable(String table) {
        session.execute(SimpleStatement.newInstance("CREATE TABLE IF NOT EXISTS " + table
                + " (key text PRIMARY KEY, value blob)").setTimeout(SCHEMA_TIMEOUT));
    }

    /**
     * Checks that a table exists with a text partition key {@code key} and a blob column {@code value}.
     *
     * @throws StoreException naming what is missing or wrong
     */
    void validateTable(String table) {
        TableMetadata metadata = table(table).orElseThrow(() -> new StoreException("table " + config.keyspace() + "."
                + table + " does not exist (set createTable to create it)"));
        List<ColumnMetadata> key = metadata.getPartitionKey();
        Optional<ColumnMetadata> value = metadata.getColumn("value");
        if (key.size() != 1 || !key.get(0).getName().asInternal().equals("key")
                || !key.get(0).getType().equals(DataTypes.TEXT) || value.isEmpty()
                || !value.get().getType().equals(DataTypes.BLOB)) {
            List<String> columns = new ArrayList<>();
            metadata.getColumns().values().forEach(column -> columns.add(column.getName().asInternal() + " "
                    + column.getType().asCql(false, true)));
            List<String> partitionKey = new ArrayList<>();
            key.forEach(column -> partitionKey.add(column.getName().asInternal()));
            throw new StoreException("table " + config.keyspace() + "." + table + " must be (key text PRIMARY KEY, "
                    + "value blob), has columns " + columns + " and partition key " + partitionKey);
        }
    }

    /** Returns whether the table exists in the driver's schema metadata. */
    boolean tableExists(String table) {
        return table(table).isPresent();
    }

    /** Returns the tables of the keyspace whose names start with a prefix. */
    Set<String> tables(String prefix) {
        Set<String> names = new TreeSet<>();
        session.getMetadata().getKeyspace(config.keyspace()).map(KeyspaceMetadata::getTables)
                .ifPresent(tables -> tables.keySet().forEach(id -> {
                    if (id.asInternal().startsWith(prefix)) {
                        names.add(id.asInternal());
                    }
                }));
        return names;
    }

    /** Returns whether a table holds at least one live row. */
    boolean hasRows(String table) {
        return session.execute(SimpleStatement.newInstance("SELECT key FROM " + table + " LIMIT 1")
                .setConsistencyLevel(config.readConsistency())).one() != null;
    }

    /**
     * Reads keys of tables concurrently, at most maxInFlight at a time.
     *
     * @param tables the table of each key
     * @param keys the keys
     * @return the values in the order of the keys, null where absent
     */
    List<byte[]> get(List<String> tables, List<String> keys) {
        List<byte[]> values = runner.run(keys.size(), i -> session.executeAsync(statements(tables.get(i)).select
                .bind(CassandraNames.rowKey(keys.get(i))).setConsistencyLevel(config.readConsistency()))
                .thenApply(CassandraBackend::value));
        return values;
    }

    /**
     * Writes values concurrently, at most maxInFlight at a time.
     *
     * @param tables the table of each key
     * @param keys the keys
     * @param values the values
     */
    void put(List<String> tables, List<String> keys, List<byte[]> values) {
        runner.run(keys.size(), i -> session.executeAsync(statements(tables.get(i)).insert
                .bind(CassandraNames.rowKey(keys.get(i)), ByteBuffer.wrap(values.get(i).clone()))
                .setConsistencyLevel(config.writeConsistency())).thenApply(done -> null));
    }

    /** Deletes one key (a tombstone: deleting an absent key is no error). */
    void delete(String table, String key) {
        session.execute(statements(table).delete.bind(CassandraNames.rowKey(key))
                .setConsistencyLevel(config.writeConsistency()));
    }

    @Override
    public void close() {
        session.close();
    }

    private Statements statements(String table) {
        return statements.computeIfAbsent(table, name -> new Statements(
                session.prepare("SELECT value FROM " + name + " WHERE key = ?"),
                session.prepare("INSERT INTO " + name + " (key, value) VALUES (?, ?)"),
                session.prepare("DELETE FROM " + name + " WHERE key = ?")));
    }

    private Optional<TableMetadata> table(String table) {
        return session.getMetadata().getKeyspace(config.keyspace()).flatMap(keyspace -> keyspace.getTable(table));
    }

    private static byte[] value(AsyncResultSet result) {
        Row row = result.one();
        if (row == null) {
            return null;
        }
        ByteBuffer buffer = row.getByteBuffer(0);
        if (buffer == null) {
            return new byte[0];
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    /** The prepared statements of one table. */
    private record Statements(PreparedStatement select, PreparedStatement insert, PreparedStatement delete) {
    }
}
