package io.kasper.spring.boot;

import io.kasper.redis.RedisStore;
import io.kasper.redis.RedisStoreConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;
import org.springframework.beans.factory.support.RootBeanDefinition;

/**
 * A {@link RedisStore} bean from {@code kasper.stores.<name>.redis.*}; loaded only when kasper-redis is present.
 *
 * <p>Thread-safety: stateless.
 */
final class RedisStoreFactory {

    private RedisStoreFactory() {
    }

    static RootBeanDefinition definition(String where, String name, KasperProperties.Redis p,
            Supplier<MeterRegistry> meters) {
        RedisStoreConfig.Builder b = RedisStoreConfig.builder().name(name).uri(p.uri())
                .prefix(p.prefix() != null ? p.prefix() : name);
        ProcessorConfigFactory.set(p.commandTimeout(), b::commandTimeout);
        ProcessorConfigFactory.set(p.connectTimeout(), b::connectTimeout);
        ProcessorConfigFactory.set(p.maxKeysPerCommand(), b::maxKeysPerCommand);
        ProcessorConfigFactory.set(p.flushReplicas(), b::flushReplicas);
        return StoreDefinitions.of(RedisStore.class, () -> {
            ProcessorConfigFactory.set(meters.get(), b::meterRegistry);
            return RedisStore.create(StoreDefinitions.build(where, b::build));
        });
    }
}
