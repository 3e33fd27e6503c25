package io.kasper.cassandra;

import io.kasper.store.MultiStore;
import io.kasper.test.CassandraServer;
import io.kasper.test.CassandraServerExtension;
import io.kasper.test.store.MultiStoreContract;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(CassandraServerExtension.class)
class CassandraMultiStoreIT extends MultiStoreContract {

    private static CassandraServer cassandra;

    @BeforeAll
    static void useSharedServer(CassandraServer server) {
        cassandra = server;
        CassandraKeyspace.create(server);
    }

    @Override
    protected MultiStore createMultiStore(String name) {
        // a fresh table prefix per test keeps allTenants() to this test's tenants
        return CassandraMultiStore.create(CassandraKeyspace.config(cassandra, CassandraKeyspace.uniqueName("m"))
                .name(name).build());
    }
}
