package io.kasper.internal;

import io.kasper.KasperException;
import java.time.Duration;

/**
 * How long a wait for the cluster's acknowledgements may last: what is left of the error policy's
 * {@code brokerOutageTimeout}. A {@link BatchSender} bounds each {@code Sender.flush()} with it and reports whether
 * the cluster answered, so that the time a flush waits in vain counts toward the same timeout as every other
 * unanswered request of the processor.
 *
 * <p>Thread-safety: as the implementation; the loop's implementation ({@link BrokerWatch}) is used by the loop
 * thread only.
 */
interface OutageBudget {

    /**
     * Returns when a wait for acknowledgements that starts now must end ({@link System#nanoTime()} scale).
     *
     * @param nowNanos the current time
     * @return the deadline, never before {@code nowNanos}
     */
    long waitDeadline(long nowNanos);

    /** Records that the cluster acknowledged what was waited for. */
    void answered(long nowNanos);

    /** Records that the cluster did not acknowledge what was waited for (the silence goes on). */
    void unanswered(long nowNanos);

    /**
     * Records that the loop thread starts a call that may block on the cluster (handing output to the producer, which
     * waits for metadata while no broker answers, or waiting for acknowledgements), so that readiness can tell a
     * processor stuck in it. Does nothing unless the implementation tracks readiness.
     *
     * @param nowNanos the current time
     */
    default void blocking(long nowNanos) {
    }

    /** Records that the call announced by {@link #blocking} returned or threw. */
    default void unblocked() {
    }

    /** Returns whether the cluster has been silent for the whole outage timeout. */
    boolean isSpent(long nowNanos);

    /**
     * Returns the failure of a processor whose output was not acknowledged within the outage timeout.
     *
     * @param what the output waited for, e.g. "output flushed by batch of partition 0 (...)"
     * @param nowNanos the current time
     * @return the failure, naming the timeout and that the input stays uncommitted
     */
    KasperException outage(String what, long nowNanos);

    /**
     * Returns a budget that gives every wait the whole timeout and keeps no state: for runners whose producer
     * acknowledges at once (the test driver).
     *
     * @param context names the processor in the failure message
     * @param timeout the error policy's {@code brokerOutageTimeout}
     * @return the budget
     */
    static OutageBudget perWait(ProcessorLogContext context, Duration timeout) {
        return new OutageBudget() {
            @Override
            public long waitDeadline(long nowNanos) {
                return nowNanos + timeout.toNanos();
            }

            @Override
            public void answered(long nowNanos) {
                // stateless: every wait starts with the whole timeout
            }

            @Override
            public void unanswered(long nowNanos) {
                // stateless: every wait starts with the whole timeout
            }

            @Override
            public boolean isSpent(long nowNanos) {
                return false;
            }

            @Override
            public KasperException outage(String what, long nowNanos) {
                return new KasperException(context.message(what
                        + " was not acknowledged within " + timeout.toMillis() + " ms (errorPolicy brokerOutageTimeout "
                        + timeout + "); the batch's input stays uncommitted and is processed again after a restart"));
            }
        };
    }
}
