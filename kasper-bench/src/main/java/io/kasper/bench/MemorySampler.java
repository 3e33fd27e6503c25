package io.kasper.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/** Samples this JVM's used heap every 50 ms and reads its resident set (VmRSS, VmHWM) from /proc/self/status. */
public final class MemorySampler implements AutoCloseable {

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long peakHeap;
    private volatile long peakRss;

    /** Starts sampling. */
    public MemorySampler() {
        thread = new Thread(() -> {
            while (running) {
                sample();
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "memory-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    private void sample() {
        peakHeap = Math.max(peakHeap, memory.getHeapMemoryUsage().getUsed());
        peakRss = Math.max(peakRss, procStatusKb("VmRSS") * 1024);
    }

    /** Returns the highest used heap seen, in bytes. */
    public long peakHeapBytes() {
        return peakHeap;
    }

    /** Returns the highest VmRSS seen by the sampler, in bytes. */
    public long peakSampledRssBytes() {
        return peakRss;
    }

    /** Returns this process's peak resident set (VmHWM, kept by the kernel), in bytes; -1 when unknown. */
    public static long vmHwmBytes() {
        long kb = procStatusKb("VmHWM");
        return kb < 0 ? -1 : kb * 1024;
    }

    /** Returns a field of /proc/self/status in kB, or -1 when it cannot be read. */
    static long procStatusKb(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    @Override
    public void close() {
        running = false;
        sample();
        thread.interrupt();
    }
}
