package io.kasper.store;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A typed view of a {@link Store}: values go through a {@link Codec}, so callers never serialize by hand.
 *
 * <pre>{@code
 * TypedStore<Long> counts = new TypedStore<>(store, Codec.int64());
 * Map<String, Long> current = counts.getAll(userIds);
 * }</pre>
 *
 * <p>The view owns nothing: closing is the underlying store's business. Thread-safe when the store and the codec are.
 *
 * @param <V> the value type
 */
public final class TypedStore<V> {

    private final Store store;
    private final Codec<V> codec;

    /**
     * Creates a view.
     *
     * @param store the underlying store
     * @param codec the codec of values
     * @throws NullPointerException when an argument is null
     */
    public TypedStore(Store store, Codec<V> codec) {
        this.store = Objects.requireNonNull(store, "store must not be null");
        this.codec = Objects.requireNonNull(codec, "codec must not be null");
    }

    /**
     * Returns the underlying store.
     *
     * @return the underlying store
     */
    public Store store() {
        return store;
    }

    /**
     * Reads and decodes one value.
     *
     * @param key the key
     * @return the value, or null when absent
     * @throws StoreException when the store fails or the stored bytes cannot be decoded
     */
    public V get(String key) {
        byte[] bytes = store.get(key);
        return bytes == null ? null : decode(key, bytes);
    }

    /**
     * Reads and decodes many values in one bulk call.
     *
     * @param keys the keys
     * @return a new map of the present keys
     * @throws StoreException when the store fails or stored bytes cannot be decoded
     */
    public Map<String, V> getAll(Collection<String> keys) {
        Map<String, byte[]> found = store.getAll(keys);
        Map<String, V> values = new HashMap<>(found.size() * 2);
        found.forEach((key, bytes) -> values.put(key, decode(key, bytes)));
        return values;
    }

    /**
     * Encodes and writes one value.
     *
     * @param key the key
     * @param value the value, not null
     * @throws StoreException when the store fails
     * @throws IllegalArgumentException when the codec cannot encode the value
     * @throws NullPointerException when the value is null
     */
    public void put(String key, V value) {
        store.put(key, codec.encode(Objects.requireNonNull(value, "value must not be null")));
    }

    /**
     * Encodes and writes many values in one bulk call.
     *
     * @param entries the entries
     * @throws StoreException when the store fails
     * @throws IllegalArgumentException when the codec cannot encode a value
     * @throws NullPointerException when a value is null
     */
    public void putAll(Map<String, V> entries) {
        Map<String, byte[]> encoded = new HashMap<>(entries.size() * 2);
        entries.forEach((key, value) -> encoded.put(key,
                codec.encode(Objects.requireNonNull(value, () -> "value of key '" + key + "' must not be null"))));
        store.putAll(encoded);
    }

    /**
     * Deletes one key; absent is not an error.
     *
     * @param key the key
     * @throws StoreException when the store fails
     */
    public void delete(String key) {
        store.delete(key);
    }

    private V decode(String key, byte[] bytes) {
        try {
            return codec.decode(bytes);
        } catch (RuntimeException e) {
            throw new StoreException("cannot decode the value of key '" + key + "' (" + bytes.length
                    + " bytes) with codec " + codec + ": " + e.getMessage(), e);
        }
    }
}
