package io.kasper.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kasper.KasperMetrics;
import io.kasper.store.Store;
import io.kasper.store.StoreException;
import io.kasper.test.RedisServer;
import io.lettuce.core.RedisCommandTimeoutException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A dead, hung or unreachable Redis makes calls fail with a StoreException within the timeouts, never hang. */
class RedisFailureIT {

    private static final Duration COMMAND_TIMEOUT = Duration.ofMillis(1000);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private RedisServer redis;
    private Store store;

    @BeforeEach
    void start() {
        redis = RedisServer.start();
        store = RedisStore.create(RedisStoreConfig.builder().name("counts").uri(redis.uri()).prefix("counts")
                .commandTimeout(COMMAND_TIMEOUT).connectTimeout(Duration.ofSeconds(2)).meterRegistry(registry)
                .build());
    }

    @AfterEach
    void stop() {
        store.close();
        redis.close();
    }

    @Test
    void serverKilledMidCallFailsTheCallWithStoreExceptionNamingStoreOperationAndKeyCount() throws Exception {
        List<String> keys = IntStream.range(0, 1200).mapToObj(i -> "k" + i).toList();
        store.putAll(values(keys));
        redis.pause();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long started = System.nanoTime();
        Thread caller = new Thread(() -> {
            try {
                store.getAll(keys);
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        caller.start();
        // the caller waits for the reply once its MGET is handed to the connection: then the call is in flight
        await().atMost(Duration.ofSeconds(5)).until(() -> caller.getState() == Thread.State.TIMED_WAITING);

        redis.kill();
        caller.join(Duration.ofSeconds(10).toMillis());

        assertThat(caller.isAlive()).as("call still running 10 s after the kill").isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(COMMAND_TIMEOUT.plusSeconds(3));
        assertThat(failure.get()).isInstanceOf(StoreException.class)
                .hasMessageStartingWith("store 'counts' (redis) getAll of 1200 keys failed: ");
        assertThat(registry.get(KasperMetrics.STORE_ERRORS).tag("operation", "getAll").counter().count())
                .isEqualTo(1);
    }

    @Test
    void hungServerFailsCallsAtTheCommandTimeout() {
        redis.pause();
        long started = System.nanoTime();

        assertThatThrownBy(() -> store.putAll(Map.of("a", new byte[] {1}, "b", new byte[] {2})))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("store 'counts' (redis) putAll of 2 keys failed: "
                        + "RedisCommandTimeoutException: ")
                .hasCauseInstanceOf(RedisCommandTimeoutException.class);

        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        assertThat(elapsed).isBetween(COMMAND_TIMEOUT.minusMillis(100), COMMAND_TIMEOUT.plusSeconds(2));
        redis.resume();
    }

    @Test
    void storeReconnectsAfterTheServerRestarts() {
        store.put("k", new byte[] {1});
        redis.kill();
        assertThatThrownBy(() -> store.get("k")).isInstanceOf(StoreException.class)
                .hasMessageStartingWith("store 'counts' (redis) get of 1 key failed: ");

        redis.restart();

        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .untilAsserted(() -> store.put("k", new byte[] {2}));
        assertThat(store.get("k")).containsExactly(2);
    }

    @Test
    void unreachableServerFailsCreateWithStoreExceptionNamingStoreAndAddress() {
        String uri = redis.uri();
        redis.kill();

        assertThatThrownBy(() -> RedisStore.create(RedisStoreConfig.builder().name("orders").uri(uri)
                        .prefix("orders").connectTimeout(Duration.ofSeconds(1)).build()))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("store 'orders' (redis) cannot connect to 127.0.0.1:" + redis.port() + ": ");
    }

    @Test
    void flushWithReplicasRequiredFailsOnAServerWithoutReplicas() {
        try (Store durable = RedisStore.create(RedisStoreConfig.builder().name("durable").uri(redis.uri())
                .prefix("durable").flushReplicas(1).commandTimeout(Duration.ofMillis(500))
                .meterRegistry(registry).build())) {
            durable.put("k", new byte[] {1});

            assertThatThrownBy(durable::flush).isInstanceOf(StoreException.class)
                    .hasMessage("store 'durable' (redis) flush failed: IllegalStateException: "
                            + "only 0 of 1 replicas acknowledged the writes within 250 ms");
        }
    }

    @Test
    void flushWithoutReplicasIsANoOpThatSucceeds() {
        store.put("k", new byte[] {1});
        store.flush();
        assertThat(registry.get(KasperMetrics.STORE_CALLS).tag("operation", "flush").counter().count()).isEqualTo(1);
    }

    private static Map<String, byte[]> values(List<String> keys) {
        Map<String, byte[]> values = new HashMap<>();
        keys.forEach(key -> values.put(key, key.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return values;
    }
}
