package io.kasper.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/** A pipeline running on background threads (one, or one per member) until closed; remembers a failure. */
public class RunningPipeline implements AutoCloseable {

    /** The work of a pipeline's thread: runs until {@code stop} turns true. */
    @FunctionalInterface
    public interface Body {
        /** Runs the pipeline until {@code stop} is set. */
        void run(AtomicBoolean stop) throws Exception;
    }

    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final List<Thread> threads = new ArrayList<>();
    private final Runnable onStop;

    /** Starts {@code body} on a new thread; {@code onStop} (may be null) runs on close before the thread is joined. */
    public RunningPipeline(String name, Body body, Runnable onStop) {
        this(name, 1, member -> body, onStop);
    }

    /**
     * Starts a pipeline scaled out over {@code members} threads, as a user runs several consumer threads or processors
     * in one JVM: each member's body on a thread of its own ({@code name-<member>}; just {@code name} for a single
     * member), all under one stop flag. The first failure of any member is the pipeline's. {@code onStop} (may be
     * null) runs on close before the threads are joined.
     *
     * @param member the body of member 0..members-1, created on the calling thread
     */
    public RunningPipeline(String name, int members, IntFunction<Body> member, Runnable onStop) {
        this.onStop = onStop;
        // every body is created before any thread starts, so that a member that cannot be created starts nothing
        for (int m = 0; m < members; m++) {
            Body body = member.apply(m);
            threads.add(new Thread(() -> {
                try {
                    body.run(stop);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }, members == 1 ? name : name + "-" + m));
        }
        threads.forEach(Thread::start);
    }

    /** Returns whether a thread of the pipeline failed. */
    public boolean failed() {
        return failure.get() != null;
    }

    /** Returns the first failure, or null. */
    public Throwable failure() {
        return failure.get();
    }

    /** Stops the pipeline and waits for its threads (at most 60 s in all). */
    @Override
    public void close() {
        stop.set(true);
        if (onStop != null) {
            onStop.run();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try {
            for (Thread thread : threads) {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
