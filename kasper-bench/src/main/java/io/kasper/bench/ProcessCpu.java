package io.kasper.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of processes: this JVM's (from {@code com.sun.management.OperatingSystemMXBean}), a thread's of this JVM
 * (from the ThreadMXBean) and another process's (utime + stime of {@code /proc/<pid>/stat}, Linux only).
 */
public final class ProcessCpu {

    /** Jiffies per second of {@code /proc/<pid>/stat}; 100 on every mainstream Linux build. */
    private static final long CLOCK_TICKS = clockTicks();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private ProcessCpu() {
    }

    /** Returns the CPU time this JVM has used, all threads (GC and JIT included), in ns; -1 when unsupported. */
    public static long ofThisJvm() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** Returns the CPU time of a live thread of this JVM in ns, 0 when it is gone or unmeasurable. */
    public static long ofThread(long threadId) {
        long t = THREADS.isThreadCpuTimeSupported() ? THREADS.getThreadCpuTime(threadId) : -1;
        return Math.max(0, t);
    }

    /** Returns the CPU time (user + system) a process has used in ns, -1 when it cannot be read (not Linux, gone). */
    public static long ofPid(long pid) {
        if (pid <= 0) {
            return -1;
        }
        try {
            return ticksToNanos(ticksOfStat(Files.readString(Path.of("/proc", Long.toString(pid), "stat"),
                    StandardCharsets.US_ASCII)));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Converts clock ticks of {@code /proc} to ns. */
    static long ticksToNanos(long ticks) {
        return ticks * (1_000_000_000L / CLOCK_TICKS);
    }

    /**
     * Returns utime + stime, in clock ticks, of a {@code /proc/<pid>/stat} line. The fields are counted after the
     * last ')' because the command name in parentheses may itself hold spaces and parentheses.
     */
    static long ticksOfStat(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" +");
        // after the name: state is field 3 of proc(5), so utime (14) and stime (15) are at 11 and 12 here
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            p.waitFor();
            long ticks = Long.parseLong(out);
            return ticks > 0 ? ticks : 100;
        } catch (IOException | RuntimeException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
