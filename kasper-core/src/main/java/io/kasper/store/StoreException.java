package io.kasper.store;

import io.kasper.KasperException;

/**
 * A store call failed in its backend: connection lost, timeout, server error, value that cannot be decoded.
 *
 * <p>Messages name the store, its kind, the operation and the number of keys, for instance
 * {@code store 'counts' (redis) getAll of 1200 keys failed: RedisCommandTimeoutException: ...}; the backend's exception
 * is the cause.
 *
 * <p>A store exception is {@linkplain #isRetriable() retriable} when the same call may succeed later without any
 * change (connection lost, timeout, server busy or restarting); a {@code TopicProcessor} then retries the batch with
 * backoff (see {@link io.kasper.ErrorPolicy}) before failing it. Adapters classify their backend's failures by
 * handing a rule to {@link io.kasper.store.spi.MeteredStore} or {@link io.kasper.store.spi.MeteredMultiStore}, or by
 * throwing a retriable store exception themselves.
 * Immutable and thread-safe.
 */
public class StoreException extends KasperException {

    private static final long serialVersionUID = 1L;

    /** Whether the failed call may succeed when retried unchanged. */
    private final boolean retriable;

    /**
     * Creates a non-retriable exception with a message and a cause.
     *
     * @param message what failed, naming the store and the operation
     * @param cause the backend's failure
     */
    public StoreException(String message, Throwable cause) {
        this(message, cause, false);
    }

    /**
     * Creates an exception with a message, a cause, and whether the call may succeed when retried.
     *
     * @param message what failed, naming the store and the operation
     * @param cause the backend's failure
     * @param retriable true for transient failures (connection lost, timeout, server unavailable)
     */
    public StoreException(String message, Throwable cause, boolean retriable) {
        super(message, cause);
        this.retriable = retriable;
    }

    /**
     * Creates a non-retriable exception with a message.
     *
     * @param message what failed, naming the store and the operation
     */
    public StoreException(String message) {
        this(message, null, false);
    }

    /** Returns whether the failed call may succeed when retried unchanged (a transient failure). */
    @Override
    public boolean isRetriable() {
        return retriable;
    }
}
