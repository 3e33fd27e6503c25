package io.kasper.cassandra;

import io.kasper.store.Store;
import io.kasper.test.CassandraServer;
import io.kasper.test.CassandraServerExtension;
import io.kasper.test.store.StoreContract;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(CassandraServerExtension.class)
class CassandraStoreIT extends StoreContract {

    private static CassandraServer cassandra;

    @BeforeAll
    static void useSharedServer(CassandraServer server) {
        cassandra = server;
        CassandraKeyspace.create(server);
    }

    @Override
    protected Store createStore(String name) {
        return CassandraStore.create(CassandraKeyspace.config(cassandra, CassandraKeyspace.uniqueName("s"))
                .name(name).createTable(true).build());
    }
}
