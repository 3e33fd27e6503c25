package io.kasper.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Samples this JVM's used heap every 50 ms, records the heap in use after every garbage collection (from GC
 * notifications: the live set, without the garbage that sampling also sees), and reads its resident set (VmRSS,
 * VmHWM) from /proc/self/status.
 */
public final class MemorySampler implements AutoCloseable {

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long peakHeap;
    private volatile long peakRss;
    private final AtomicLong peakAfterGc = new AtomicLong();
    private final Set<String> heapPools = new HashSet<>();
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener afterGc = (notification, handback) -> {
        if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from(
                    (CompositeData) notification.getUserData());
            long heap = 0;
            for (Map.Entry<String, MemoryUsage> pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                if (heapPools.contains(pool.getKey())) {
                    heap += pool.getValue().getUsed();
                }
            }
            peakAfterGc.accumulateAndGet(heap, Math::max);
        }
    };

    /** Starts sampling. */
    public MemorySampler() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapPools.add(pool.getName());
            }
        }
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(afterGc, null, null);
                emitters.add(emitter);
            }
        }
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

    /** Returns the highest heap in use right after a garbage collection, in bytes (0 when none ran). */
    public long peakAfterGcBytes() {
        return peakAfterGc.get();
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
        for (NotificationEmitter emitter : emitters) {
            try {
                emitter.removeNotificationListener(afterGc);
            } catch (javax.management.ListenerNotFoundException e) {
                // already removed by an earlier close()
            }
        }
        emitters.clear();
        running = false;
        sample();
        thread.interrupt();
    }
}
