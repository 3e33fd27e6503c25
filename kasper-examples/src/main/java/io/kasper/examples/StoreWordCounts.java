package io.kasper.examples;

import io.kasper.store.Codec;
import io.kasper.store.memory.InMemoryStore;
import io.kasper.store.Store;
import io.kasper.store.TypedStore;
import java.util.Collection;
import java.util.Map;

/**
 * Word counts kept in any Kasper {@link Store} (in memory, Redis, ...), as 8-byte big-endian longs keyed by word:
 * one {@code getAll} and one {@code putAll} per batch.
 *
 * <p>Thread-safety: as thread-safe as the underlying store. Lifecycle: {@link #close()} closes the store.
 */
public final class StoreWordCounts implements WordCountStore, AutoCloseable {

    private final TypedStore<Long> counts;

    /**
     * Keeps the counts in {@code store}.
     *
     * @param store the store, owned by this object from now on
     */
    public StoreWordCounts(Store store) {
        this.counts = new TypedStore<>(store, Codec.int64());
    }

    /** Returns counts kept in an {@link InMemoryStore} named {@code word-counts}. */
    public static StoreWordCounts inMemory() {
        return new StoreWordCounts(new InMemoryStore("word-counts"));
    }

    @Override
    public Map<String, Long> getAll(Collection<String> words) {
        return counts.getAll(words);
    }

    @Override
    public void putAll(Map<String, Long> newCounts) {
        counts.putAll(newCounts);
    }

    /** Closes the underlying store. */
    @Override
    public void close() {
        counts.store().close();
    }
}
