package io.kasper.opensearch;

import com.fasterxml.jackson.core.JacksonException;
import java.io.IOException;
import java.util.Set;

/**
 * The transient-failure rules of the OpenSearch stores: which failures may go away when the same call is retried.
 *
 * <p>Transient: I/O failures of the HTTP exchange ({@code ConnectException}, {@code HttpTimeoutException}, connection
 * reset), but not Jackson's exceptions, which are {@link IOException}s too but mean a body that cannot be written or
 * parsed; the HTTP statuses 429 (too many requests: rejected execution, circuit breaker), 502, 503 and 504; and
 * per-item errors of a {@code _bulk} or {@code _mget} with such a status or of a type that means an overloaded or
 * unavailable shard. Everything else is not: 4xx request, mapping and permission errors, 500, documents that are not
 * Kasper values, interrupts.
 *
 * <p>Stateless and thread-safe.
 */
final class OpenSearchFailures {

    /** Too many requests (rejected execution, circuit breaker), bad gateway, unavailable, gateway timeout. */
    private static final Set<Integer> TRANSIENT_STATUSES = Set.of(429, 502, 503, 504);

    /** Error types of an overloaded node or an unavailable shard; {@code _mget} items carry no status, only these. */
    private static final Set<String> TRANSIENT_ERROR_TYPES = Set.of("es_rejected_execution_exception",
            "circuit_breaking_exception", "no_shard_available_action_exception", "unavailable_shards_exception");

    private OpenSearchFailures() {
    }

    /**
     * Returns whether one exception, a failure of an OpenSearch call or one of its causes, is transient: the store's
     * rule for the exceptions it does not classify itself (HTTP statuses and item errors are classified where they
     * are read, as retriable {@link io.kasper.store.StoreException}s).
     *
     * @param failure the exception
     * @return true for an I/O failure of the HTTP exchange
     */
    static boolean isTransient(Throwable failure) {
        return failure instanceof IOException && !(failure instanceof JacksonException);
    }

    /**
     * Returns whether an HTTP status means a transient failure.
     *
     * @param status the status of a response, or of one item of a {@code _bulk}
     * @return true for 429, 502, 503 and 504
     */
    static boolean isTransientStatus(int status) {
        return TRANSIENT_STATUSES.contains(status);
    }

    /**
     * Returns whether one item's error of a {@code _bulk} or {@code _mget} is transient.
     *
     * @param status the item's HTTP status, or 0 when it has none ({@code _mget})
     * @param type the error's {@code type}
     * @return true when the status or the type is transient
     */
    static boolean isTransientItemError(int status, String type) {
        return isTransientStatus(status) || TRANSIENT_ERROR_TYPES.contains(type);
    }
}
