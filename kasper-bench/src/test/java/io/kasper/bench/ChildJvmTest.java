package io.kasper.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Unit tests of the command of a forked JVM and of how its output is sorted (a shell stands in for the JVM). */
class ChildJvmTest {

    @Test
    void theResultLineProgressAndTheRestAreSortedAndTheExitValueKept() throws Exception {
        List<String> progress = new ArrayList<>();
        ChildJvm.Output out = ChildJvm.run(List.of("/bin/sh", "-c",
                "echo 'PROGRESS round 1'; echo 'a log line'; echo 'RESULT {\"rate\":1}' ; echo 'oops' >&2; exit 3"),
                "RESULT ", "PROGRESS ", progress::add, Duration.ofSeconds(30));

        assertThat(out.result()).isEqualTo("RESULT {\"rate\":1}");
        assertThat(progress).containsExactly("round 1");
        assertThat(out.log()).isEqualTo("a log line\noops\n");
        assertThat(out.exitValue()).isEqualTo(3);
        assertThat(out.succeeded()).as("a result, but a failed exit").isFalse();
    }

    @Test
    void aProcessWithoutAResultLineDidNotSucceed() throws Exception {
        ChildJvm.Output out = ChildJvm.run(List.of("/bin/sh", "-c", "echo 'only a log'"), "RESULT ", null,
                line -> { }, Duration.ofSeconds(30));

        assertThat(out.result()).isNull();
        assertThat(out.exitValue()).isZero();
        assertThat(out.succeeded()).isFalse();
    }

    @Test
    void theCommandRunsTheMainClassOnThisJvmsInstallationAndClassPathWithTheFlagsFirst() {
        List<String> command = ChildJvm.command(List.of("-Xmx128m"), DelayProxy.class, List.of("1", "2"));

        assertThat(command).containsExactly(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                "-cp", System.getProperty("java.class.path"), "io.kasper.bench.DelayProxy", "1", "2");
    }
}
