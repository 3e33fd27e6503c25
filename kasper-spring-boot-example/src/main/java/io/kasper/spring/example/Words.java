package io.kasper.spring.example;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Splits text into words. Thread-safety: stateless. */
final class Words {

    private Words() {
    }

    /**
     * Splits a line into lower-case words: maximal runs of letters and digits.
     *
     * @param line the text, or null (a tombstone), which has no words
     * @return the words in order
     */
    static List<String> of(String line) {
        if (line == null) {
            return List.of();
        }
        return Arrays.stream(line.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+"))
                .filter(w -> !w.isEmpty())
                .toList();
    }
}
