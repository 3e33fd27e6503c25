package io.kasper.bench;

import io.kasper.KasperMetrics;
import io.kasper.TopicProcessor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Runs the Kasper pass-through alone in a forked JVM and prints its own memory: used heap sampled every 50 ms, the
 * heap in use after each garbage collection (the live set), the kernel's peak RSS (VmHWM), and the processor's byte
 * budget with the most bytes it held. Arguments: bootstrap input output name partitions maxUncommittedBatches.
 */
public final class MemoryChild {

    private MemoryChild() {
    }

    /**
     * Entry point of the forked JVM; prints {@code MEMORY peakHeapBytes=<n> vmHwmBytes=<n> peakAfterGcBytes=<n>
     * budgetBytes=<n> batchMaxBytes=<n> maxHeldBytes=<n> pauses=<n> seconds=<s>}.
     */
    public static void main(String[] args) throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        long maxHeld = 0;
        long start = System.nanoTime();
        TopicProcessor processor;
        double pauses;
        try (MemorySampler sampler = new MemorySampler()) {
            processor = KasperPipe.create(args[0], args[3], args[1], args[2], Integer.parseInt(args[4]),
                    Integer.parseInt(args[5]), registry);
            try (RunningPipeline running = KasperPipe.run(processor)) {
                long deadline = System.nanoTime() + 600_000_000_000L;
                while (!processor.hasConsumedAllMessages()) {
                    if (running.failed() || System.nanoTime() > deadline) {
                        throw new IllegalStateException("memory run failed", running.failure());
                    }
                    maxHeld = Math.max(maxHeld, held(registry));
                    Thread.sleep(20);
                }
                pauses = registry.find(KasperMetrics.MEMORY_PAUSES).functionCounter() == null ? -1
                        : registry.find(KasperMetrics.MEMORY_PAUSES).functionCounter().count();
            }
            sampler.close();
            System.out.println("MEMORY peakHeapBytes=" + sampler.peakHeapBytes() + " vmHwmBytes="
                    + MemorySampler.vmHwmBytes() + " peakAfterGcBytes=" + sampler.peakAfterGcBytes()
                    + " budgetBytes=" + processor.config().maxBufferedBytes() + " batchMaxBytes="
                    + processor.config().batchMaxBytes() + " maxHeldBytes=" + maxHeld + " pauses=" + (long) pauses
                    + " seconds=" + (System.nanoTime() - start) / 1e9);
        }
        System.exit(0);
    }

    private static long held(SimpleMeterRegistry registry) {
        var gauge = registry.find(KasperMetrics.MEMORY_BUFFERED).gauge();
        return gauge == null ? 0 : (long) gauge.value();
    }
}
