package io.kasper.internal;

import io.kasper.KasperException;
import io.kasper.ProcessorState;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The lifecycle state of one topic processor, its failure, whether the cluster currently answers, and whether it has
 * consumed all its input: what a health probe reads. The loop thread writes it; any thread reads it.
 *
 * <p>Thread-safety: thread-safe.
 */
final class ProcessorStatus {

    /** How long the loop may wait on the cluster in one call before it counts as not ready: the broker watch's
     *  own silence threshold, after which it would ask a broker itself. */
    static final long STUCK_AFTER_NANOS = BrokerWatch.PROBE_AFTER_NANOS;

    private final AtomicReference<ProcessorState> state = new AtomicReference<>(ProcessorState.CREATED);
    private volatile KasperException failure;
    private volatile boolean brokerUnreachable;
    /** Set while the loop thread is in a call that may block on the cluster, from {@link #blockedSinceNanos}. */
    private volatile boolean blocked;
    private volatile long blockedSinceNanos;
    private volatile boolean consumedAll;

    /** Returns the current state. */
    public ProcessorState state() {
        return state.get();
    }

    /** Returns the failure that stopped the processor, if it failed. */
    public Optional<KasperException> failure() {
        return Optional.ofNullable(failure);
    }

    /**
     * Returns whether the processor is running normally: {@link ProcessorState#RUNNING} and its last contact with
     * the cluster succeeded.
     */
    public boolean isReady() {
        return state.get() == ProcessorState.RUNNING && !brokerUnreachable && !isStuck(System.nanoTime());
    }

    /**
     * Returns whether the loop thread has been blocked on the cluster for longer than {@link #STUCK_AFTER_NANOS}:
     * e.g. a producer {@code send} waiting for metadata while no broker answers. The loop cannot notice an outage
     * while it waits there, so readiness must.
     */
    private boolean isStuck(long nowNanos) {
        return blocked && nowNanos - blockedSinceNanos > STUCK_AFTER_NANOS;
    }

    void blocking(long nowNanos) {
        blockedSinceNanos = nowNanos;
        blocked = true;
    }

    void unblocked() {
        blocked = false;
    }

    /** Returns whether the last attempt to reach the cluster (commit or probe) failed. */
    public boolean isBrokerUnreachable() {
        return brokerUnreachable;
    }

    void brokerUnreachable(boolean unreachable) {
        this.brokerUnreachable = unreachable;
    }

    /**
     * Returns whether every owned input partition's committed offset had reached its end when the loop last looked;
     * always false while {@link ProcessorState#REBALANCING}.
     */
    public boolean hasConsumedAll() {
        return consumedAll;
    }

    /**
     * Records whether the loop found every owned partition consumed; ignored (false) while rebalancing, when what this
     * instance owns is about to change.
     */
    void consumedAll(boolean all) {
        consumedAll = all && state.get() != ProcessorState.REBALANCING;
    }

    /**
     * Moves to {@code next} unless the processor is closing or stopped; returns whether it moved. A move to
     * {@link ProcessorState#REBALANCING} clears {@link #hasConsumedAll()} first, so that no reader sees the new state
     * with the old answer.
     */
    boolean move(ProcessorState next) {
        if (next == ProcessorState.REBALANCING) {
            consumedAll = false;
        }
        ProcessorState current;
        do {
            current = state.get();
            if (current == ProcessorState.CLOSING || current.isTerminal()) {
                return false;
            }
        } while (!state.compareAndSet(current, next));
        return true;
    }

    /** Marks the processor as closing (a stop was requested); a terminal state stays. */
    void closing() {
        move(ProcessorState.CLOSING);
    }

    /** Marks the processor as stopped: {@link ProcessorState#FAILED} with the failure, else CLOSED. */
    void stopped(KasperException cause) {
        this.failure = cause;
        state.set(cause == null ? ProcessorState.CLOSED : ProcessorState.FAILED);
    }
}
