package io.kasper.bench;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a hand-rolled loop commits after each flushed batch: {@code commitSync()}, or {@code commitAsync} with a
 * callback that logs and counts failures (a later commit covers a failed one, so the loop goes on) and one final
 * {@code commitSync()} when the loop stops, as the consumer's documentation recommends.
 */
public enum LoopCommit {

    /** {@code commitSync()} after each batch: the loop waits for the commit's round trip. */
    SYNC,
    /** {@code commitAsync(callback)} after each batch, {@code commitSync()} once at the end. */
    ASYNC;

    private static final Logger LOG = LoggerFactory.getLogger(LoopCommit.class);
    private static final AtomicLong ASYNC_FAILURES = new AtomicLong();

    /** Commits the consumer's position after a batch whose output is acknowledged. */
    public void afterBatch(KafkaConsumer<?, ?> consumer) {
        if (this == SYNC) {
            consumer.commitSync();
            return;
        }
        consumer.commitAsync((offsets, e) -> {
            if (e != null && ASYNC_FAILURES.getAndIncrement() == 0) {
                LOG.warn("commitAsync failed (a later commit covers it; further failures are only counted)", e);
            }
        });
    }

    /** Commits once more, synchronously, when the loop stops, so that the last async commit is not lost. */
    public void atStop(KafkaConsumer<?, ?> consumer) {
        if (this == ASYNC) {
            consumer.commitSync();
        }
    }

    /** Returns the failed async commits seen so far in this JVM. */
    public static long asyncFailures() {
        return ASYNC_FAILURES.get();
    }
}
