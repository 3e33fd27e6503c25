package io.kasper.internal;

import io.kasper.KasperException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** An {@link OutageBudget} whose remaining wait and spent state a test sets, counting what it is told. */
final class TestBudget implements OutageBudget {

    volatile long waitMillis;
    volatile boolean spent;
    final AtomicInteger answered = new AtomicInteger();
    final AtomicInteger unanswered = new AtomicInteger();
    /** Whether the sender announced a call that may block on the cluster and has not yet ended it. */
    volatile boolean blocked;
    final AtomicInteger blockingCalls = new AtomicInteger();

    TestBudget(long waitMillis) {
        this.waitMillis = waitMillis;
    }

    @Override
    public long waitDeadline(long nowNanos) {
        return nowNanos + TimeUnit.MILLISECONDS.toNanos(waitMillis);
    }

    @Override
    public void answered(long nowNanos) {
        answered.incrementAndGet();
    }

    @Override
    public void unanswered(long nowNanos) {
        unanswered.incrementAndGet();
    }

    @Override
    public void blocking(long nowNanos) {
        blocked = true;
        blockingCalls.incrementAndGet();
    }

    @Override
    public void unblocked() {
        blocked = false;
    }

    @Override
    public boolean isSpent(long nowNanos) {
        return spent;
    }

    @Override
    public KasperException outage(String what, long nowNanos) {
        return new KasperException("outage: " + what + " was not acknowledged");
    }
}
