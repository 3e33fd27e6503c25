package io.kasper.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Unit tests of {@link ThreadAllocation}. */
class ThreadAllocationTest {

    private static final int ARRAYS = 20;
    private static final int ARRAY_BYTES = 1 << 20;

    /** Keeps each array reachable so that the JIT cannot drop the allocations. */
    private static volatile Object sink;

    @Test
    void countsWhatAThreadStartedInTheWindowAllocatesAndLeavesTheMeasuringThreadOut() throws Exception {
        Set<Thread> measuring = Set.of(Thread.currentThread());
        ThreadAllocation window = ThreadAllocation.open(measuring);
        assertThat(window).as("this JVM counts allocations per thread").isNotNull();
        CountDownLatch allocated = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // the worker stays alive until measured: a thread's count ends with it
        Thread worker = new Thread(() -> {
            allocate();
            allocated.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        worker.start();
        allocated.await();
        allocate(); // on the measuring thread: left out

        long bytes = window.allocatedSince(measuring);
        release.countDown();
        worker.join();

        assertThat(bytes).isBetween((long) ARRAYS * ARRAY_BYTES, 2L * ARRAYS * ARRAY_BYTES);
    }

    private static void allocate() {
        for (int i = 0; i < ARRAYS; i++) {
            sink = new byte[ARRAY_BYTES];
        }
    }
}
