package io.kasper.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Unit tests of {@link Report#json()}. */
class ReportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void jsonHoldsEachMeasuredPipelineWithItsRatiosRoundedToThreeDecimals() throws Exception {
        Report report = new Report(Options.parse("--records", "5000"));
        report.rate(Report.CEILING, 3000.0, 0);
        report.run("pass-kasper", run(2000.0));
        report.run("pass-hand-rolled", run(1000.0));
        report.warmUp("pass-kasper", new WarmUp.Outcome(2, true, List.of(1900.12345, 2000.0)));

        JsonNode json = JSON.readTree(report.json());

        assertThat(json.path("records").asInt()).isEqualTo(5000);
        assertThat(json.path("pipelines").path(Report.CEILING).path("msgPerSec").asDouble()).isEqualTo(3000.0);
        JsonNode kasper = json.path("pipelines").path("pass-kasper");
        assertThat(kasper.path("msgPerSec").asDouble()).isEqualTo(2000.0);
        assertThat(kasper.path("vsBestHandRolled").asDouble()).isEqualTo(2.0);
        assertThat(kasper.path("vsCeiling").asDouble()).isEqualTo(0.667);
        assertThat(kasper.path("cpuUsPerRecord").path("jit").asDouble()).isEqualTo(0.25);
        assertThat(kasper.path("cpuUsPerRecord").path("gc").asDouble()).isEqualTo(0.125);
        assertThat(kasper.path("allocBytesPerRecord").asDouble()).isEqualTo(300.0);
        assertThat(kasper.path("warmUp").path("msgPerSec").get(0).asDouble()).isEqualTo(1900.123);
        assertThat(json.path("pipelines").path("pass-hand-rolled").path("warmUp").isNull()).isTrue();
    }

    @Test
    void jsonWritesUnmeasuredFiguresAsNullAndEscapesText() throws Exception {
        Report report = new Report(Options.parse("--records", "5000"));
        report.memory(10, 20, "in \"this\" JVM\\");

        JsonNode json = JSON.readTree(report.json());

        assertThat(json.path("pipelines").path(Report.CEILING).path("msgPerSec").isNull()).isTrue();
        assertThat(json.path("memory").path("pass-kasper").path("how").asText()).isEqualTo("in \"this\" JVM\\");
        assertThat(json.path("statefulAggregatesMatch").isNull()).isTrue();
        assertThat(json.has("largeValues")).isFalse();
    }

    private static TimedRun.Result run(double rate) {
        return new TimedRun.Result(rate, rate, 0, new CpuWindow.Usage(1.0, 2.0, Double.NaN, 0.5, 0.25, 0.125, 300), Map.of());
    }
}
