package io.kasper.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Unit tests of {@link ProcessCpu}. */
class ProcessCpuTest {

    @Test
    void statTicksAreUtimePlusStimeCountedAfterTheLastParenthesis() {
        String stat = "4242 (java (a) b) S 1 4242 4242 0 -1 4194560 9000 0 12 0 1500 250 7 3 20 0 40 0 100 0 0";

        assertThat(ProcessCpu.ticksOfStat(stat)).isEqualTo(1750);
    }

    @Test
    void thisJvmAndThisProcessReportCpuTime() {
        long jvm = ProcessCpu.ofThisJvm();
        long self = ProcessCpu.ofPid(ProcessHandle.current().pid());

        assertThat(jvm).isPositive();
        assertThat(self).isPositive();
    }

    @Test
    void anUnknownPidReadsAsMinusOne() {
        assertThat(ProcessCpu.ofPid(-1)).isEqualTo(-1);
        assertThat(ProcessCpu.ofPid(Long.MAX_VALUE)).isEqualTo(-1);
    }

    @Test
    void theJitAndGcThreadsOfThisJvmAreFoundByName() {
        for (int i = 0; i < 50; i++) {
            System.gc(); // run by G1's worker threads: at least one 10 ms tick of GC time after 50 full collections
        }

        JvmThreadsCpu.Sample sample = JvmThreadsCpu.read();

        assertThat(sample.jit()).as("the compiler threads compiled the test framework").isPositive();
        assertThat(sample.gc()).as("the garbage collector's threads ran the collections").isPositive();
        assertThat(sample.jit() + sample.gc()).isLessThanOrEqualTo(ProcessCpu.ofThisJvm());
    }
}
