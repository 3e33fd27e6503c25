package io.kasper.bench;

import io.kasper.TopicProcessor;

/**
 * Runs the Kasper pass-through alone in a forked JVM and prints its own memory: used heap sampled every 50 ms and
 * the kernel's peak RSS (VmHWM). Arguments: bootstrap input output name partitions maxUncommittedBatches.
 */
public final class MemoryChild {

    private MemoryChild() {
    }

    /** Entry point of the forked JVM; prints {@code MEMORY peakHeapBytes=<n> vmHwmBytes=<n>}. */
    public static void main(String[] args) throws Exception {
        try (MemorySampler sampler = new MemorySampler()) {
            TopicProcessor processor = KasperPipe.create(args[0], args[3], args[1], args[2],
                    Integer.parseInt(args[4]), Integer.parseInt(args[5]));
            try (RunningPipeline running = KasperPipe.run(processor)) {
                long deadline = System.nanoTime() + 600_000_000_000L;
                while (!processor.hasConsumedAllMessages()) {
                    if (running.failed() || System.nanoTime() > deadline) {
                        throw new IllegalStateException("memory run failed", running.failure());
                    }
                    Thread.sleep(20);
                }
            }
            sampler.close();
            System.out.println("MEMORY peakHeapBytes=" + sampler.peakHeapBytes() + " vmHwmBytes="
                    + MemorySampler.vmHwmBytes());
        }
        System.exit(0);
    }
}
