package io.kasper.examples;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link WordCountStore} in a map in this JVM; its counts are lost when the JVM exits.
 *
 * <p>Thread-safety: thread-safe; each call is atomic per word, not across words.
 */
public final class InMemoryWordCountStore implements WordCountStore {

    private final Map<String, Long> counts = new ConcurrentHashMap<>();

    /** Creates an empty store. */
    public InMemoryWordCountStore() {
    }

    @Override
    public Map<String, Long> getAll(Collection<String> words) {
        Map<String, Long> found = new HashMap<>();
        for (String word : words) {
            Long count = counts.get(word);
            if (count != null) {
                found.put(word, count);
            }
        }
        return found;
    }

    @Override
    public void putAll(Map<String, Long> newCounts) {
        counts.putAll(newCounts);
    }

    /** Returns a sorted copy of every count. */
    public Map<String, Long> snapshot() {
        return new TreeMap<>(counts);
    }
}
