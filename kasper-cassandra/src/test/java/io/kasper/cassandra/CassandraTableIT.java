package io.kasper.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.kasper.store.StoreException;
import io.kasper.test.CassandraServer;
import io.kasper.test.CassandraServerExtension;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Table validation, and the driver running on the parent's Netty 4.2 rather than the 4.1 it was built on. */
@ExtendWith(CassandraServerExtension.class)
class CassandraTableIT {

    private static CassandraServer cassandra;

    @BeforeAll
    static void useSharedServer(CassandraServer server) {
        cassandra = server;
        CassandraKeyspace.create(server);
    }

    @Test
    void missingTableIsRejectedUnlessCreationIsAsked() {
        String table = CassandraKeyspace.uniqueName("missing");
        assertThatThrownBy(() -> CassandraStore.create(CassandraKeyspace.config(cassandra, table).build()))
                .isInstanceOf(StoreException.class)
                .hasMessage("store 'contract' (cassandra) cannot use table '" + table + "': table "
                        + CassandraKeyspace.NAME + "." + table + " does not exist (set createTable to create it)");
    }

    @Test
    void tableWithOtherColumnsIsRejected() {
        String table = CassandraKeyspace.uniqueName("wrong");
        cql("CREATE TABLE " + CassandraKeyspace.NAME + "." + table + " (key text PRIMARY KEY, value text)");

        assertThatThrownBy(() -> CassandraStore.create(CassandraKeyspace.config(cassandra, table).build()))
                .isInstanceOf(StoreException.class)
                .hasMessage("store 'contract' (cassandra) cannot use table '" + table + "': table "
                        + CassandraKeyspace.NAME + "." + table + " must be (key text PRIMARY KEY, value blob), "
                        + "has columns [key text, value text] and partition key [key]");
    }

    @Test
    void existingTableOfTheRightShapeIsUsedAsIs() {
        String table = CassandraKeyspace.uniqueName("existing");
        cql("CREATE TABLE " + CassandraKeyspace.NAME + "." + table + " (key text PRIMARY KEY, value blob)");
        cql("INSERT INTO " + CassandraKeyspace.NAME + "." + table + " (key, value) VALUES ('k', 0x7631)");

        try (CassandraStore store = CassandraStore.create(CassandraKeyspace.config(cassandra, table).build())) {
            assertThat(store.get("k")).isEqualTo("v1".getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void driverRunsOnTheNetty42OfTheParentBom() {
        String table = CassandraKeyspace.uniqueName("netty");
        try (CassandraStore store = CassandraStore.create(CassandraKeyspace.config(cassandra, table)
                .createTable(true).build())) {
            store.put("k", new byte[] {1});
            assertThat(store.get("k")).containsExactly(1);
        }
        assertThat(io.netty.util.Version.identify().get("netty-common").artifactVersion()).startsWith("4.2.");
    }

    private static void cql(String statement) {
        try (CqlSession session = CqlSession.builder()
                .addContactPoint(InetSocketAddress.createUnresolved(cassandra.host(), cassandra.port()))
                .withLocalDatacenter(cassandra.localDatacenter()).build()) {
            session.execute(SimpleStatement.newInstance(statement).setTimeout(Duration.ofSeconds(30)));
        }
    }
}
