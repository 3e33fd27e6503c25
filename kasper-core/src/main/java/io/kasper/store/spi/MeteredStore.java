package io.kasper.store.spi;

import io.kasper.store.Store;
import io.kasper.store.StoreException;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * Base of every {@link Store} implementation: validates arguments, records the {@code kasper.store.*} meters
 * (calls, keys per call, latency, errors; tagged processor, kasper.instance, store and operation), wraps backend failures in
 * {@link StoreException}, rejects calls after {@link #close()}, and removes the meters on close.
 *
 * <p>Subclasses implement the {@code do*} methods, which receive validated, de-duplicated, non-empty arguments and may
 * throw any runtime exception. Each store also tags its meters with its own {@code kasper.instance}
 * ({@link #instanceId()}), so stores of one name and processor sharing a registry keep their meters apart and
 * closing one removes its meters only.
 *
 * <p><b>Retriable failures:</b> the {@link StoreException} wrapping a backend failure is
 * {@linkplain StoreException#isRetriable() retriable} when the adapter's rule, given to
 * {@link #MeteredStore(String, String, MeterRegistry, String, Predicate)}, calls the failure or one of its causes
 * transient, or when the first {@link StoreException} among them (one the subclass threw) is retriable; such a
 * store exception decides alone, so a subclass can mark a failure either way where it knows better than the rule.
 * Failures of {@link #close()} and calls on a closed store are never retriable.
 *
 * <p>Thread-safety: this class is thread-safe; it is as safe as the subclass's {@code do*} methods.
 */
public abstract class MeteredStore implements Store {

    private final StoreMeters meters;
    private final String tenant;
    private final boolean ownsMeters;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * Creates the base of a store.
     *
     * @param kind the kind of backend, for messages ({@code "redis"}, {@code "in-memory"})
     * @param name the store's name: the {@code store} tag and the name in messages
     * @param registry where to record meters
     * @param processor the {@code processor} tag (the topic processor's name, or the store's name)
     * @throws NullPointerException when an argument is null
     */
    protected MeteredStore(String kind, String name, MeterRegistry registry, String processor) {
        this(kind, name, registry, processor, StoreMeters.NO_TRANSIENT_FAILURES);
    }

    /**
     * Creates the base of a store whose backend failures are retriable when {@code transientFailure} says so.
     *
     * @param kind the kind of backend, for messages ({@code "redis"}, {@code "in-memory"})
     * @param name the store's name: the {@code store} tag and the name in messages
     * @param registry where to record meters
     * @param processor the {@code processor} tag (the topic processor's name, or the store's name)
     * @param transientFailure the backend's rule: whether one exception, a failure of a {@code do*} method or one of
     *        its causes, is transient (the same call may succeed later unchanged); must be thread-safe and not throw
     * @throws NullPointerException when an argument is null
     */
    protected MeteredStore(String kind, String name, MeterRegistry registry, String processor,
            Predicate<Throwable> transientFailure) {
        this(new StoreMeters(kind, name, registry, processor, transientFailure), null, true);
    }

    MeteredStore(StoreMeters meters, String tenant, boolean ownsMeters) {
        this.meters = meters;
        this.tenant = tenant;
        this.ownsMeters = ownsMeters;
    }

    @Override
    public final byte[] get(String key) {
        Objects.requireNonNull(key, "key must not be null");
        ensureOpen();
        return meters.record(tenant, "get", 1, () -> doGet(key));
    }

    @Override
    public final Map<String, byte[]> getAll(Collection<String> keys) {
        List<String> distinct = StoreMeters.distinct(keys);
        ensureOpen();
        return meters.record(tenant, "getAll", distinct.size(),
                () -> distinct.isEmpty() ? new HashMap<>() : doGetAll(distinct));
    }

    @Override
    public final void put(String key, byte[] value) {
        Objects.requireNonNull(key, "key must not be null");
        Objects.requireNonNull(value, "value must not be null");
        ensureOpen();
        meters.run(tenant, "put", 1, () -> doPut(key, value));
    }

    @Override
    public final void putAll(Map<String, byte[]> entries) {
        Objects.requireNonNull(entries, "entries must not be null");
        entries.forEach((key, value) -> {
            Objects.requireNonNull(key, "entries must not hold a null key");
            Objects.requireNonNull(value, () -> "entries must not hold a null value (key '" + key + "')");
        });
        ensureOpen();
        meters.run(tenant, "putAll", entries.size(), () -> {
            if (!entries.isEmpty()) {
                doPutAll(entries);
            }
        });
    }

    @Override
    public final void delete(String key) {
        Objects.requireNonNull(key, "key must not be null");
        ensureOpen();
        meters.run(tenant, "delete", 1, () -> doDelete(key));
    }

    @Override
    public final void flush() {
        ensureOpen();
        meters.run(tenant, "flush", -1, this::doFlush);
    }

    @Override
    public final void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        meters.close(tenant, this::doClose, ownsMeters);
    }

    /**
     * Reads one key.
     *
     * @param key the key
     * @return the value, or null when absent
     */
    protected abstract byte[] doGet(String key);

    /**
     * Reads distinct keys, at least one.
     *
     * @param keys distinct keys
     * @return a new map of the present keys, owned by the caller
     */
    protected abstract Map<String, byte[]> doGetAll(List<String> keys);

    /**
     * Writes one value.
     *
     * @param key the key
     * @param value the value (the caller's array: copy it if kept)
     */
    protected abstract void doPut(String key, byte[] value);

    /**
     * Writes at least one entry.
     *
     * @param entries the entries (the caller's arrays: copy them if kept)
     */
    protected abstract void doPutAll(Map<String, byte[]> entries);

    /**
     * Deletes one key, absent or not.
     *
     * @param key the key
     */
    protected abstract void doDelete(String key);

    /** Makes acknowledged writes durable by the backend's own means; document what it does. */
    protected abstract void doFlush();

    /** Releases what the store owns; called once. */
    protected abstract void doClose();

    /**
     * Returns the {@code kasper.instance} tag of this store's meters, {@code <name>-<n>}, unique in this JVM (a tenant
     * view returns its multi-store's). Thread-safe.
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
            throw new IllegalStateException(meters.description()
                    + (tenant == null ? "" : " tenant '" + tenant + "'") + " is closed");
        }
    }
}
