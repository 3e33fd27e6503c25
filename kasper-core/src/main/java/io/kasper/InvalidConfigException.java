package io.kasper;

/**
 * Thrown when a configuration is invalid: by a config builder's {@code build()}, or by {@link TopicProcessor}'s
 * constructor when the configuration does not match the cluster (missing topic, differing partition counts,
 * partition out of range). The message names the field, the rule and the offending value; a builder's names every
 * invalid field at once (see {@link ConfigErrors}). Immutable, thread-safe.
 */
public class InvalidConfigException extends KasperException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message names the field, the rule and the value
     */
    public InvalidConfigException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message names the field, the rule and the value
     * @param cause the underlying failure
     */
    public InvalidConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
