package io.kasper.test;

import io.kasper.TopicProcessor;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a {@link TopicProcessor}'s loop on a thread of its own, so that a test (or a demo) can watch it, wait for it to
 * catch up, observe how it ended, and stop it.
 *
 * <pre>{@code
 * try (RunningTopicProcessor running = RunningTopicProcessor.start(new TopicProcessor(config, p -> processor))) {
 *     running.awaitConsumedAll(Duration.ofSeconds(60));
 * }   // close(): the processor commits what is complete and its loop returns
 * }</pre>
 *
 * <p>Thread-safety: thread-safe; {@link #close()} is idempotent and safe from a shutdown hook.
 */
public final class RunningTopicProcessor implements AutoCloseable {

    private final TopicProcessor processor;
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final Thread thread;
    private volatile boolean failureObserved;

    private RunningTopicProcessor(TopicProcessor processor) {
        this.processor = processor;
        this.thread = new Thread(this::run, "kasper-loop-" + processor.config().topicProcessorName());
    }

    /**
     * Starts {@code processor.runLoop()} on a new thread.
     *
     * @param processor a processor whose loop has not run yet
     * @return the running processor
     */
    public static RunningTopicProcessor start(TopicProcessor processor) {
        RunningTopicProcessor running = new RunningTopicProcessor(Objects.requireNonNull(processor, "processor"));
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

    /**
     * Returns the processor.
     *
     * @return the processor
     */
    public TopicProcessor processor() {
        return processor;
    }

    /**
     * Returns the thread that runs the loop.
     *
     * @return the thread that runs the loop
     */
    public Thread thread() {
        return thread;
    }

    /**
     * Returns whether {@code runLoop()} has returned or thrown.
     *
     * @return whether {@code runLoop()} has returned or thrown
     */
    public boolean hasEnded() {
        return ended.isDone();
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
                        failureOrNull());
            }
            if (System.nanoTime() - deadline > 0) {
                throw new TimeoutException("the topic processor did not consume all messages within " + timeout);
            }
            // the processor has no completion callback: polling its flag is the only way to learn it caught up
            Thread.sleep(20);
        }
    }

    /**
     * Waits for {@code runLoop()} to return normally.
     *
     * @param timeout the longest to wait
     * @throws IllegalStateException when it threw (the cause) or did not end in time
     * @throws InterruptedException when interrupted while waiting
     */
    public void awaitNormalEnd(Duration timeout) throws InterruptedException {
        try {
            ended.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            failureObserved = true;
            throw new IllegalStateException("runLoop() threw " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("runLoop() did not end within " + timeout, e);
        }
    }

    /**
     * Waits for {@code runLoop()} to throw and returns what it threw.
     *
     * @param timeout the longest to wait
     * @return the exception {@code runLoop()} threw
     * @throws IllegalStateException when it returned normally or did not end in time
     * @throws InterruptedException when interrupted while waiting
     */
    public Throwable awaitFailure(Duration timeout) throws InterruptedException {
        try {
            ended.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            failureObserved = true;
            return e.getCause();
        } catch (TimeoutException e) {
            throw new IllegalStateException("runLoop() did not end within " + timeout, e);
        }
        throw new IllegalStateException("runLoop() returned normally, a failure was expected");
    }

    private Throwable failureOrNull() {
        try {
            ended.getNow(null);
            return null;
        } catch (CompletionException e) {
            return e.getCause();
        }
    }

    /**
     * Closes the processor (it commits what is complete) and waits for its loop to return.
     *
     * @throws IllegalStateException when the loop failed and nobody observed it through {@link #awaitFailure} or
     *     {@link #awaitNormalEnd} (the failure is the cause), or when it does not return after close
     */
    @Override
    public void close() {
        processor.close();
        try {
            ended.get(processor.config().closeTimeout().toMillis() * 2 + 1_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!failureObserved) {
                throw new IllegalStateException("the topic processor failed", e.getCause());
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("the topic processor's loop did not return after close()", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
