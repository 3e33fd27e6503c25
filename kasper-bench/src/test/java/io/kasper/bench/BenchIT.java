package io.kasper.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the whole benchmark in-process with tiny N against a real forked broker and Redis: every registered pipeline
 * but the two at Streams' default commit interval, which would wait 30 s for each commit (their code differs from the
 * 1,000 ms ones only by that setting).
 */
class BenchIT {

    private static final List<String> PIPELINES = Pipelines.names().stream().filter(n -> !n.endsWith("-default"))
            .toList();

    @Test
    @Timeout(300)
    void tinyRunReportsEveryPipelineWithAPositiveRateAndMatchingAggregates(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("bench.json");
        Main.run(Options.parse("--records", "5000", "--repeat", "1", "--latency-seconds", "2", "--json",
                json.toString(), "--peers", String.join(",", PIPELINES)));

        String text = Files.readString(json);
        for (String pipeline : PIPELINES) {
            Matcher m = Pattern.compile("\"" + Pattern.quote(pipeline) + "\": \\{\"msgPerSec\": ([0-9.]+).*"
                    + "\"cpuUsPerRecord\": \\{\"jvm\": ([0-9.]+), \"broker\": ([0-9.]+).*"
                    + "\"warmUp\": \\{\"rounds\": ([0-9]+)").matcher(text);
            assertThat(m.find()).as("pipeline %s in %s", pipeline, text).isTrue();
            assertThat(Double.parseDouble(m.group(1))).as(pipeline).isPositive();
            assertThat(Double.parseDouble(m.group(2))).as(pipeline + " jvm CPU").isPositive();
            assertThat(Double.parseDouble(m.group(3))).as(pipeline + " broker CPU").isPositive();
            assertThat(Integer.parseInt(m.group(4))).as(pipeline + " warm-up rounds, capped at 2 for N = 5,000")
                    .isEqualTo(2);
        }
        assertThat(text).containsPattern("\"" + Report.CEILING + "\": \\{\"msgPerSec\": [0-9.]+");
        assertThat(text).contains("\"cpuIdleBaseline\"");
        assertThat(text).contains("\"statefulAggregatesMatch\": true");
        assertThat(text).containsPattern("\"latency-kasper\": \\{\"p50Ms\": [0-9.]+");
        assertThat(text).containsPattern("\"latency-streams\": \\{\"p50Ms\": [0-9.]+");
        assertThat(text).containsPattern("\"peakHeapBytes\": [1-9][0-9]*");
        // Every Spring container and producer was closed after its run: none of their threads is left.
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                .noneMatch(name -> name.contains("spring-batch-pipe") || name.contains("spring-redis-agg"));
    }
}
