package io.kasper.bench;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/** A pipeline running on a background thread until closed; remembers a failure. */
public class RunningPipeline implements AutoCloseable {

    /** The work of a pipeline's thread: runs until {@code stop} turns true. */
    @FunctionalInterface
    public interface Body {
        /** Runs the pipeline until {@code stop} is set. */
        void run(AtomicBoolean stop) throws Exception;
    }

    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;
    private final Runnable onStop;

    /** Starts {@code body} on a new thread; {@code onStop} (may be null) runs on close before the thread is joined. */
    public RunningPipeline(String name, Body body, Runnable onStop) {
        this.onStop = onStop;
        this.thread = new Thread(() -> {
            try {
                body.run(stop);
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        }, name);
        thread.start();
    }

    /** Returns whether the pipeline's thread failed. */
    public boolean failed() {
        return failure.get() != null;
    }

    /** Returns the failure, or null. */
    public Throwable failure() {
        return failure.get();
    }

    /** Stops the pipeline and waits for its thread (at most 60 s). */
    @Override
    public void close() {
        stop.set(true);
        if (onStop != null) {
            onStop.run();
        }
        try {
            thread.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
