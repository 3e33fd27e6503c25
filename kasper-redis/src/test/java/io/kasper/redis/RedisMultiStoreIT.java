package io.kasper.redis;

import io.kasper.store.MultiStore;
import io.kasper.test.RedisServer;
import io.kasper.test.RedisServerExtension;
import io.kasper.test.store.MultiStoreContract;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RedisServerExtension.class)
class RedisMultiStoreIT extends MultiStoreContract {

    private static RedisServer redis;

    @BeforeAll
    static void useSharedServer(RedisServer server) {
        redis = server;
    }

    @Override
    protected MultiStore createMultiStore(String name) {
        // a fresh prefix per test keeps allTenants() to this test's tenants on the shared server
        return RedisMultiStore.create(RedisStoreConfig.builder().name(name).uri(redis.uri())
                .prefix("contract-" + UUID.randomUUID()).meterRegistry(new SimpleMeterRegistry()).build());
    }
}
