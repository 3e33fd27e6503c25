package io.kasper.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the bytes a topic processor holds (input fetched but not yet completed, plus output handed to the producer
 * but not yet acknowledged) against its {@code maxBufferedBytes}, and decides when the loop must throttle.
 *
 * <p>Input counts from the poll that returned it until its batch's output is acknowledged or it is dropped at a
 * rebalance (an upper bound: a batch lets go of its records once its processor has returned); output counts from {@code producer.send} until its batch has
 * every acknowledgement (or failed). Throttling starts when the count reaches the budget and ends once it is back at
 * three quarters of it, so that partitions are not paused and resumed at every poll.
 *
 * <p>Thread-safety: {@link #update} and the input counts run on the loop thread; output is added on the loop thread
 * and released on the producer's I/O thread; {@link #buffered()} and {@link #pauses()} are safe from any thread.
 */
final class MemoryBudget {

    /** Throttling ends once the held bytes are at or below this share of the budget. */
    static final double RESUME_FRACTION = 0.75;

    private final long limit;
    private final long resumeAt;
    private final AtomicLong output = new AtomicLong();
    private long inputInFlight;
    private boolean throttled;
    private volatile long buffered;
    private volatile long pauses;

    /**
     * Creates a budget.
     *
     * @param limit bytes at which the loop throttles, at least 1
     */
    MemoryBudget(long limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        this.limit = limit;
        this.resumeAt = (long) (limit * RESUME_FRACTION);
    }

    /** Returns a budget that never throttles (test driver, unit tests); it still counts. */
    static MemoryBudget unlimited() {
        return new MemoryBudget(Long.MAX_VALUE);
    }

    long limit() {
        return limit;
    }

    /** Counts the input of a batch handed to the processor; it stays counted until {@link #inputDone}. */
    void inputInFlight(long bytes) {
        inputInFlight += bytes;
    }

    /** Releases the input of a batch completed, or forgotten at a rebalance. */
    void inputDone(long bytes) {
        inputInFlight -= bytes;
    }

    /** Counts output handed to the producer. */
    void outputSent(long bytes) {
        output.addAndGet(bytes);
    }

    /** Releases output acknowledged, failed or abandoned. */
    void outputDone(long bytes) {
        output.addAndGet(-bytes);
    }

    /**
     * Recomputes the held bytes and the throttling state.
     *
     * @param waitingInput bytes of input polled but not yet in a batch
     * @return whether the loop must throttle: pause every partition and process a new batch only when no output
     *     awaits acknowledgement
     */
    boolean update(long waitingInput) {
        long now = waitingInput + inputInFlight + output.get();
        buffered = now;
        if (!throttled && now >= limit) {
            throttled = true;
            pauses++;
        } else if (throttled && now <= resumeAt) {
            throttled = false;
        }
        return throttled;
    }

    /**
     * Returns the bytes left under the budget at the last {@link #update}, at least 1: how much input may go into new
     * batches now, as their output will roughly add as much again.
     */
    long headroom() {
        return Math.max(1, limit - buffered);
    }

    /** Returns the throttling state computed by the last {@link #update}. */
    boolean isThrottled() {
        return throttled;
    }

    /** Returns the held bytes computed by the last {@link #update}. */
    long buffered() {
        return buffered;
    }

    /** Returns how many times the held bytes reached the budget. */
    long pauses() {
        return pauses;
    }
}
