package io.kasper.redis;

import io.kasper.KasperException;
import io.kasper.store.StoreException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * One Lettuce client and its single connection (keys UTF-8, values raw bytes), with the bulk commands the stores need.
 *
 * <p>Bulk reads and writes are one MGET or MSET, or, above {@code maxKeysPerCommand} keys, several such commands
 * written back to back before any reply is awaited (pipelined). Every wait is bounded by the command timeout, which
 * Lettuce also enforces ({@link TimeoutOptions}). The connection reconnects by itself after a server restart
 * (Lettuce's auto-reconnect), trying again after {@link #RECONNECT_DELAY_MAX} at most; commands issued while it is
 * down are queued (Lettuce's default disconnected behavior with auto-reconnect) and fail at the command timeout with a
 * {@link RedisCommandTimeoutException} if it does not come back in time.
 *
 * <p>Thread-safety: thread-safe (Lettuce connections are); owns the client and its resources (event loops, timer)
 * and closes them in {@link #close()}.
 */
final class RedisBackend implements AutoCloseable {

    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
    private static final int SCAN_COUNT = 1000;
    /**
     * The longest wait between two reconnect attempts. Lettuce's default backs off up to 30 s, so a store could stay
     * disconnected for up to 30 s after Redis is back, failing every batch meanwhile; attempts to a closed port cost
     * next to nothing, so a stream processor is better served by trying again every second.
     */
    static final Duration RECONNECT_DELAY_MAX = Duration.ofSeconds(1);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(2);

    private final RedisStoreConfig config;
    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, byte[]> connection;
    private final RedisAsyncCommands<String, byte[]> commands;

    private RedisBackend(RedisStoreConfig config, ClientResources resources, RedisClient client,
            StatefulRedisConnection<String, byte[]> connection) {
        this.config = config;
        this.resources = resources;
        this.client = client;
        this.connection = connection;
        this.commands = connection.async();
    }

    /**
     * Connects to the configured server.
     *
     * @throws StoreException naming the store and the address when it cannot connect within the connect timeout
     */
    static RedisBackend connect(RedisStoreConfig config, String description) {
        // 1, 2, 4, ... ms between attempts, then every RECONNECT_DELAY_MAX
        ClientResources resources = ClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ZERO, RECONNECT_DELAY_MAX, 2, TimeUnit.MILLISECONDS))
                .build();
        RedisClient client = RedisClient.create(resources, config.redisUri());
        client.setOptions(ClientOptions.builder()
                .socketOptions(SocketOptions.builder().connectTimeout(config.connectTimeout()).build())
                .timeoutOptions(TimeoutOptions.enabled(config.commandTimeout()))
                .build());
        try {
            return new RedisBackend(config, resources, client, client.connect(CODEC));
        } catch (RuntimeException e) {
            shutdown(client, resources);
            throw new StoreException(description + " cannot connect to " + config.address() + ": "
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + rootCause(e), e);
        }
    }

    /** Returns " (why: ...)" naming the innermost cause (a refused login, a refused connection), or "" if none. */
    private static String rootCause(Throwable failure) {
        List<Throwable> chain = KasperException.causeChain(failure);
        Throwable root = chain.get(chain.size() - 1);
        return root == failure ? "" : " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }

    byte[] get(String key) {
        return await(commands.get(key), deadline());
    }

    /**
     * Reads the values of {@code wanted}, the store's keys of a plain store or a multi-store, and hands each present
     * one to {@code found} with its key.
     *
     * @param redisKey the Redis key of a wanted key
     */
    <K> void mget(List<K> wanted, Function<K, String> redisKey, BiConsumer<K, byte[]> found) {
        List<String> redisKeys = new ArrayList<>(wanted.size());
        wanted.forEach(key -> redisKeys.add(redisKey.apply(key)));
        Map<String, byte[]> byRedisKey = mget(redisKeys);
        for (int i = 0; i < wanted.size(); i++) {
            byte[] value = byRedisKey.get(redisKeys.get(i));
            if (value != null) {
                found.accept(wanted.get(i), value);
            }
        }
    }

    /** Returns the values of the present keys, by Redis key. */
    private Map<String, byte[]> mget(List<String> keys) {
        List<RedisFuture<List<KeyValue<String, byte[]>>>> replies = new ArrayList<>();
        for (List<String> chunk : chunks(keys)) {
            replies.add(commands.mget(chunk.toArray(new String[0])));
        }
        long deadline = deadline();
        Map<String, byte[]> found = new HashMap<>(keys.size() * 2);
        for (RedisFuture<List<KeyValue<String, byte[]>>> reply : replies) {
            for (KeyValue<String, byte[]> entry : await(reply, deadline)) {
                if (entry.hasValue()) {
                    found.put(entry.getKey(), entry.getValue());
                }
            }
        }
        return found;
    }

    /** Writes the entries, keyed by Redis key. */
    void mset(Map<String, byte[]> entries) {
        List<RedisFuture<String>> replies = new ArrayList<>();
        Map<String, byte[]> chunk = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
            chunk.put(entry.getKey(), entry.getValue());
            if (chunk.size() == config.maxKeysPerCommand()) {
                replies.add(commands.mset(chunk));
                chunk = new LinkedHashMap<>();
            }
        }
        if (!chunk.isEmpty()) {
            replies.add(commands.mset(chunk));
        }
        long deadline = deadline();
        for (RedisFuture<String> reply : replies) {
            await(reply, deadline);
        }
    }

    void del(String key) {
        await(commands.del(key), deadline());
    }

    /** Runs SCAN over the whole keyspace with a MATCH pattern and maps each key (null results left out). */
    Set<String> scan(String pattern, Function<String, String> mapper) {
        Set<String> results = new HashSet<>();
        ScanArgs args = ScanArgs.Builder.matches(pattern).limit(SCAN_COUNT);
        KeyScanCursor<String> cursor = await(commands.scan(args), deadline());
        while (true) {
            for (String key : cursor.getKeys()) {
                String mapped = mapper.apply(key);
                if (mapped != null) {
                    results.add(mapped);
                }
            }
            if (cursor.isFinished()) {
                return results;
            }
            cursor = await(commands.scan(ScanCursor.of(cursor.getCursor()), args), deadline());
        }
    }

    /**
     * Waits with {@code WAIT} until the configured number of replicas acknowledged every write of this connection.
     *
     * @throws StoreException (retriable) when fewer replicas acknowledged within half the command timeout
     */
    void waitForReplicas() {
        if (config.flushReplicas() == 0) {
            return;
        }
        // WAIT must give up before the command timeout fires, so that the reply (how many replicas) arrives
        long waitMillis = Math.max(1, config.commandTimeout().toMillis() / 2);
        long acknowledged = await(commands.waitForReplication(config.flushReplicas(), waitMillis), deadline());
        if (acknowledged < config.flushReplicas()) {
            // replicas that lag or reconnect catch up by themselves: worth retrying
            throw new StoreException("only " + acknowledged + " of " + config.flushReplicas()
                    + " replicas acknowledged the writes within " + waitMillis + " ms", null, true);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } finally {
            shutdown(client, resources);
        }
    }

    /** Shuts the client down, then the resources it was given (a client leaves resources it did not create). */
    private static void shutdown(RedisClient client, ClientResources resources) {
        try {
            client.shutdown(Duration.ZERO, SHUTDOWN_TIMEOUT);
        } finally {
            resources.shutdown(0, SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .awaitUninterruptibly(SHUTDOWN_TIMEOUT.toMillis());
        }
    }

    private List<List<String>> chunks(List<String> keys) {
        int size = config.maxKeysPerCommand();
        if (keys.size() <= size) {
            return List.of(keys);
        }
        List<List<String>> chunks = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += size) {
            chunks.add(keys.subList(from, Math.min(keys.size(), from + size)));
        }
        return chunks;
    }

    /** A backstop past Lettuce's own timeout, which normally completes the future first. */
    private long deadline() {
        return System.nanoTime() + config.commandTimeout().toNanos() + TimeUnit.SECONDS.toNanos(1);
    }

    private static <T> T await(RedisFuture<T> reply, long deadlineNanos) {
        try {
            return reply.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
        } catch (TimeoutException e) {
            reply.cancel(true);
            throw new RedisCommandTimeoutException("no reply before the command timeout");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisCommandInterruptedException(e);
        }
    }
}
