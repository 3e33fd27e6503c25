package io.kasper.examples.readme;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import io.kasper.cassandra.CassandraStore;
import io.kasper.cassandra.CassandraStoreConfig;
import io.kasper.opensearch.OpenSearchRefresh;
import io.kasper.opensearch.OpenSearchStore;
import io.kasper.opensearch.OpenSearchStoreConfig;
import io.kasper.redis.RedisStore;
import io.kasper.redis.RedisStoreConfig;
import io.kasper.store.Codec;
import io.kasper.store.Store;
import io.kasper.store.TypedStore;
import io.kasper.test.RedisServer;
import io.kasper.test.RedisServerExtension;
import io.kasper.test.store.StoreContract;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The README's store blocks, compiled; the store adapters' own ITs run the same calls against real servers.
 * {@link ReadmeSnippetsTest} keeps the README equal to them.
 */
final class StoreSnippets {

    private StoreSnippets() {
    }

    static void redis(MeterRegistry registry, Collection<String> userIds, Map<String, Long> updated) {
        // tag::redis-store[]
        RedisStoreConfig config = RedisStoreConfig.builder()
                .name("counts").uri("redis://127.0.0.1:6379/0").prefix("counts")   // keys: counts/{key}
                .commandTimeout(Duration.ofSeconds(2)).meterRegistry(registry).processor("orders")
                .build();
        try (RedisStore store = RedisStore.create(config)) {
            TypedStore<Long> counts = new TypedStore<>(store, Codec.int64());
            Map<String, Long> current = counts.getAll(userIds);                    // one MGET
            counts.putAll(updated);                                                // one MSET
        }
        // end::redis-store[]
    }

    static void openSearch(String secret, MeterRegistry registry, Collection<String> userIds,
            Map<String, byte[]> updated) {
        // tag::opensearch-store[]
        OpenSearchStoreConfig config = OpenSearchStoreConfig.builder()
                .name("profiles").uri("http://127.0.0.1:9200").index("profiles") // one index; documents by id
                .basicAuth("kasper", secret)                                     // optional
                .refresh(OpenSearchRefresh.FALSE)                                // default: reads by id are real-time
                .meterRegistry(registry).processor("orders")
                .build();
        try (OpenSearchStore store = OpenSearchStore.create(config)) {      // creates the index unless it exists
            Map<String, byte[]> current = store.getAll(userIds);            // one _mget
            store.putAll(updated);                                          // one _bulk
        }
        // end::opensearch-store[]
    }

    static void cassandra(Map<String, byte[]> updated) {
        // tag::cassandra-store[]
        CassandraStoreConfig config = CassandraStoreConfig.builder()
                .name("counts").contactPoints("10.0.0.1:9042", "10.0.0.2:9042").localDatacenter("dc1")
                .keyspace("kasper").table("counts")                        // (key text PRIMARY KEY, value blob)
                .createTable(true)                                          // default false: the table is validated
                .readConsistency(DefaultConsistencyLevel.LOCAL_QUORUM)      // the defaults
                .writeConsistency(DefaultConsistencyLevel.LOCAL_QUORUM)
                .maxInFlight(128)                                           // statements in flight per bulk call
                .build();
        try (CassandraStore store = CassandraStore.create(config)) {       // owns its CqlSession
            store.putAll(updated);                                          // one statement per key, in parallel
        }
        // end::cassandra-store[]
    }

    // tag::store-contract[]
    @ExtendWith(RedisServerExtension.class)       // one real redis-server shared by the test run
    class RedisStoreIT extends StoreContract {
        private static RedisServer redis;
        @BeforeAll static void server(RedisServer server) { redis = server; }
        @Override protected Store createStore(String name) {
            return RedisStore.create(RedisStoreConfig.builder().name(name).uri(redis.uri())
                    .prefix(UUID.randomUUID().toString()).build());
        }
    }
    // end::store-contract[]
}
