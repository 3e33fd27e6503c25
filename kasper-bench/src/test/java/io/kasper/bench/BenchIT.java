package io.kasper.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Runs the whole benchmark in-process with tiny N against a real forked broker and Redis. */
class BenchIT {

    private static final String[] PIPELINES = {Report.CEILING, "pass-hand-rolled", "pass-kasper", "pass-streams",
        "agg-hand-rolled-redis", "agg-kasper-redis", "agg-streams", "pass-spring-batch", "agg-spring-redis"};

    @Test
    @Timeout(180)
    void tinyRunReportsEveryPipelineWithAPositiveRateAndMatchingAggregates(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("bench.json");
        Main.run(Options.parse("--records", "5000", "--repeat", "1", "--latency-seconds", "2", "--json",
                json.toString()));

        String text = Files.readString(json);
        for (String pipeline : PIPELINES) {
            Matcher m = Pattern.compile("\"" + Pattern.quote(pipeline) + "\": \\{\"msgPerSec\": ([0-9.]+)")
                    .matcher(text);
            assertThat(m.find()).as("pipeline %s in %s", pipeline, text).isTrue();
            assertThat(Double.parseDouble(m.group(1))).as(pipeline).isPositive();
        }
        assertThat(text).contains("\"statefulAggregatesMatch\": true");
        assertThat(text).containsPattern("\"latency-kasper\": \\{\"p50Ms\": [0-9.]+");
        assertThat(text).containsPattern("\"latency-streams\": \\{\"p50Ms\": [0-9.]+");
        assertThat(text).containsPattern("\"peakHeapBytes\": [1-9][0-9]*");
        // Every Spring container and producer was closed after its run: none of their threads is left.
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                .noneMatch(name -> name.contains("spring-batch-pipe") || name.contains("spring-redis-agg"));
    }
}
