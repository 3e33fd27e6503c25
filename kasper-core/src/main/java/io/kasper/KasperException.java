package io.kasper;

/**
 * Root of every exception Kasper throws: configuration errors, processing failures, store failures.
 *
 * <p>Messages name the field, topic-partition, store or value involved. Unchecked, so that it passes through
 * {@link MessageProcessor} code and lambdas unchanged. Instances are immutable and thread-safe.
 */
public class KasperException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message.
     *
     * @param message what went wrong, naming what was involved
     */
    public KasperException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and a cause.
     *
     * @param message what went wrong, naming what was involved
     * @param cause the underlying failure
     */
    public KasperException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Returns whether the call that failed may succeed when made again unchanged: a transient failure such as a lost
     * connection, a timeout or a server that is busy or restarting. The {@link ErrorPolicy} retries a batch whose
     * failure holds a retriable Kasper exception in its cause chain (see {@link ErrorPolicy#isTransient}).
     *
     * <p>False here. Subclasses that classify their failures override it, as the store exception of
     * {@code io.kasper.store} does; this is how the core recognises a transient store failure without depending on
     * the store packages.
     *
     * @return whether a retry may succeed
     */
    public boolean isRetriable() {
        return false;
    }
}
