package io.kasper.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BoundedRunnerTest {

    private final ExecutorService executor = Executors.newFixedThreadPool(16);

    @AfterEach
    void stopExecutor() throws InterruptedException {
        executor.shutdownNow();
        assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void neverHasMoreThanMaxInFlightCallsOutstandingYetRunsThemConcurrently() {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger highest = new AtomicInteger();

        List<Integer> results = new BoundedRunner(4).run(200, i -> CompletableFuture.supplyAsync(() -> {
            highest.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                Thread.sleep(2); // simulated server latency, so that calls overlap
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inFlight.decrementAndGet();
            return i * 2;
        }, executor));

        assertThat(highest.get()).isBetween(2, 4);
        assertThat(results).hasSize(200).startsWith(0, 2, 4).endsWith(398);
    }

    @Test
    void reportsTheFirstFailureAndStartsNoCallAfterIt() {
        AtomicInteger started = new AtomicInteger();

        assertThatThrownBy(() -> new BoundedRunner(1).run(100, i -> {
            started.incrementAndGet();
            return i == 3 ? CompletableFuture.failedFuture(new IllegalStateException("write timeout on key 3"))
                    : CompletableFuture.completedFuture(i);
        })).isInstanceOf(IllegalStateException.class).hasMessage("write timeout on key 3");
        assertThat(started.get()).isEqualTo(4);
    }
}
