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
 * backoff (see {@code io.kasper.ErrorPolicy}) before failing it. Adapters classify their backend's failures by
 * handing a rule to {@link MeteredStore} or {@link MeteredMultiStore}, or by throwing a retriable store exception
 * themselves.
 * Immutable and thread-safe.
 */
public class StoreException extends KasperException {

    private static final long serialVersionUID = 1L;

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
    public boolean isRetriable() {
        return retriable;
    }

    /**
     * Wraps a backend failure of one call, naming the call.
     *
     * @param retriable the classification of the failure (see {@code StoreMeters#isRetriable})
     */
    static StoreException callFailed(String store, String tenant, String operation, int keys, Throwable cause,
            boolean retriable) {
        return new StoreException(describeCall(store, tenant, operation, keys) + " failed: " + describe(cause), cause,
                retriable);
    }

    /** Formats "store 'counts' (redis) tenant 'acme' getAll of 3 keys"; keys below zero are left out. */
    static String describeCall(String store, String tenant, String operation, int keys) {
        StringBuilder text = new StringBuilder(store);
        if (tenant != null) {
            text.append(" tenant '").append(tenant).append('\'');
        }
        text.append(' ').append(operation);
        if (keys >= 0) {
            text.append(" of ").append(keys).append(keys == 1 ? " key" : " keys");
        }
        return text.toString();
    }

    static String describe(Throwable cause) {
        String message = cause.getMessage();
        if (cause instanceof StoreException) {
            // an adapter's own StoreException already explains itself; its class name adds nothing
            return message == null ? "" : message;
        }
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
