package io.kasper;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Root of every exception Kasper throws: configuration errors, processing failures, store failures.
 *
 * <p>Messages name the field, topic-partition, store or value involved. Unchecked, so that it passes through
 * {@link MessageProcessor} code and lambdas unchanged. Instances are immutable and thread-safe.
 */
public class KasperException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    /**
     * Longest cause chain {@link #causeChain} returns. Real chains are a few links deep (a client wraps a transport
     * failure, an executor wraps that); the bound only stops the walk on a chain built without end.
     */
    private static final int MAX_CAUSE_CHAIN = 16;

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

    /**
     * Returns a failure and its causes, outermost first: the chain Kasper walks wherever it classifies a failure
     * ({@link ErrorPolicy#isTransient} among them). The walk stops at the first cause already met, so a cyclic chain
     * ends, and after 16 links.
     *
     * <p>A utility for code that classifies failures the way Kasper does, such as a store adapter's rule. Thread-safe
     * as far as the chain is not changed meanwhile (a cause is set once, by {@link Throwable#initCause}).
     *
     * @param failure the outermost failure, may be null
     * @return an unmodifiable list of {@code failure} and its causes, at most 16 long; empty when {@code failure} is
     *     null
     */
    public static List<Throwable> causeChain(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = failure; t != null && chain.size() < MAX_CAUSE_CHAIN && seen.add(t); t = t.getCause()) {
            chain.add(t);
        }
        return Collections.unmodifiableList(chain);
    }
}
