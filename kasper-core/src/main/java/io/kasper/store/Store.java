package io.kasper.store;

import java.util.Collection;
import java.util.Map;

/**
 * A key-value store of binary values, read and written in bulk by a processor.
 *
 * <p>Keys are non-null strings (any Unicode, including the empty string); values are non-null byte arrays (the empty
 * array is a value, distinct from an absent key). A bulk call ({@link #getAll}, {@link #putAll}) is one round trip to
 * the backend where the adapter allows it; each adapter documents how it batches. Empty bulk calls return at once
 * without touching the backend. Implementations copy or serialize values, so callers may reuse their arrays.
 *
 * <p>Every implementation records Micrometer metrics per call (see {@link io.kasper.store.spi.MeteredStore}) and
 * reports every backend failure as a {@link StoreException} naming the store, the operation and the number of keys.
 *
 * <p>Thread-safety: implementations shipped with Kasper are safe for concurrent use by many threads. Ordering between
 * concurrent writes to the same key is whatever the backend gives (last writer wins for the shipped ones).
 */
public interface Store extends AutoCloseable {

    /**
     * Reads one value.
     *
     * @param key the key, not null
     * @return the value, or {@code null} when the key is absent
     * @throws StoreException when the backend fails
     * @throws IllegalStateException when the store is closed
     * @throws NullPointerException when the key is null
     */
    byte[] get(String key);

    /**
     * Reads many values in one bulk call.
     *
     * @param keys the keys, none null; duplicates are read once
     * @return a new map, owned by the caller, of the keys that are present (absent keys are left out)
     * @throws StoreException when the backend fails
     * @throws IllegalStateException when the store is closed
     * @throws NullPointerException when the collection or a key is null
     */
    Map<String, byte[]> getAll(Collection<String> keys);

    /**
     * Writes one value, replacing any previous value.
     *
     * @param key the key, not null
     * @param value the value, not null (may be empty)
     * @throws StoreException when the backend fails
     * @throws IllegalStateException when the store is closed
     * @throws NullPointerException when the key or the value is null
     */
    void put(String key, byte[] value);

    /**
     * Writes many values in one bulk call, replacing previous values.
     *
     * <p>Atomicity is the adapter's: see its documentation (a failed call may have written some entries).
     *
     * @param entries the entries, no key or value null
     * @throws StoreException when the backend fails
     * @throws IllegalStateException when the store is closed
     * @throws NullPointerException when the map, a key or a value is null
     */
    void putAll(Map<String, byte[]> entries);

    /**
     * Deletes one key; deleting an absent key is not an error.
     *
     * @param key the key, not null
     * @throws StoreException when the backend fails
     * @throws IllegalStateException when the store is closed
     * @throws NullPointerException when the key is null
     */
    void delete(String key);

    /**
     * Makes the writes acknowledged so far as durable as the store's own means allow; each adapter documents what
     * exactly it does (for some it is a no-op, because every write is already acknowledged when its call returns).
     *
     * @throws StoreException when the backend fails or cannot give the promised durability
     * @throws IllegalStateException when the store is closed
     */
    void flush();

    /**
     * Releases what the store owns (connections, clients, memory) and removes its meters. Idempotent; afterwards every
     * other method throws {@link IllegalStateException}.
     *
     * @throws StoreException when releasing a backend resource fails (the store counts as closed anyway)
     */
    @Override
    void close();
}
