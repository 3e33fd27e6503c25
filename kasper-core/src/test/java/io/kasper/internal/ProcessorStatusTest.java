package io.kasper.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.kasper.ProcessorState;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Readiness of a running processor whose loop thread is blocked on the cluster. */
class ProcessorStatusTest {

    @Test
    void aLoopBlockedOnTheClusterForLongerThanTwoSecondsIsNotReadyUntilTheCallReturns() {
        ProcessorStatus status = new ProcessorStatus();
        status.move(ProcessorState.RUNNING);
        assertThat(status.isReady()).isTrue();

        status.blocking(System.nanoTime());
        assertThat(status.isReady()).as("a send or flush that just started").isTrue();

        status.blocking(System.nanoTime() - TimeUnit.SECONDS.toNanos(3));
        assertThat(status.isReady()).as("blocked for 3 s, e.g. send() waiting for metadata").isFalse();
        assertThat(status.state()).isEqualTo(ProcessorState.RUNNING);

        status.unblocked();
        assertThat(status.isReady()).isTrue();
    }
}
