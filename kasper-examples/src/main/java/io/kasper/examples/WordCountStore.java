package io.kasper.examples;

import java.util.Collection;
import java.util.Map;

/**
 * The state of the word-count example: a count per word, read and written in bulk once per batch.
 *
 * <p>A deliberately tiny seam: it has the bulk {@code getAll}/{@code putAll} shape of Kasper's key-value stores, so
 * the example can move to one of them by implementing these two methods on top of it.
 *
 * <p>Thread-safety: implementations say; {@link WordCount} calls a store from its processor's loop thread only.
 */
public interface WordCountStore {

    /**
     * Returns the stored counts of the given words; words never stored are absent from the result.
     *
     * @param words the words to look up
     * @return word to count, for the words that have one
     */
    Map<String, Long> getAll(Collection<String> words);

    /**
     * Stores the given counts, replacing the previous count of each word.
     *
     * @param counts word to its new count
     */
    void putAll(Map<String, Long> counts);
}
