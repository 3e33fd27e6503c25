package io.kasper.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A processed batch whose output messages are being acknowledged. It is complete when the processor has returned
 * ({@link #seal()}) and every output message has been acknowledged or has failed.
 *
 * <p>Thread-safety: thread-safe; producer callbacks complete it from the producer's I/O thread.
 */
final class InFlightBatch {

    private final Batch batch;
    /** One for the processor still running, plus one per output message not yet acknowledged. */
    private final AtomicInteger pending = new AtomicInteger(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final long startNanos = System.nanoTime();
    private volatile long producedNanos;

    InFlightBatch(Batch batch) {
        this.batch = batch;
    }

    Batch batch() {
        return batch;
    }

    void expectAck() {
        pending.incrementAndGet();
    }

    void acked() {
        release();
    }

    void failed(Throwable cause) {
        failure.compareAndSet(null, cause);
        release();
    }

    /** Marks the processor as returned and every output as handed to the producer. */
    void seal() {
        producedNanos = System.nanoTime();
        release();
    }

    /** Marks the batch failed before it was sealed (the processor threw). */
    void abandon(Throwable cause) {
        failure.compareAndSet(null, cause);
        seal();
    }

    private void release() {
        if (pending.decrementAndGet() == 0) {
            done.complete(null);
        }
    }

    boolean isDone() {
        return done.isDone();
    }

    Throwable failure() {
        return failure.get();
    }

    CompletableFuture<Void> completion() {
        return done;
    }

    long startNanos() {
        return startNanos;
    }

    long producedNanos() {
        return producedNanos;
    }
}
