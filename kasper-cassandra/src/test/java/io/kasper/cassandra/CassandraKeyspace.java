package io.kasper.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.kasper.test.CassandraServer;
import java.net.InetSocketAddress;
import java.time.Duration;

/** Creates the test keyspace on the shared node (SimpleStrategy, replication factor 1). Thread-safe (stateless). */
final class CassandraKeyspace {

    static final String NAME = "kasper_it";

    private CassandraKeyspace() {
    }

    static void create(CassandraServer cassandra) {
        try (CqlSession session = CqlSession.builder()
                .addContactPoint(InetSocketAddress.createUnresolved(cassandra.host(), cassandra.port()))
                .withLocalDatacenter(cassandra.localDatacenter()).build()) {
            session.execute(SimpleStatement.newInstance("CREATE KEYSPACE IF NOT EXISTS " + NAME + " WITH replication = "
                    + "{'class': 'SimpleStrategy', 'replication_factor': 1}").setTimeout(Duration.ofSeconds(30)));
        }
    }

    static CassandraStoreConfig.Builder config(CassandraServer cassandra, String table) {
        return CassandraStoreConfig.builder().name("contract").contactPoints(cassandra.contactPoint())
                .localDatacenter(cassandra.localDatacenter()).keyspace(NAME).table(table)
                .meterRegistry(new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    }

    static String uniqueName(String start) {
        return start + Long.toHexString(System.nanoTime()) + Integer.toHexString((int) (Math.random() * 0xfff));
    }
}
