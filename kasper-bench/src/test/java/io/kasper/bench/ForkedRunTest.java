package io.kasper.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Unit tests of what a forked pipeline JVM is given and of the result line it prints. */
class ForkedRunTest {

    @Test
    void theForkedJvmGetsOnlyTheHeapFlags() {
        assertThat(ForkedRun.heapFlags(List.of("-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch",
                "-agentpath:/tmp/lib.so=start", "-Dprobe=1", "-XX:+UnlockDiagnosticVMOptions")))
                .containsExactly("-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch");
    }

    @Test
    void aResultLineCarriesEveryFigureOfTheRunAndItsWarmUp() throws Exception {
        TimedRun.Result run = new TimedRun.Result(1_234_567.5, Double.NaN, 3,
                new CpuWindow.Usage(0.9, 0.4, 0.0, 0.21, 0.05, 0.13, 0.02, 1148.0), null);
        WarmUp.Outcome warmUp = new WarmUp.Outcome(3, true, List.of(900_000.0, 1_100_000.0, 1_150_000.0),
                List.of(2.5, 0.4, 0.3));

        String json = PipelineChild.toJson(run, warmUp);
        TimedRun.Result back = PipelineChild.result(json, null);

        assertThat(back.rate()).isEqualTo(1_234_567.5);
        assertThat(back.outputRate()).isNaN();
        assertThat(back.duplicates()).isEqualTo(3);
        assertThat(back.cpu()).isEqualTo(run.cpu());
        assertThat(back.aggregates()).isNull();
        assertThat(PipelineChild.warmUp(json)).isEqualTo(warmUp);
    }
}
