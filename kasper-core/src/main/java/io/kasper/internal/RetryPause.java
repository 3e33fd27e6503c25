package io.kasper.internal;

import java.time.Duration;

/**
 * Waits between two attempts of a batch after a transient failure. The topic processor waits on the wall clock and
 * stops waiting when it is asked to stop; the test driver moves its virtual clock instead.
 *
 * <p>Thread-safety: as the implementation.
 */
@FunctionalInterface
interface RetryPause {

    /**
     * Waits.
     *
     * @param wait how long
     * @return true to retry, false when the processor is stopping (the batch is then left uncommitted)
     * @throws InterruptedException when interrupted while waiting
     */
    boolean pause(Duration wait) throws InterruptedException;
}
