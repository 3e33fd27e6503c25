package io.kasper.redis;

import io.kasper.store.spi.MeteredMultiStore;
import io.kasper.store.StoreException;
import io.kasper.store.TenantKey;
import io.kasper.store.TenantMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A multi-tenant {@link io.kasper.store.MultiStore} in Redis 6 or 7, over Lettuce.
 *
 * <p><b>Key layout</b> (as in the Go Kasper): the value of {@code key} of {@code tenant} is the Redis string
 * {@code {tenant}/{prefix}/{key}}. Tenants contain no {@code '/'}.
 *
 * <p><b>Round trips:</b> {@code fetch} is one MGET across all tenants, {@code push} one MSET across all tenants;
 * tenant views do the same for one tenant; a tenant {@code delete} is one DEL. Chunking above
 * {@link RedisStoreConfig#maxKeysPerCommand()} keys works as in {@link RedisStore}.
 *
 * <p><b>allTenants()</b> walks the whole database with {@code SCAN MATCH *}{@code /{prefix}/* COUNT 1000}: O(number of
 * keys in the database) work and about (keys / 1000) round trips, not atomic (tenants written or emptied meanwhile
 * may or may not show). Call it rarely, not per batch.
 *
 * <p><b>Failures, flush(), lifecycle and thread-safety</b> are those of {@link RedisStore}: calls bounded by the
 * command timeout fail with a {@link StoreException}, retriable when transient; flush is a no-op unless
 * {@code flushReplicas} is set; the store owns its client and connection, shared by its tenant views; thread-safe.
 */
public final class RedisMultiStore extends MeteredMultiStore {

    private final RedisKeys keys;
    private final RedisBackend backend;

    private RedisMultiStore(RedisStoreConfig config) {
        super("redis", config.name(), config.meterRegistry(), config.processor(), RedisFailures::isTransient);
        this.keys = new RedisKeys(config.prefix());
        this.backend = RedisBackend.connect(config, description());
    }

    /**
     * Connects a multi-store.
     *
     * @param config the settings
     * @return the connected store; close it to release the connection
     * @throws StoreException when Redis cannot be reached within the connect timeout
     */
    public static RedisMultiStore create(RedisStoreConfig config) {
        return new RedisMultiStore(config);
    }

    @Override
    protected TenantMap doFetch(List<TenantKey> wanted) {
        TenantMap found = new TenantMap();
        backend.mget(wanted, key -> keys.tenant(key.tenant(), key.key()), found::put);
        return found;
    }

    @Override
    protected void doPush(TenantMap entries) {
        Map<String, byte[]> byRedisKey = new LinkedHashMap<>(entries.size() * 2);
        entries.forEach((tenant, key, value) -> byRedisKey.put(keys.tenant(tenant, key), value));
        backend.mset(byRedisKey);
    }

    @Override
    protected void doDelete(TenantKey key) {
        backend.del(keys.tenant(key.tenant(), key.key()));
    }

    @Override
    protected Set<String> doAllTenants() {
        return backend.scan(keys.tenantPattern(), keys::tenantOf);
    }

    /** No-op unless {@code flushReplicas} is set; then WAIT for that many replicas (see {@link RedisStore}). */
    @Override
    protected void doFlush() {
        backend.waitForReplicas();
    }

    @Override
    protected void doClose() {
        backend.close();
    }
}
