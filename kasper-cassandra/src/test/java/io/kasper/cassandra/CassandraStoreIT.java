package io.kasper.cassandra;

import io.kasper.store.MultiStore;
import io.kasper.store.Store;
import io.kasper.test.CassandraServer;
import io.kasper.test.CassandraServerExtension;
import io.kasper.test.store.AdapterContract;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(CassandraServerExtension.class)
class CassandraStoreIT extends AdapterContract {

    private final CassandraServer cassandra;

    CassandraStoreIT(CassandraServer cassandra) {
        this.cassandra = cassandra;
    }

    @BeforeAll
    static void createKeyspace(CassandraServer server) {
        CassandraKeyspace.create(server);
    }

    @Override
    protected Store createStore(String name) {
        return CassandraStore.create(CassandraKeyspace.config(cassandra, CassandraKeyspace.uniqueName("s"))
                .name(name).createTable(true).build());
    }

    @Override
    protected MultiStore createMultiStore(String name) {
        // a fresh table prefix per test keeps allTenants() to this test's tenants
        return CassandraMultiStore.create(CassandraKeyspace.config(cassandra, CassandraKeyspace.uniqueName("m"))
                .name(name).build());
    }
}
