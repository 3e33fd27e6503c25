package io.kasper.opensearch;

import io.kasper.store.Store;
import io.kasper.test.OpenSearchServer;
import io.kasper.test.OpenSearchServerExtension;
import io.kasper.test.store.StoreContract;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(OpenSearchServerExtension.class)
class OpenSearchStoreIT extends StoreContract {

    private static OpenSearchServer openSearch;

    @BeforeAll
    static void useSharedServer(OpenSearchServer server) {
        openSearch = server;
    }

    @Override
    protected Store createStore(String name) {
        return OpenSearchStore.create(OpenSearchStoreConfig.builder().name(name).uri(openSearch.uri())
                .index("contract-" + UUID.randomUUID()).meterRegistry(new SimpleMeterRegistry()).build());
    }
}
