package io.kasper.spring.boot;

import io.kasper.InvalidConfigException;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Registers a bean per configured processor ({@code kasperProcessor.<key>}) and per configured store (named by its
 * key), before any bean is created, so that application beans can inject the stores by name.
 *
 * <p>Thread-safety: used by Spring at start-up only.
 */
final class KasperBeanRegistrar implements BeanDefinitionRegistryPostProcessor {

    /** The prefix of a processor's lifecycle bean name. */
    static final String PROCESSOR_BEAN_PREFIX = "kasperProcessor.";

    private final Environment environment;

    KasperBeanRegistrar(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
        KasperProperties properties = Binder.get(environment).bind("kasper", KasperProperties.class)
                .orElseGet(() -> new KasperProperties(Map.of(), Map.of()));
        ListableBeanFactory beans = (ListableBeanFactory) registry;
        properties.processors().forEach((key, p) -> {
            RootBeanDefinition definition = new RootBeanDefinition(KasperProcessorLifecycle.class,
                    () -> new KasperProcessorLifecycle(key, p, beans.getBean(ProcessorConfigFactory.class),
                            beans.getBean(ProcessorLogic.class)));
            registry.registerBeanDefinition(PROCESSOR_BEAN_PREFIX + key, definition);
        });
        properties.stores().forEach((name, s) -> registry.registerBeanDefinition(name, store(name, s, beans)));
    }

    private static RootBeanDefinition store(String name, KasperProperties.Store s, ListableBeanFactory beans) {
        List<String> kinds = new ArrayList<>();
        if (s.redis() != null) {
            kinds.add("redis");
        }
        if (s.opensearch() != null) {
            kinds.add("opensearch");
        }
        if (s.cassandra() != null) {
            kinds.add("cassandra");
        }
        String where = "kasper.stores." + name;
        if (kinds.size() != 1) {
            throw new InvalidConfigException(where + " must set exactly one of redis, opensearch, cassandra, had "
                    + kinds);
        }
        String kind = kinds.get(0);
        requireAdapter(where, kind);
        Supplier<MeterRegistry> meters = () -> beans.getBeanProvider(MeterRegistry.class).getIfAvailable();
        return switch (kind) {
            case "redis" -> RedisStoreFactory.definition(where, name, s.redis(), meters);
            case "opensearch" -> OpenSearchStoreFactory.definition(where, name, s.opensearch(), meters);
            default -> CassandraStoreFactory.definition(where, name, s.cassandra(), meters);
        };
    }

    private static void requireAdapter(String where, String kind) {
        String[] adapter = switch (kind) {
            case "redis" -> new String[] {"io.kasper.redis.RedisStore", "kasper-redis"};
            case "opensearch" -> new String[] {"io.kasper.opensearch.OpenSearchStore", "kasper-opensearch"};
            default -> new String[] {"io.kasper.cassandra.CassandraStore", "kasper-cassandra"};
        };
        if (!ClassUtils.isPresent(adapter[0], KasperBeanRegistrar.class.getClassLoader())) {
            throw new InvalidConfigException(where + "." + kind + " needs the adapter module on the classpath: add "
                    + "the dependency io.kasper:" + adapter[1]);
        }
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        // Everything is registered in postProcessBeanDefinitionRegistry.
    }
}
