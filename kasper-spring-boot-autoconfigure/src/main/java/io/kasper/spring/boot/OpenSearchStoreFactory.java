package io.kasper.spring.boot;

import io.kasper.opensearch.OpenSearchRefresh;
import io.kasper.opensearch.OpenSearchStore;
import io.kasper.opensearch.OpenSearchStoreConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;
import org.springframework.beans.factory.support.RootBeanDefinition;

/**
 * An {@link OpenSearchStore} bean from {@code kasper.stores.<name>.opensearch.*}; loaded only when kasper-opensearch
 * is present.
 *
 * <p>Thread-safety: stateless.
 */
final class OpenSearchStoreFactory {

    private OpenSearchStoreFactory() {
    }

    static RootBeanDefinition definition(String where, String name, KasperProperties.OpenSearch p,
            Supplier<MeterRegistry> meters) {
        OpenSearchStoreConfig.Builder b = OpenSearchStoreConfig.builder().name(name).uri(p.uri());
        if (p.username() != null || p.password() != null) {
            b.basicAuth(p.username(), p.password());
        }
        ProcessorConfigFactory.set(p.index(), b::index);
        if (p.refresh() != null) {
            b.refresh(StoreDefinitions.constant(where + ".opensearch.refresh", OpenSearchRefresh.class, p.refresh()));
        }
        ProcessorConfigFactory.set(p.requestTimeout(), b::requestTimeout);
        ProcessorConfigFactory.set(p.connectTimeout(), b::connectTimeout);
        ProcessorConfigFactory.set(p.manageIndices(), b::manageIndices);
        return StoreDefinitions.of(OpenSearchStore.class, () -> {
            ProcessorConfigFactory.set(meters.get(), b::meterRegistry);
            return OpenSearchStore.create(StoreDefinitions.build(where, b::build));
        });
    }
}
