package io.kasper.store.memory;

import io.kasper.store.spi.MeteredStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link io.kasper.store.Store} held in this JVM's memory, for tests and for state that may be lost on restart.
 *
 * <p>Values are copied in and out, so neither side can change the other's arrays. Bulk calls are not atomic: a
 * concurrent reader may see part of a {@code putAll}. {@link #flush()} is a no-op: there is nothing durable to write
 * to. {@link #close()} drops the contents and removes the meters.
 *
 * <p>Thread-safety: safe for concurrent use (backed by a {@link ConcurrentHashMap}).
 */
public final class InMemoryStore extends MeteredStore {

    private final Map<String, byte[]> values = new ConcurrentHashMap<>();

    /**
     * Creates an empty store recording meters in {@link Metrics#globalRegistry}, tagged with its name as processor.
     *
     * @param name the store's name
     * @throws NullPointerException when the name is null
     */
    public InMemoryStore(String name) {
        this(name, Metrics.globalRegistry, name);
    }

    /**
     * Creates an empty store.
     *
     * @param name the store's name
     * @param registry where to record meters
     * @param processor the {@code processor} tag
     * @throws NullPointerException when an argument is null
     */
    public InMemoryStore(String name, MeterRegistry registry, String processor) {
        super("in-memory", name, registry, processor);
    }

    @Override
    protected byte[] doGet(String key) {
        return copy(values.get(key));
    }

    @Override
    protected Map<String, byte[]> doGetAll(List<String> keys) {
        Map<String, byte[]> found = new HashMap<>();
        for (String key : keys) {
            byte[] value = values.get(key);
            if (value != null) {
                found.put(key, value.clone());
            }
        }
        return found;
    }

    @Override
    protected void doPut(String key, byte[] value) {
        values.put(key, value.clone());
    }

    @Override
    protected void doPutAll(Map<String, byte[]> entries) {
        entries.forEach((key, value) -> values.put(key, value.clone()));
    }

    @Override
    protected void doDelete(String key) {
        values.remove(key);
    }

    /** Does nothing: an in-memory store has no durable medium. */
    @Override
    protected void doFlush() {
    }

    @Override
    protected void doClose() {
        values.clear();
    }

    static byte[] copy(byte[] value) {
        return value == null ? null : value.clone();
    }
}
