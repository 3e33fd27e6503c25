package io.kasper.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import io.kasper.store.StoreException;
import io.kasper.test.CassandraServer;
import io.kasper.test.CassandraServerExtension;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** An unreachable node makes calls fail with a retriable StoreException; a statement the node rejects does not. */
@ExtendWith(CassandraServerExtension.class)
class CassandraFailureIT {

    private static CassandraServer cassandra;
    private static String table;

    @BeforeAll
    static void createTable(CassandraServer server) {
        cassandra = server;
        CassandraKeyspace.create(server);
        table = CassandraKeyspace.uniqueName("failures");
        // created once: schema changes are the slow part of these tests
        CassandraStore.create(config().createTable(true).build()).close();
    }

    @Test
    void unreachableNodeMakesCallsFailRetriably() {
        // the store reaches the node through a proxy that can vanish, so that the shared node survives this test
        try (TcpProxy proxy = TcpProxy.start(cassandra.host(), cassandra.port());
                CassandraStore store = CassandraStore.create(config().contactPoints(proxy.address()).build())) {
            store.put("k", new byte[] {1});

            proxy.close();

            StoreException write = storeFailure(() -> store.putAll(Map.of("a", new byte[] {1}, "b", new byte[0])));
            assertThat(write).hasMessageStartingWith("store 'counts' (cassandra) putAll of 2 keys failed: ");
            assertThat(write.isRetriable()).as("%s", write).isTrue();
            StoreException read = storeFailure(() -> store.getAll(List.of("k", "a")));
            assertThat(read).hasMessageStartingWith("store 'counts' (cassandra) getAll of 2 keys failed: ");
            assertThat(read.isRetriable()).as("%s", read).isTrue();
        }
    }

    @Test
    void statementTheNodeRejectsIsNotRetriable() {
        try (CassandraStore store = CassandraStore.create(config().build())) {
            // Cassandra limits partition keys to 65535 bytes and rejects the write as an invalid query
            StoreException failure = storeFailure(() -> store.put("k".repeat(70_000), new byte[] {1}));

            assertThat(failure).hasMessageStartingWith("store 'counts' (cassandra) put of 1 key failed: ")
                    .hasCauseInstanceOf(InvalidQueryException.class);
            assertThat(failure.isRetriable()).isFalse();
        }
    }

    private static CassandraStoreConfig.Builder config() {
        return CassandraKeyspace.config(cassandra, table).name("counts");
    }

    private static StoreException storeFailure(ThrowingCallable call) {
        Throwable failure = catchThrowable(call);
        assertThat(failure).isInstanceOf(StoreException.class);
        return (StoreException) failure;
    }
}
