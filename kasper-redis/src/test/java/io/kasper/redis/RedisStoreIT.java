package io.kasper.redis;

import io.kasper.store.MultiStore;
import io.kasper.store.Store;
import io.kasper.test.RedisServer;
import io.kasper.test.RedisServerExtension;
import io.kasper.test.store.AdapterContract;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.UUID;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RedisServerExtension.class)
class RedisStoreIT extends AdapterContract {

    private final RedisServer redis;

    RedisStoreIT(RedisServer redis) {
        this.redis = redis;
    }

    @Override
    protected Store createStore(String name) {
        return RedisStore.create(config(name));
    }

    @Override
    protected MultiStore createMultiStore(String name) {
        return RedisMultiStore.create(config(name));
    }

    /** A fresh prefix per store keeps allTenants() to this test's tenants on the shared server. */
    private RedisStoreConfig config(String name) {
        return RedisStoreConfig.builder().name(name).uri(redis.uri()).prefix("contract-" + UUID.randomUUID())
                .meterRegistry(new SimpleMeterRegistry()).build();
    }
}
