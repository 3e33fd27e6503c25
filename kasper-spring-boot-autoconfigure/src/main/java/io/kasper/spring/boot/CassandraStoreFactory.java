package io.kasper.spring.boot;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import io.kasper.cassandra.CassandraStore;
import io.kasper.cassandra.CassandraStoreConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;
import org.springframework.beans.factory.support.RootBeanDefinition;

/**
 * A {@link CassandraStore} bean from {@code kasper.stores.<name>.cassandra.*}; loaded only when kasper-cassandra is
 * present.
 *
 * <p>Thread-safety: stateless.
 */
final class CassandraStoreFactory {

    private CassandraStoreFactory() {
    }

    static RootBeanDefinition definition(String where, String name, KasperProperties.Cassandra p,
            Supplier<MeterRegistry> meters) {
        CassandraStoreConfig.Builder b = CassandraStoreConfig.builder().name(name)
                .contactPoints(p.contactPoints().toArray(String[]::new));
        ProcessorConfigFactory.set(p.localDatacenter(), b::localDatacenter);
        if (p.username() != null || p.password() != null) {
            b.credentials(p.username(), p.password());
        }
        ProcessorConfigFactory.set(p.keyspace(), b::keyspace);
        ProcessorConfigFactory.set(p.table(), b::table);
        ProcessorConfigFactory.set(p.createTable(), b::createTable);
        if (p.readConsistency() != null) {
            b.readConsistency(StoreDefinitions.constant(where + ".cassandra.read-consistency",
                    DefaultConsistencyLevel.class, p.readConsistency()));
        }
        if (p.writeConsistency() != null) {
            b.writeConsistency(StoreDefinitions.constant(where + ".cassandra.write-consistency",
                    DefaultConsistencyLevel.class, p.writeConsistency()));
        }
        ProcessorConfigFactory.set(p.maxInFlight(), b::maxInFlight);
        ProcessorConfigFactory.set(p.requestTimeout(), b::requestTimeout);
        return StoreDefinitions.of(CassandraStore.class, () -> {
            ProcessorConfigFactory.set(meters.get(), b::meterRegistry);
            return CassandraStore.create(StoreDefinitions.build(where, b::build));
        });
    }
}
