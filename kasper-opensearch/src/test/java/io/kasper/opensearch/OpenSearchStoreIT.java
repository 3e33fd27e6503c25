package io.kasper.opensearch;

import io.kasper.store.MultiStore;
import io.kasper.store.Store;
import io.kasper.test.OpenSearchServer;
import io.kasper.test.OpenSearchServerExtension;
import io.kasper.test.store.AdapterContract;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.UUID;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(OpenSearchServerExtension.class)
class OpenSearchStoreIT extends AdapterContract {

    private final OpenSearchServer openSearch;

    OpenSearchStoreIT(OpenSearchServer openSearch) {
        this.openSearch = openSearch;
    }

    @Override
    protected Store createStore(String name) {
        return OpenSearchStore.create(config(name));
    }

    @Override
    protected MultiStore createMultiStore(String name) {
        return OpenSearchMultiStore.create(config(name));
    }

    /** A fresh index (prefix) per store keeps allTenants() to this test's tenants on the shared node. */
    private OpenSearchStoreConfig config(String name) {
        return OpenSearchStoreConfig.builder().name(name).uri(openSearch.uri()).index("contract-" + UUID.randomUUID())
                .meterRegistry(new SimpleMeterRegistry()).build();
    }
}
