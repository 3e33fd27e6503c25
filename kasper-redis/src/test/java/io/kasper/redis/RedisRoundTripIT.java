package io.kasper.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.kasper.store.MultiStore;
import io.kasper.store.Store;
import io.kasper.store.TenantKey;
import io.kasper.store.TenantMap;
import io.kasper.test.RedisMonitor;
import io.kasper.test.RedisServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Proves that bulk calls are one command (one round trip), from the server's own statistics and MONITOR. */
class RedisRoundTripIT {

    private static final int KEYS = 10_000;

    // a server of its own: INFO commandstats is server-wide
    private static RedisServer redis;

    @BeforeAll
    static void startServer() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopServer() {
        redis.close();
    }

    @Test
    void getAllAndPutAllOfTenThousandKeysAreOneMgetAndOneMset() {
        try (Store store = RedisStore.create(config("single").build())) {
            Map<String, byte[]> entries = entries();

            resetStats();
            store.putAll(entries);
            assertThat(dataCommandCalls()).containsExactly(Map.entry("mset", 1L));

            resetStats();
            Map<String, byte[]> found = store.getAll(entries.keySet());
            assertThat(found).hasSize(KEYS);
            assertThat(dataCommandCalls()).containsExactly(Map.entry("mget", 1L));
        }
    }

    @Test
    void fetchAndPushAcrossTenantsAreOneMgetAndOneMset() {
        try (MultiStore store = RedisMultiStore.create(config("multi").build())) {
            TenantMap entries = new TenantMap();
            List<TenantKey> keys = new ArrayList<>();
            IntStream.range(0, KEYS).forEach(i -> {
                TenantKey key = new TenantKey("tenant-" + (i % 13), "k" + i);
                entries.put(key, ("v" + i).getBytes(StandardCharsets.UTF_8));
                keys.add(key);
            });

            resetStats();
            store.push(entries);
            assertThat(dataCommandCalls()).containsExactly(Map.entry("mset", 1L));

            resetStats();
            assertThat(store.fetch(keys).size()).isEqualTo(KEYS);
            assertThat(dataCommandCalls()).containsExactly(Map.entry("mget", 1L));
        }
    }

    @Test
    void monitorSeesExactlyOneCommandPerBulkCall() {
        try (Store store = RedisStore.create(config("monitored").build()); RedisMonitor monitor = redis.monitor()) {
            Map<String, byte[]> entries = entries();

            store.putAll(entries);
            assertThat(monitor.commandsSoFar()).containsExactly("MSET");

            store.getAll(entries.keySet());
            assertThat(monitor.commandsSoFar()).containsExactly("MGET");

            store.get("k1");
            assertThat(monitor.commandsSoFar()).containsExactly("GET");
        }
    }

    @Test
    void bulksAboveTheChunkSizeAreSplitIntoSeveralCommands() {
        try (Store store = RedisStore.create(config("chunked").maxKeysPerCommand(1000).build())) {
            Map<String, byte[]> entries = entries();

            resetStats();
            store.putAll(entries);
            Map<String, byte[]> found = store.getAll(entries.keySet());

            assertThat(found).hasSize(KEYS);
            assertThat(dataCommandCalls()).containsOnly(Map.entry("mset", 10L), Map.entry("mget", 10L));
        }
    }

    private static RedisStoreConfig.Builder config(String name) {
        return RedisStoreConfig.builder().name(name).uri(redis.uri()).prefix(name)
                .meterRegistry(new SimpleMeterRegistry());
    }

    private static Map<String, byte[]> entries() {
        Map<String, byte[]> entries = new HashMap<>();
        IntStream.range(0, KEYS).forEach(i -> entries.put("k" + i, ("v" + i).getBytes(StandardCharsets.UTF_8)));
        return entries;
    }

    private static void resetStats() {
        redis.command("CONFIG", "RESETSTAT");
    }

    /** Parses {@code cmdstat_mget:calls=1,usec=...} lines, leaving out the commands this test itself sends. */
    private static Map<String, Long> dataCommandCalls() {
        Map<String, Long> calls = new HashMap<>();
        for (String line : redis.info("commandstats").split("\r?\n")) {
            if (!line.startsWith("cmdstat_")) {
                continue;
            }
            String command = line.substring("cmdstat_".length(), line.indexOf(':'));
            if (command.equals("info") || command.startsWith("config")) {
                continue;
            }
            String stats = line.substring(line.indexOf(':') + 1);
            long count = Long.parseLong(stats.substring("calls=".length(), stats.indexOf(',')));
            calls.put(command, count);
        }
        return calls;
    }
}
