package io.kasper.store.spi;

import io.kasper.store.MultiStore;
import io.kasper.store.Store;
import io.kasper.store.StoreException;
import io.kasper.store.TenantKey;
import io.kasper.store.TenantMap;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * Base of every {@link MultiStore} implementation: validates arguments, records the {@code kasper.store.*} meters
 * (operations {@code fetch}, {@code push}, {@code allTenants}, {@code flush}, and those of the tenant views), wraps
 * backend failures in {@link StoreException}, and removes the meters on close.
 *
 * <p>Subclasses implement the {@code do*} methods; tenant views ({@link #tenant}) are provided here on top of them, so
 * an adapter writes its bulk logic once. Tenant views report under this store's name and {@code kasper.instance}
 * ({@link #instanceId()}; no tenant tag: tenants are unbounded) and name the tenant in their exception messages.
 *
 * <p><b>Retriable failures</b> are decided as in {@link MeteredStore}, by the rule given to
 * {@link #MeteredMultiStore(String, String, MeterRegistry, String, Predicate)}; tenant views use the same rule.
 *
 * <p>Thread-safety: this class is thread-safe; it is as safe as the subclass's {@code do*} methods.
 */
public abstract class MeteredMultiStore implements MultiStore {

    private final StoreMeters meters;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * Creates the base of a multi-store.
     *
     * @param kind the kind of backend, for messages ({@code "redis"}, {@code "in-memory"})
     * @param name the store's name: the {@code store} tag and the name in messages
     * @param registry where to record meters
     * @param processor the {@code processor} tag (the topic processor's name, or the store's name)
     * @throws NullPointerException when an argument is null
     */
    protected MeteredMultiStore(String kind, String name, MeterRegistry registry, String processor) {
        this(kind, name, registry, processor, StoreMeters.NO_TRANSIENT_FAILURES);
    }

    /**
     * Creates the base of a multi-store whose backend failures are retriable when {@code transientFailure} says so.
     *
     * @param kind the kind of backend, for messages ({@code "redis"}, {@code "in-memory"})
     * @param name the store's name: the {@code store} tag and the name in messages
     * @param registry where to record meters
     * @param processor the {@code processor} tag (the topic processor's name, or the store's name)
     * @param transientFailure the backend's rule: whether one exception, a failure of a {@code do*} method or one of
     *        its causes, is transient (the same call may succeed later unchanged); must be thread-safe and not throw
     * @throws NullPointerException when an argument is null
     */
    protected MeteredMultiStore(String kind, String name, MeterRegistry registry, String processor,
            Predicate<Throwable> transientFailure) {
        this.meters = new StoreMeters(kind, name, registry, processor, transientFailure);
    }

    @Override
    public final Store tenant(String tenant) {
        TenantKey.validateTenant(tenant);
        ensureOpen();
        return new TenantStore(this, meters, tenant);
    }

    @Override
    public final Set<String> allTenants() {
        ensureOpen();
        return meters.record(null, "allTenants", -1, this::doAllTenants);
    }

    @Override
    public final TenantMap fetch(Collection<TenantKey> keys) {
        List<TenantKey> distinct = StoreMeters.distinct(keys);
        ensureOpen();
        return meters.record(null, "fetch", distinct.size(),
                () -> distinct.isEmpty() ? new TenantMap() : doFetch(distinct));
    }

    @Override
    public final void push(TenantMap entries) {
        Objects.requireNonNull(entries, "entries must not be null");
        ensureOpen();
        meters.run(null, "push", entries.size(), () -> {
            if (!entries.isEmpty()) {
                doPush(entries);
            }
        });
    }

    @Override
    public final void flush() {
        ensureOpen();
        meters.run(null, "flush", -1, this::doFlush);
    }

    @Override
    public final void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        meters.close(null, this::doClose, true);
    }

    /**
     * Reads distinct tenant keys, at least one, in one bulk call where the backend allows.
     *
     * @param keys distinct tenant keys
     * @return a new map of the present keys, owned by the caller
     */
    protected abstract TenantMap doFetch(List<TenantKey> keys);

    /**
     * Writes at least one entry across tenants in one bulk call where the backend allows.
     *
     * @param entries the entries (the caller's arrays: copy them if kept)
     */
    protected abstract void doPush(TenantMap entries);

    /**
     * Deletes one tenant key, absent or not.
     *
     * @param key the tenant key
     */
    protected abstract void doDelete(TenantKey key);

    /**
     * Lists the tenants holding at least one key.
     *
     * @return a new set owned by the caller
     */
    protected abstract Set<String> doAllTenants();

    /** Makes acknowledged writes durable by the backend's own means; document what it does. */
    protected abstract void doFlush();

    /** Releases what the store owns; called once. */
    protected abstract void doClose();

    /**
     * Returns the {@code kasper.instance} tag of this store's meters (and its tenant views'), {@code <name>-<n>},
     * unique in this JVM. Thread-safe.
     *
     * @return the instance id
     */
    public final String instanceId() {
        return meters.instance();
    }

    /**
     * Returns "store 'name' (kind)", for subclasses' own messages. Thread-safe.
     *
     * @return the store's description
     */
    protected final String description() {
        return meters.description();
    }

    boolean isClosed() {
        return closed.get();
    }

    private void ensureOpen() {
        if (isClosed()) {
            throw new IllegalStateException(meters.description() + " is closed");
        }
    }
}
