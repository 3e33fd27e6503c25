package io.kasper.bench;

import java.util.HashSet;
import java.util.Set;

/**
 * The CPU used over one timed window: by the bench JVM minus its measuring threads (the thread that polls for
 * completion and the admin client's network thread), by the broker, by Redis and by the delay proxy if any; and the
 * bytes the bench JVM's threads, measuring ones left out, allocated over it. Open it right before the pipeline's
 * clients are created and {@link #close(long)} it when the run is complete.
 */
public final class CpuWindow {

    private final Env env;
    private final long pollerThread;
    private final long jvm0;
    private final long poller0;
    private final long broker0;
    private final long redis0;
    private final long proxy0;
    private final JvmThreadsCpu.Sample service0;
    private final ThreadAllocation alloc0;

    private CpuWindow(Env env) {
        this.env = env;
        this.pollerThread = Thread.currentThread().getId();
        this.poller0 = pollerNanos();
        this.broker0 = ProcessCpu.ofPid(env.brokerPid());
        this.redis0 = ProcessCpu.ofPid(env.redisPid());
        this.proxy0 = ProcessCpu.ofPid(env.proxyPid());
        this.service0 = JvmThreadsCpu.read();
        this.alloc0 = ThreadAllocation.open(measuringThreads());
        this.jvm0 = ProcessCpu.ofThisJvm();
    }

    /** Starts a window on the calling thread, which is the one that will poll for completion. */
    public static CpuWindow open(Env env) {
        return new CpuWindow(env);
    }

    /**
     * Ends the window and returns the CPU time per record, in µs, of each process over it, and the bytes allocated
     * per record.
     *
     * @param records the records the window processed
     */
    public Usage close(long records) {
        long jvm1 = ProcessCpu.ofThisJvm();
        long poller = pollerNanos() - poller0;
        long broker1 = ProcessCpu.ofPid(env.brokerPid());
        long redis1 = ProcessCpu.ofPid(env.redisPid());
        long proxy1 = ProcessCpu.ofPid(env.proxyPid());
        JvmThreadsCpu.Sample service1 = JvmThreadsCpu.read();
        long allocated = alloc0 == null ? -1 : alloc0.allocatedSince(measuringThreads());
        return new Usage(perRecord(jvm0, jvm1 - poller, records), perRecord(broker0, broker1, records),
                perRecord(redis0, redis1, records), perRecord(proxy0, proxy1, records), poller / 1e3 / records,
                perRecord(service0.jit(), service1.jit(), records), perRecord(service0.gc(), service1.gc(), records),
                allocated < 0 ? Double.NaN : (double) allocated / records);
    }

    private Set<Thread> measuringThreads() {
        Set<Thread> measuring = new HashSet<>(env.adminThreads());
        measuring.add(Thread.currentThread());
        return measuring;
    }

    private long pollerNanos() {
        return ProcessCpu.ofThread(pollerThread) + env.adminThreadCpuNanos();
    }

    private static double perRecord(long from, long to, long records) {
        return from < 0 || to < 0 ? Double.NaN : (to - from) / 1e3 / records;
    }

    /**
     * CPU µs per record over a window; NaN where it could not be read.
     *
     * @param jvm the bench JVM (the pipeline, its clients, GC and JIT), less the measuring threads
     * @param broker the broker JVM (it also answers the measuring admin client, see the idle baseline)
     * @param redis the Redis server
     * @param proxy the delay proxy's JVM ({@code --network-delay-ms}), which stands for the network; NaN without one
     * @param poller the measuring threads of the bench JVM, left out of {@code jvm}
     * @param jit the JIT compiler threads of the bench JVM, included in {@code jvm}
     * @param gc the garbage collector's threads of the bench JVM, included in {@code jvm}
     * @param alloc heap bytes (not µs) per record allocated by the bench JVM's threads, measuring ones left out
     */
    public record Usage(double jvm, double broker, double redis, double proxy, double poller, double jit, double gc,
            double alloc) {

        /** The bench JVM less its JIT compiler and GC threads: the pipeline's own threads and its clients'. */
        public double threads() {
            return jvm - jit - gc;
        }
    }
}
