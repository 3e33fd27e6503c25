package io.kasper.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BenchHeapTest {

    private static final long GIB = 1L << 30;

    @Test
    void aFixedPreTouchedHeapIsSteady() {
        BenchHeap heap = new BenchHeap(2 * GIB, 2 * GIB, true);

        assertThat(heap.steady()).isTrue();
        assertThat(heap.describe()).isEqualTo("bench JVM heap: fixed at 2,048 MiB and pre-touched");
    }

    @Test
    void aGrowingHeapIsNotSteadyAndTheLineNamesTheFlags() {
        BenchHeap heap = new BenchHeap(384L << 20, 6 * GIB, false);

        assertThat(heap.steady()).isFalse();
        assertThat(heap.describe()).isEqualTo("bench JVM heap: grows from 384 to 6,144 MiB, not pre-touched, so the "
                + "figures include the heap's growth; run java -Xms2g -Xmx2g -XX:+AlwaysPreTouch -jar "
                + "kasper-bench.jar for steady-state figures");
    }

    @Test
    void aFixedHeapThatWasNotPreTouchedIsNotSteady() {
        assertThat(new BenchHeap(2 * GIB, 2 * GIB, false).steady()).isFalse();
    }

    @Test
    void thisJvmReportsItsHeap() {
        BenchHeap heap = BenchHeap.ofThisJvm();

        assertThat(heap.maxBytes()).isPositive();
        assertThat(heap.initialBytes()).isPositive().isLessThanOrEqualTo(heap.maxBytes());
    }
}
