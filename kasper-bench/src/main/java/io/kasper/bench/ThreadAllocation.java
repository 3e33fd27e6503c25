package io.kasper.bench;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Bytes allocated on the heap by this JVM's live Java threads, thread by thread, from
 * {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}. Unlike CPU time, the figure does not depend on
 * what else the machine runs. JVM service threads (GC, JIT) do not allocate Java objects and are not Java threads; a
 * thread that ends within a window takes its bytes with it, so a window's figure is a lower bound.
 * Not thread-safe: one window per instance.
 */
final class ThreadAllocation {

    private final Map<Long, Long> start;

    private ThreadAllocation(Map<Long, Long> start) {
        this.start = start;
    }

    /**
     * Takes the starting sample.
     *
     * @param measuring the threads to leave out (those that only measure)
     * @return the window's start, or null when the JVM cannot count allocations
     */
    static ThreadAllocation open(Set<Thread> measuring) {
        Map<Long, Long> bytes = sample(measuring);
        return bytes == null ? null : new ThreadAllocation(bytes);
    }

    /**
     * Returns the bytes allocated since {@link #open} by the threads alive now, less the measuring ones; a thread
     * started within the window counts from zero. -1 when the JVM stopped counting.
     *
     * @param measuring the threads to leave out
     */
    long allocatedSince(Set<Thread> measuring) {
        Map<Long, Long> now = sample(measuring);
        if (now == null) {
            return -1;
        }
        long total = 0;
        for (Map.Entry<Long, Long> e : now.entrySet()) {
            total += e.getValue() - start.getOrDefault(e.getKey(), 0L);
        }
        return total;
    }

    private static Map<Long, Long> sample(Set<Thread> measuring) {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads)
                || !threads.isThreadAllocatedMemorySupported() || !threads.isThreadAllocatedMemoryEnabled()) {
            return null;
        }
        Map<Long, Long> bytes = new HashMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (!measuring.contains(t)) {
                long b = threads.getThreadAllocatedBytes(t.getId());
                if (b >= 0) {
                    bytes.put(t.getId(), b);
                }
            }
        }
        return bytes;
    }
}
