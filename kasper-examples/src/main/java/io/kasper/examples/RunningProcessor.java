package io.kasper.examples;

import io.kasper.TopicProcessor;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a {@link TopicProcessor}'s loop on a thread of its own, so the caller can watch it and stop it.
 *
 * <p>Thread-safety: thread-safe; {@link #close()} is idempotent and safe from a shutdown hook.
 */
public final class RunningProcessor implements AutoCloseable {

    private final TopicProcessor processor;
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final Thread thread;

    private RunningProcessor(TopicProcessor processor) {
        this.processor = processor;
        this.thread = new Thread(this::run, "kasper-loop-" + processor.config().topicProcessorName());
    }

    /**
     * Starts {@code processor.runLoop()} on a new thread.
     *
     * @param processor a processor whose loop has not run yet
     * @return the running processor
     */
    public static RunningProcessor start(TopicProcessor processor) {
        RunningProcessor running = new RunningProcessor(Objects.requireNonNull(processor, "processor"));
        running.thread.start();
        return running;
    }

    private void run() {
        try {
            processor.runLoop();
            ended.complete(null);
        } catch (Throwable t) {
            ended.completeExceptionally(t);
        }
    }

    /** Returns the processor. */
    public TopicProcessor processor() {
        return processor;
    }

    /**
     * Waits until the processor has consumed every message present in its input topics.
     *
     * @param timeout the longest to wait
     * @throws TimeoutException when not everything is consumed in time
     * @throws IllegalStateException when the loop stopped before (its failure is the cause)
     * @throws InterruptedException when interrupted while waiting
     */
    public void awaitConsumedAll(Duration timeout) throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!processor.hasConsumedAllMessages()) {
            if (ended.isDone()) {
                throw new IllegalStateException("the topic processor stopped before consuming all messages",
                        failure());
            }
            if (System.nanoTime() - deadline > 0) {
                throw new TimeoutException("the topic processor did not consume all messages within " + timeout);
            }
            // the processor has no completion callback: polling its flag is the only way to learn it caught up
            Thread.sleep(50);
        }
    }

    private Throwable failure() {
        try {
            ended.getNow(null);
            return null;
        } catch (java.util.concurrent.CompletionException e) {
            return e.getCause();
        }
    }

    /**
     * Closes the processor (it commits what is complete) and waits for its loop to return.
     *
     * @throws IllegalStateException when the loop had failed; the failure is the cause
     */
    @Override
    public void close() {
        processor.close();
        try {
            ended.get(processor.config().closeTimeout().toMillis() * 2 + 1_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the topic processor failed", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the topic processor's loop did not return after close()", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
