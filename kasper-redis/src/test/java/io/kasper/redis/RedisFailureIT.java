package io.kasper.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
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
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
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
        assertThat(((StoreException) failure.get()).isRetriable()).isTrue();
        assertThat(registry.get(KasperMetrics.STORE_ERRORS).tag("operation", "getAll").counter().count())
                .isEqualTo(1);
    }

    @Test
    void hungServerFailsCallsAtTheCommandTimeout() {
        redis.pause();
        long started = System.nanoTime();

        StoreException failure = storeFailure(() -> store.putAll(Map.of("a", new byte[] {1}, "b", new byte[] {2})));

        assertThat(failure).hasMessageStartingWith("store 'counts' (redis) putAll of 2 keys failed: "
                        + "RedisCommandTimeoutException: ")
                .hasCauseInstanceOf(RedisCommandTimeoutException.class);
        assertThat(failure.isRetriable()).isTrue();

        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        assertThat(elapsed).isBetween(COMMAND_TIMEOUT.minusMillis(100), COMMAND_TIMEOUT.plusSeconds(2));
        redis.resume();
    }

    @Test
    void serverDownFailsCallsRetriablyAndTheStoreRecoversByItselfAfterARestartOnTheSamePort() {
        store.put("before", new byte[] {1});
        redis.kill();

        // the connection is lost: Lettuce queues the command until it reconnects, here until the command timeout
        StoreException down = storeFailure(() -> store.putAll(Map.of("a", new byte[] {1}, "b", new byte[] {2})));
        assertThat(down).hasMessageStartingWith("store 'counts' (redis) putAll of 2 keys failed: "
                + "RedisCommandTimeoutException: ").hasCauseInstanceOf(RedisCommandTimeoutException.class);
        assertThat(down.isRetriable()).isTrue();
        assertThat(storeFailure(() -> store.getAll(List.of("a", "b"))).isRetriable()).isTrue();

        redis.restart();
        long restarted = System.nanoTime();
        await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                .ignoreException(StoreException.class)
                .until(() -> {
                    store.putAll(Map.of("after", new byte[] {2}));
                    return true;
                });
        Duration recovery = Duration.ofNanos(System.nanoTime() - restarted);
        System.out.printf("redis store recovered %d ms after redis-server answered PING again%n",
                recovery.toMillis());

        // "before" died with the unpersisted server: the store talks to the new process
        Map<String, byte[]> read = store.getAll(List.of("before", "after"));
        assertThat(read).containsOnlyKeys("after");
        assertThat(read.get("after")).containsExactly(2);
        // the reconnect delay is capped at 1 s; the rest is slack for a busy machine
        assertThat(recovery).isLessThan(RedisBackend.RECONNECT_DELAY_MAX.plusSeconds(2));
    }

    @Test
    void wrongTypeReplyIsNotRetriable() {
        redis.command("HSET", "counts/k", "field", "value");

        StoreException failure = storeFailure(() -> store.get("k"));

        assertThat(failure).hasMessageStartingWith("store 'counts' (redis) get of 1 key failed: "
                + "RedisCommandExecutionException: WRONGTYPE ");
        assertThat(failure.isRetriable()).isFalse();
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

            StoreException failure = storeFailure(durable::flush);

            assertThat(failure).hasMessage("store 'durable' (redis) flush failed: "
                    + "only 0 of 1 replicas acknowledged the writes within 250 ms");
            assertThat(failure.isRetriable()).as("replicas may catch up").isTrue();
        }
    }

    @Test
    void flushWithoutReplicasIsANoOpThatSucceeds() {
        store.put("k", new byte[] {1});
        store.flush();
        assertThat(registry.get(KasperMetrics.STORE_CALLS).tag("operation", "flush").counter().count()).isEqualTo(1);
    }

    private static StoreException storeFailure(ThrowingCallable call) {
        Throwable failure = catchThrowable(call);
        assertThat(failure).isInstanceOf(StoreException.class);
        return (StoreException) failure;
    }

    private static Map<String, byte[]> values(List<String> keys) {
        Map<String, byte[]> values = new HashMap<>();
        keys.forEach(key -> values.put(key, key.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return values;
    }
}
