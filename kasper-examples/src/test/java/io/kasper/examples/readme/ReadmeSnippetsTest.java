package io.kasper.examples.readme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every {@code ```java} block of the README equals (modulo indentation) a tagged region of a compiled source, so the
 * README shows only code that compiles and, where the region is in an example or a test, runs.
 */
class ReadmeSnippetsTest {

    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(
                dir.resolve("kasper-examples")))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("a directory above %s holding README.md and kasper-examples", Path.of("").toAbsolutePath())
                .isNotNull();
        return dir;
    }

    @Test
    void everyJavaBlockOfTheReadmeEqualsATaggedRegionOfASource() throws IOException {
        Path root = repositoryRoot();
        List<Snippets.Block> blocks = Snippets.javaBlocks(Files.readString(root.resolve("README.md"),
                StandardCharsets.UTF_8));
        List<Snippets.Region> regions = Snippets.regionsOf(root);

        List<String> mismatches = new ArrayList<>();
        for (Snippets.Block block : blocks) {
            Snippets.mismatch(block, regions).ifPresent(mismatches::add);
        }

        assertThat(blocks).as("java blocks of README.md").hasSizeGreaterThan(10);
        assertThat(mismatches).as("README java blocks that are not a tagged region (// tag::name[] ... "
                + "// end::name[]) of a source; change the source's region and copy it into the README").isEmpty();
    }

    @Test
    void aBlockIsMatchedWhateverItsIndentation() {
        List<Snippets.Region> regions = Snippets.regions("A.java", """
                class A {
                    void run() {
                        // tag::run[]
                        config.build();
                        // end::run[]
                    }
                }
                """);
        Snippets.Block block = Snippets.javaBlocks("""
                # Use
                   ```java
                   config.build();
                   ```
                """).get(0);

        assertThat(Snippets.mismatch(block, regions)).isEmpty();
    }

    @Test
    void aChangedBlockIsReportedWithItsSectionAndTheClosestRegion() {
        List<Snippets.Region> regions = Snippets.regions("src/A.java", """
                // tag::other[]
                unrelated();
                // end::other[]
                // tag::configure[]
                builder()
                    .name("orders")
                    // tag::inner[]
                    .build();
                    // end::inner[]
                // end::configure[]
                """);
        Snippets.Block block = Snippets.javaBlocks("""
                ## Configure

                ```java
                builder()
                    .name("payments")
                    .build();
                ```
                """).get(0);

        assertThat(Snippets.mismatch(block, regions)).hasValue("README.md java block 1 (line 3, section "
                + "'Configure', starting 'builder()') equals no tagged region; the closest is region 'configure' of "
                + "src/A.java:4, which differs at line 2 of the block:\n    README: .name(\"payments\")\n"
                + "    source: .name(\"orders\")");
    }

    @Test
    void aTagWithoutItsEndIsAnError() {
        assertThatThrownBy(() -> Snippets.regions("src/B.java", "a();\n// tag::open[]\nb();\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("src/B.java:2: tag 'open' is never ended (// end::open[])");
        assertThatThrownBy(() -> Snippets.regions("src/B.java", "// end::closed[]\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("src/B.java:1: end of tag 'closed' that is not open");
    }
}
