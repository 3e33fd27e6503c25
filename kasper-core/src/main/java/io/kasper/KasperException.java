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
}
