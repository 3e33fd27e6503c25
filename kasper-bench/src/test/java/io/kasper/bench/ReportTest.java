package io.kasper.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
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
        report.warmUp("pass-kasper", new WarmUp.Outcome(2, true, List.of(1900.12345, 2000.0), List.of(0.8, 0.1234)));

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
        assertThat(kasper.path("warmUp").path("jitUsPerRecord").get(1).asDouble()).isEqualTo(0.123);
        assertThat(json.path("pipelines").path("pass-hand-rolled").path("warmUp").isNull()).isTrue();
    }

    @Test
    void tableAndJsonSayWhetherTheBenchHeapWasSteadyAndWhereTheBrokerKeptItsLogs() throws Exception {
        Report report = new Report(Options.parse("--records", "5000"));
        report.heap(new BenchHeap(1L << 31, 1L << 31, true));
        report.brokerData(BrokerDataDir.choose(Path.of("/dev/shm"), 8L << 30));

        JsonNode json = JSON.readTree(report.json());

        JsonNode heap = json.path("benchJvmHeap");
        assertThat(heap.path("maxBytes").asLong()).isEqualTo(1L << 31);
        assertThat(heap.path("preTouched").asBoolean()).isTrue();
        assertThat(heap.path("steady").asBoolean()).isTrue();
        assertThat(json.path("brokerData").path("ramBacked").asBoolean()).isTrue();
        assertThat(report.table()).contains("bench JVM heap: fixed at 2,048 MiB and pre-touched",
                "broker data in /dev/shm (RAM-backed, 8.0 GiB free)");
    }

    @Test
    void kasperIsComparedRoundByRoundWithTheBestHandRolledLoopAndTheBestOtherPipeline() throws Exception {
        Report report = new Report(Options.parse("--records", "5000"));
        for (double[] round : new double[][] {{500, 650, 600, 400}, {900, 600, 750, 1000}}) {
            report.run("pass-kasper", run(round[0]));
            report.run("pass-hand-rolled", run(round[1]));
            report.run("pass-spring-batch", run(round[2]));
            report.run("pass-kasper-eos", run(round[3])); // one of Kasper's own: no rival
        }

        JsonNode byRound = JSON.readTree(report.json()).path("kasperByRound").path("pass-kasper");

        assertThat(byRound.path("vsBestHandRolled").get(0).asDouble()).isEqualTo(0.769);
        assertThat(byRound.path("vsBestHandRolled").get(1).asDouble()).isEqualTo(1.5);
        assertThat(byRound.path("vsBestOther").get(0).asDouble()).isEqualTo(0.769);
        assertThat(byRound.path("vsBestOther").get(1).asDouble()).isEqualTo(1.2);
        assertThat(report.table()).contains("pass-kasper by round: x best hand-rolled 0.77 1.50 (lowest 0.77)",
                "pass-kasper by round: x best other pipeline 0.77 1.20 (lowest 0.77)");
    }

    @Test
    void withoutAHandRolledLoopItsRatioColumnIsBlank() {
        Report report = new Report(Options.parse("--records", "5000"));
        report.run("pass-kasper", run(500.0));

        assertThat(report.table().lines().filter(l -> l.startsWith("pass-kasper "))).singleElement()
                .satisfies(row -> assertThat(row).doesNotContain("NaN").contains(" 1.00 "));
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

    @Test
    void exactlyOnceRowsAreComparedWithStreamsExactlyOnceAndKasperAtLeastOnceAndTheLatencyGoal() throws Exception {
        Report report = new Report(Options.parse("--records", "5000"));
        report.run("pass-kasper", run(4000.0));
        report.run("pass-kasper-eos", run(3000.0));
        report.run("pass-streams-eos", run(2000.0));
        report.latency("latency-kasper-eos", new LatencyRun.Result(120.0, 180.0, 250.0, 1000, 300.0));

        JsonNode eos = JSON.readTree(report.json()).path("exactlyOnce");

        assertThat(eos.path("pass-kasper-eos").path("vsStreamsExactlyOnce").asDouble()).isEqualTo(1.5);
        assertThat(eos.path("pass-kasper-eos").path("vsAtLeastOnce").asDouble()).isEqualTo(0.75);
        assertThat(eos.has("agg-kasper-redis-eos")).as("the aggregate phase did not run").isFalse();
        assertThat(eos.path("p99GoalMs").asDouble()).as("100 ms commit interval + 50 ms batch wait + 50 ms")
                .isEqualTo(200.0);
        assertThat(report.table()).contains("pass-kasper-eos: x1.50 pass-streams-eos (goal >= 1.3), x0.75 pass-kasper")
                .contains("latency-kasper-eos p99 180.0 ms (goal <= transactionCommitInterval + batchWaitDuration + "
                        + "50 ms = 200 ms)");
    }

    private static TimedRun.Result run(double rate) {
        return new TimedRun.Result(rate, rate, 0,
                new CpuWindow.Usage(1.0, 2.0, Double.NaN, Double.NaN, 0.5, 0.25, 0.125, 300), Map.of());
    }
}
