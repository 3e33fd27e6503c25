package io.kasper.redis;

import io.kasper.store.spi.MeteredStore;
import io.kasper.store.StoreException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link io.kasper.store.Store} in Redis 6 or 7, over Lettuce.
 *
 * <p><b>Key layout</b> (as in the Go Kasper): the value of {@code key} is the Redis string {@code {prefix}/{key}}.
 * Do not give a single store the prefix of a {@link RedisMultiStore} in the same database: their key spaces could
 * overlap.
 *
 * <p><b>Round trips:</b> {@code get} is one GET, {@code getAll} one MGET, {@code put} and {@code putAll} one MSET (atomic),
 * {@code delete} one DEL. Bulks above {@link RedisStoreConfig#maxKeysPerCommand()} keys are split into several
 * MGET/MSET commands pipelined on the connection: still one round trip of latency, but such an MSET is not atomic.
 *
 * <p><b>Failures:</b> every call is bounded by {@link RedisStoreConfig#commandTimeout()}; a dead, hung or unreachable
 * server makes it fail with a {@link StoreException} naming the store, operation and key count, retriable when the
 * failure is transient (see {@link RedisStoreConfig} for which are). The connection reconnects by itself when the
 * server comes back, within about a second.
 *
 * <p><b>flush():</b> a write call returns only after Redis acknowledged it, so with
 * {@link RedisStoreConfig#flushReplicas()} 0 (the default) flush is a no-op: on-disk durability is the server's own
 * persistence setting (AOF {@code appendfsync}, RDB snapshots), which Kasper does not trigger (a BGSAVE per batch
 * would fork the server and still return before the snapshot is written). With {@code flushReplicas} n &gt; 0, flush
 * sends {@code WAIT n} and fails when fewer replicas acknowledged the writes in time. WAIT holds the shared
 * connection, so other calls on this store queue behind it.
 *
 * <p><b>Lifecycle and thread-safety:</b> the store owns its Lettuce client and its one connection, shared by all
 * threads (Lettuce multiplexes commands); {@link #close()} closes both and removes the meters. Thread-safe.
 */
public final class RedisStore extends MeteredStore {

    private final RedisKeys keys;
    private final RedisBackend backend;

    private RedisStore(RedisStoreConfig config) {
        super("redis", config.name(), config.meterRegistry(), config.processor(), RedisFailures::isTransient);
        this.keys = new RedisKeys(config.prefix());
        this.backend = RedisBackend.connect(config, description());
    }

    /**
     * Connects a store.
     *
     * @param config the settings
     * @return the connected store; close it to release the connection
     * @throws StoreException when Redis cannot be reached within the connect timeout
     */
    public static RedisStore create(RedisStoreConfig config) {
        return new RedisStore(config);
    }

    @Override
    protected byte[] doGet(String key) {
        return backend.get(keys.single(key));
    }

    @Override
    protected Map<String, byte[]> doGetAll(List<String> wanted) {
        Map<String, byte[]> found = new HashMap<>(wanted.size() * 2);
        backend.mget(wanted, keys::single, found::put);
        return found;
    }

    @Override
    protected void doPut(String key, byte[] value) {
        backend.mset(Map.of(keys.single(key), value));
    }

    @Override
    protected void doPutAll(Map<String, byte[]> entries) {
        Map<String, byte[]> byRedisKey = new LinkedHashMap<>(entries.size() * 2);
        entries.forEach((key, value) -> byRedisKey.put(keys.single(key), value));
        backend.mset(byRedisKey);
    }

    @Override
    protected void doDelete(String key) {
        backend.del(keys.single(key));
    }

    /** No-op unless {@code flushReplicas} is set; then WAIT for that many replicas (see the class comment). */
    @Override
    protected void doFlush() {
        backend.waitForReplicas();
    }

    @Override
    protected void doClose() {
        backend.close();
    }
}
