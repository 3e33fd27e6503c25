package io.kasper.redis;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * The transient-failure rule of the Redis stores: which Lettuce failures may go away when the same call is retried.
 *
 * <p>Transient: {@link RedisConnectionException}; {@link RedisCommandTimeoutException} (a hung server, or a server
 * down: commands issued while the connection is lost wait for the reconnect and time out); any {@link IOException}
 * (connection reset, broken pipe); replies with the error codes {@code LOADING}, {@code BUSY}, {@code TRYAGAIN},
 * {@code CLUSTERDOWN} and {@code MASTERDOWN}, which Redis sends while it restarts, runs a long script, or while its
 * cluster or master is unavailable; and the plain {@link RedisException}s Lettuce throws for commands refused or
 * dropped while disconnected. Everything else is not transient, notably the other error replies ({@code WRONGTYPE},
 * {@code ERR} syntax or argument errors, {@code NOAUTH}, {@code READONLY}, {@code OOM}) and interrupts.
 *
 * <p>Stateless and thread-safe.
 */
final class RedisFailures {

    /** Error codes (the first word of an error reply) that Redis sends for conditions that end by themselves. */
    private static final Set<String> TRANSIENT_ERROR_CODES =
            Set.of("LOADING", "BUSY", "TRYAGAIN", "CLUSTERDOWN", "MASTERDOWN");

    /**
     * How Lettuce's plain {@link RedisException} messages start when a command is refused while disconnected
     * ({@code disconnectedBehavior} REJECT_COMMANDS, or auto-reconnect off) or dropped on a disconnect; Lettuce has
     * no dedicated type for them.
     */
    private static final List<String> DISCONNECTED_MESSAGES =
            List.of("Currently not connected", "Connection disconnected");

    private RedisFailures() {
    }

    /**
     * Returns whether one exception, a failure of a Redis call or one of its causes, is transient.
     *
     * @param failure the exception
     * @return true when the same call may succeed later
     */
    static boolean isTransient(Throwable failure) {
        if (failure instanceof RedisConnectionException || failure instanceof RedisCommandTimeoutException
                || failure instanceof IOException) {
            return true;
        }
        if (failure instanceof RedisCommandExecutionException) {
            return TRANSIENT_ERROR_CODES.contains(errorCode(failure.getMessage()));
        }
        // only Lettuce's own untyped connection-state failures, not subclasses that mean something else
        if (failure.getClass() == RedisException.class && failure.getMessage() != null) {
            return DISCONNECTED_MESSAGES.stream().anyMatch(failure.getMessage()::startsWith);
        }
        return false;
    }

    /** Returns the first word of an error reply ({@code BUSYGROUP} is not {@code BUSY}). */
    private static String errorCode(String message) {
        if (message == null) {
            return "";
        }
        int space = message.indexOf(' ');
        return space < 0 ? message : message.substring(0, space);
    }
}
