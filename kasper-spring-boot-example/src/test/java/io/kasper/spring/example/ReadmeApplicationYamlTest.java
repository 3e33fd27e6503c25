package io.kasper.spring.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's Spring Boot section shows the example's application.yml as it is. */
class ReadmeApplicationYamlTest {

    @Test
    void theReadmesYamlBlockIsTheExamplesApplicationYml() throws IOException {
        String readme = Files.readString(Path.of("../README.md"), StandardCharsets.UTF_8);
        String yml = Files.readString(Path.of("src/main/resources/application.yml"), StandardCharsets.UTF_8);
        int start = readme.indexOf("```yaml\n");
        assertThat(start).as("a ```yaml block in README.md").isNotNegative();
        int end = readme.indexOf("```\n", start + 8);
        assertThat(readme.substring(start + 8, end)).isEqualTo(yml);
    }
}
