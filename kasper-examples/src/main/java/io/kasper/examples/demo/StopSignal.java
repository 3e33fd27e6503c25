package io.kasper.examples.demo;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Tells a demo that keeps running after its result ({@code --keep-running}) to stop.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class StopSignal {

    private final CountDownLatch stopped = new CountDownLatch(1);

    /** Creates a signal not yet given. */
    public StopSignal() {
    }

    /** Gives the signal; idempotent. */
    public void stop() {
        stopped.countDown();
    }

    /**
     * Waits until the signal is given, at most {@code timeout}.
     *
     * @return whether it was given
     * @throws InterruptedException when interrupted while waiting
     */
    boolean await(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
