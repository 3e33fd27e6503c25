package io.kasper.redis;

import io.kasper.store.Store;
import io.kasper.test.RedisServer;
import io.kasper.test.RedisServerExtension;
import io.kasper.test.store.StoreContract;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RedisServerExtension.class)
class RedisStoreIT extends StoreContract {

    private static RedisServer redis;

    @BeforeAll
    static void useSharedServer(RedisServer server) {
        redis = server;
    }

    @Override
    protected Store createStore(String name) {
        return RedisStore.create(RedisStoreConfig.builder().name(name).uri(redis.uri())
                .prefix("contract-" + UUID.randomUUID()).meterRegistry(new SimpleMeterRegistry()).build());
    }
}
