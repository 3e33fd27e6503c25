package io.kasper.it;

import io.kasper.TopicProcessor;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Runs a TopicProcessor's loop on its own thread and captures how it ended. */
final class BackgroundRun implements AutoCloseable {

    private final TopicProcessor processor;
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final Thread thread;

    private BackgroundRun(TopicProcessor processor) {
        this.processor = processor;
        this.thread = new Thread(() -> {
            try {
                processor.runLoop();
                ended.complete(null);
            } catch (Throwable t) {
                ended.completeExceptionally(t);
            }
        }, "kasper-loop-" + processor.config().topicProcessorName());
        thread.start();
    }

    static BackgroundRun start(TopicProcessor processor) {
        return new BackgroundRun(processor);
    }

    Thread thread() {
        return thread;
    }

    boolean hasEnded() {
        return ended.isDone();
    }

    /** Waits for runLoop() to return normally; fails with its exception otherwise. */
    void awaitNormalEnd(Duration timeout) throws Exception {
        try {
            ended.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("runLoop() threw " + e.getCause(), e.getCause());
        }
    }

    /** Waits for runLoop() to throw and returns what it threw. */
    Throwable awaitFailure(Duration timeout) throws Exception {
        try {
            ended.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("runLoop() returned normally, a failure was expected");
    }

    @Override
    public void close() throws Exception {
        processor.close();
        thread.join(60_000);
    }
}
