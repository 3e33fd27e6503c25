package io.kasper.examples.readme;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the {@code ```java} blocks of a Markdown file and the tagged regions of Java sources
 * ({@code // tag::name[]} ... {@code // end::name[]}, as AsciiDoc includes them), and tells which blocks equal no
 * region. Lines are compared without their indentation, so a README block may be indented differently from its
 * source; tag lines nested in a region are not part of it.
 *
 * <p>Thread-safety: stateless, so thread-safe.
 */
final class Snippets {

    private static final Pattern TAG = Pattern.compile("^\\s*//\\s*(tag|end)::([\\w.-]+)\\[]\\s*$");

    private Snippets() {
    }

    /**
     * A {@code ```java} block of the README.
     *
     * @param number its position among the README's Java blocks, from 1
     * @param line the line of its opening fence, from 1
     * @param section the heading it is under
     * @param lines its lines, fences excluded
     */
    record Block(int number, int line, String section, List<String> lines) {

        @Override
        public String toString() {
            return "README.md java block " + number + " (line " + line + ", section '" + section + "', starting '"
                    + lines.stream().filter(l -> !l.isBlank()).findFirst().orElse("").strip() + "')";
        }
    }

    /**
     * A tagged region of a source file.
     *
     * @param file the file, relative to the repository root
     * @param name the tag
     * @param line the line of its {@code tag::} marker, from 1
     * @param lines its lines, tag markers excluded
     */
    record Region(String file, String name, int line, List<String> lines) {

        @Override
        public String toString() {
            return "region '" + name + "' of " + file + ":" + line;
        }
    }

    /** Returns the {@code ```java} blocks of a Markdown text, in order. */
    static List<Block> javaBlocks(String markdown) {
        List<Block> blocks = new ArrayList<>();
        String section = "(top)";
        List<String> current = null;
        int start = 0;
        List<String> lines = markdown.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String stripped = lines.get(i).strip();
            if (current == null && stripped.startsWith("#")) {
                section = stripped.replaceFirst("^#+\\s*", "");
            } else if (current == null && stripped.equals("```java")) {
                current = new ArrayList<>();
                start = i + 1;
            } else if (current != null && stripped.equals("```")) {
                blocks.add(new Block(blocks.size() + 1, start, section, List.copyOf(current)));
                current = null;
            } else if (current != null) {
                current.add(lines.get(i));
            }
        }
        if (current != null) {
            throw new IllegalArgumentException("the java block opened at line " + start + " is never closed");
        }
        return blocks;
    }

    /**
     * Returns the tagged regions of one source text.
     *
     * @throws IllegalArgumentException when a tag is not closed, closed without being opened, or opened twice
     */
    static List<Region> regions(String file, String source) {
        List<Region> regions = new ArrayList<>();
        Map<String, Integer> openedAt = new LinkedHashMap<>();
        Map<String, List<String>> open = new HashMap<>();
        List<String> lines = source.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            Matcher tag = TAG.matcher(lines.get(i));
            if (tag.matches()) {
                String name = tag.group(2);
                if (tag.group(1).equals("tag")) {
                    if (openedAt.putIfAbsent(name, i + 1) != null) {
                        throw new IllegalArgumentException(file + ":" + (i + 1) + ": tag '" + name
                                + "' opened again before its end (opened at line " + openedAt.get(name) + ")");
                    }
                    open.put(name, new ArrayList<>());
                } else {
                    Integer from = openedAt.remove(name);
                    if (from == null) {
                        throw new IllegalArgumentException(file + ":" + (i + 1) + ": end of tag '" + name
                                + "' that is not open");
                    }
                    regions.add(new Region(file, name, from, List.copyOf(open.remove(name))));
                }
            } else {
                String line = lines.get(i);
                open.values().forEach(region -> region.add(line));
            }
        }
        if (!openedAt.isEmpty()) {
            Map.Entry<String, Integer> first = openedAt.entrySet().iterator().next();
            throw new IllegalArgumentException(file + ":" + first.getValue() + ": tag '" + first.getKey()
                    + "' is never ended (// end::" + first.getKey() + "[])");
        }
        return regions;
    }

    /** Returns the tagged regions of every Java file under {@code src} directories of the repository. */
    static List<Region> regionsOf(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            List<Region> regions = new ArrayList<>();
            for (Path file : files.filter(Snippets::isSource).sorted().toList()) {
                String relative = root.relativize(file).toString().replace('\\', '/');
                regions.addAll(regions(relative, Files.readString(file, StandardCharsets.UTF_8)));
            }
            return regions;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the sources under " + root, e);
        }
    }

    private static boolean isSource(Path file) {
        String path = file.toString().replace('\\', '/');
        return path.endsWith(".java") && path.contains("/src/") && !path.contains("/target/")
                && !path.contains("/.git/");
    }

    /** Returns the lines without indentation and trailing blanks, and without leading and trailing blank lines. */
    static List<String> normalized(List<String> lines) {
        List<String> stripped = lines.stream().map(String::strip).toList();
        int from = 0;
        int to = stripped.size();
        while (from < to && stripped.get(from).isEmpty()) {
            from++;
        }
        while (to > from && stripped.get(to - 1).isEmpty()) {
            to--;
        }
        return stripped.subList(from, to);
    }

    /**
     * Returns, for a block that equals no region, why: the closest region and the first line where they differ;
     * empty when the block equals a region.
     */
    static Optional<String> mismatch(Block block, List<Region> regions) {
        List<String> expected = normalized(block.lines());
        Region closest = null;
        int closestShared = -1;
        for (Region region : regions) {
            List<String> actual = normalized(region.lines());
            if (actual.equals(expected)) {
                return Optional.empty();
            }
            int shared = sharedLines(expected, actual);
            if (shared > closestShared) {
                closest = region;
                closestShared = shared;
            }
        }
        if (closest == null) {
            return Optional.of(block + " equals no tagged region: there are none");
        }
        List<String> actual = normalized(closest.lines());
        int at = 0;
        while (at < expected.size() && at < actual.size() && expected.get(at).equals(actual.get(at))) {
            at++;
        }
        return Optional.of(block + " equals no tagged region; the closest is " + closest + ", which differs at "
                + "line " + (at + 1) + " of the block:\n    README: " + lineOrEnd(expected, at) + "\n    source: "
                + lineOrEnd(actual, at));
    }

    private static String lineOrEnd(List<String> lines, int index) {
        return index < lines.size() ? lines.get(index) : "(end of snippet)";
    }

    private static int sharedLines(List<String> a, List<String> b) {
        Map<String, Integer> counts = new HashMap<>();
        a.forEach(line -> counts.merge(line, 1, Integer::sum));
        int shared = 0;
        for (String line : b) {
            Integer left = counts.get(line);
            if (left != null && left > 0) {
                counts.put(line, left - 1);
                shared++;
            }
        }
        return shared;
    }
}
