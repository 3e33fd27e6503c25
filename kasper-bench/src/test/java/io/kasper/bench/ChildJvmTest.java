package io.kasper.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Unit tests of how the output of a forked process is sorted (a shell stands in for the forked JVM). */
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
}
