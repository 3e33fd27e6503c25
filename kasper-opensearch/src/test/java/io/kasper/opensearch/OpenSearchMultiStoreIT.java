package io.kasper.opensearch;

import io.kasper.store.MultiStore;
import io.kasper.test.OpenSearchServer;
import io.kasper.test.OpenSearchServerExtension;
import io.kasper.test.store.MultiStoreContract;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(OpenSearchServerExtension.class)
class OpenSearchMultiStoreIT extends MultiStoreContract {

    private static OpenSearchServer openSearch;

    @BeforeAll
    static void useSharedServer(OpenSearchServer server) {
        openSearch = server;
    }

    @Override
    protected MultiStore createMultiStore(String name) {
        // a fresh prefix per test keeps allTenants() to this test's tenants on the shared node
        return OpenSearchMultiStore.create(OpenSearchStoreConfig.builder().name(name).uri(openSearch.uri())
                .index("contract-" + UUID.randomUUID()).meterRegistry(new SimpleMeterRegistry()).build());
    }
}
