package io.kasper.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Built-in sample input: lines from a few public-domain novels (Carroll, Melville, Austen, Dickens).
 *
 * <p>Thread-safety: stateless, so thread-safe.
 */
public final class SampleText {

    private static final String RESOURCE = "sample-text.txt";
    private static final List<String> LINES = load();

    private SampleText() {
    }

    /**
     * Returns the first {@code count} lines of the sample text, starting over at its beginning when it runs out,
     * so that any count is possible.
     *
     * @param count the number of lines, at least 0
     * @return the lines, in order
     * @throws IllegalArgumentException when {@code count} is negative
     */
    public static List<String> lines(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be at least 0, was " + count);
        }
        List<String> lines = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            lines.add(LINES.get(i % LINES.size()));
        }
        return lines;
    }

    private static List<String> load() {
        try (InputStream in = SampleText.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing from the classpath");
            }
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.isBlank()).toList();
            if (lines.isEmpty()) {
                throw new IllegalStateException("resource " + RESOURCE + " is empty");
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}
