package io.kasper.examples.demo;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.kasper.cassandra.CassandraStore;
import io.kasper.cassandra.CassandraStoreConfig;
import io.kasper.opensearch.OpenSearchStore;
import io.kasper.opensearch.OpenSearchStoreConfig;
import io.kasper.redis.RedisStore;
import io.kasper.redis.RedisStoreConfig;
import io.kasper.store.Codec;
import io.kasper.store.memory.InMemoryStore;
import io.kasper.store.Store;
import io.kasper.store.TypedStore;
import io.kasper.test.CassandraServer;
import io.kasper.test.OpenSearchServer;
import io.kasper.test.RedisServer;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The store the word-count demo keeps its counts in, chosen by {@code --store}: in memory, or a real Redis,
 * OpenSearch or Cassandra — the one at {@code --store-url} or, without it, a server started for the run and stopped
 * by {@link #close()}.
 *
 * <p>Thread-safety: not thread-safe; created, used and closed by the demo's main thread.
 */
final class DemoStore implements AutoCloseable {

    /** The kinds of store the demo knows. */
    enum Kind { memory, redis, opensearch, cassandra }

    private final List<AutoCloseable> owned = new ArrayList<>();
    private final Store store;
    private final TypedStore<Long> counts;

    private DemoStore(Kind kind, String url, String namespace, PrintWriter out) {
        Store created;
        try {
            created = switch (kind) {
                case memory -> new InMemoryStore("word-counts");
                case redis -> redis(url, namespace, out);
                case opensearch -> openSearch(url, namespace, out);
                case cassandra -> cassandra(url, namespace, out);
            };
        } catch (RuntimeException e) {
            closeOwned();
            throw e;
        }
        this.store = created;
        this.counts = new TypedStore<>(store, Codec.int64());
    }

    /**
     * Opens the store.
     *
     * @param kind which store
     * @param url where it runs (a redis:// URI, an http:// URI, or Cassandra's host:port), or null to start one
     * @param namespace distinguishes this run's keys, index or table from other runs'
     * @param out receives a line saying where the counts live
     * @return the open store; close it to close the store and stop a server started for it
     * @throws io.kasper.KasperException when the store cannot be reached or set up
     */
    static DemoStore open(Kind kind, String url, String namespace, PrintWriter out) {
        return new DemoStore(kind, url, namespace, out);
    }

    /** Returns the counts: 8-byte big-endian longs keyed by word. */
    TypedStore<Long> counts() {
        return counts;
    }

    private <T extends AutoCloseable> T own(T resource) {
        owned.add(0, resource);
        return resource;
    }

    private Store redis(String url, String namespace, PrintWriter out) {
        String uri = url != null ? url : own(RedisServer.start()).uri();
        out.println("Counts kept in Redis at " + uri + " under keys " + namespace + "/{word}");
        return RedisStore.create(RedisStoreConfig.builder().name("word-counts").uri(uri).prefix(namespace).build());
    }

    private Store openSearch(String url, String namespace, PrintWriter out) {
        String uri = url != null ? url : own(OpenSearchServer.start()).uri();
        String index = namespace.toLowerCase(Locale.ROOT);
        out.println("Counts kept in OpenSearch at " + uri + ", index " + index);
        return OpenSearchStore.create(OpenSearchStoreConfig.builder().name("word-counts").uri(uri).index(index)
                .build());
    }

    private Store cassandra(String url, String namespace, PrintWriter out) {
        String contactPoint = url;
        String datacenter = "datacenter1";
        if (contactPoint == null) {
            CassandraServer server = own(CassandraServer.start());
            contactPoint = server.contactPoint();
            datacenter = server.localDatacenter();
        }
        String keyspace = "kasper_demo";
        createKeyspace(contactPoint, datacenter, keyspace);
        String table = namespace.replaceAll("[^A-Za-z0-9_]", "_").toLowerCase(Locale.ROOT);
        out.println("Counts kept in Cassandra at " + contactPoint + ", table " + keyspace + "." + table);
        return CassandraStore.create(CassandraStoreConfig.builder().name("word-counts")
                .contactPoints(contactPoint).localDatacenter(datacenter).keyspace(keyspace).table(table)
                .createTable(true).build());
    }

    /** The demo's keyspace, replicated once: enough for a demo, not for production. */
    private static void createKeyspace(String contactPoint, String datacenter, String keyspace) {
        int colon = contactPoint.lastIndexOf(':');
        InetSocketAddress address = InetSocketAddress.createUnresolved(contactPoint.substring(0, colon),
                Integer.parseInt(contactPoint.substring(colon + 1)));
        try (CqlSession session = CqlSession.builder().addContactPoint(address).withLocalDatacenter(datacenter)
                .build()) {
            session.execute(SimpleStatement.newInstance("CREATE KEYSPACE IF NOT EXISTS " + keyspace
                    + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}")
                    .setTimeout(Duration.ofSeconds(30)));
        }
    }

    @Override
    public void close() {
        try {
            store.close();
        } finally {
            closeOwned();
        }
    }

    private void closeOwned() {
        for (AutoCloseable resource : owned) {
            try {
                resource.close();
            } catch (Exception e) {
                System.err.println("cannot stop " + resource + ": " + e);
            }
        }
        owned.clear();
    }
}
