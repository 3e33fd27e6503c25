package io.kasper.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of this JVM's own service threads, by kind, from {@code /proc/self/task/<tid>/stat} (Linux only): the JIT
 * compiler threads and the garbage collector's threads. The JVM names them ("C2 CompilerThre", "C1 CompilerThre",
 * "GC Thread#0", "G1 Conc#0", "G1 Refine#0", "G1 Service"...), and they are not Java threads, so the ThreadMXBean
 * cannot see them. A compiler thread that exits within a window takes its time with it, so the JIT figure is a
 * lower bound.
 */
final class JvmThreadsCpu {

    private static final Path TASKS = Path.of("/proc/self/task");

    private JvmThreadsCpu() {
    }

    /**
     * CPU time in ns of the JIT compiler threads and of the GC threads; both -1 when {@code /proc} cannot be read.
     *
     * @param jit the compiler threads
     * @param gc the garbage collector's threads (parallel workers, concurrent marking, refinement, service)
     */
    record Sample(long jit, long gc) {
    }

    /** Reads the current CPU times. */
    static Sample read() {
        long jitTicks = 0;
        long gcTicks = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"), StandardCharsets.US_ASCII);
                } catch (IOException threadGone) {
                    continue;
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                if (name.contains("CompilerThre")) {
                    jitTicks += ProcessCpu.ticksOfStat(stat);
                } else if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
                    gcTicks += ProcessCpu.ticksOfStat(stat);
                }
            }
        } catch (IOException | RuntimeException e) {
            return new Sample(-1, -1);
        }
        return new Sample(ProcessCpu.ticksToNanos(jitTicks), ProcessCpu.ticksToNanos(gcTicks));
    }
}
