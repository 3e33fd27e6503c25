package io.kasper.cassandra;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.NodeUnavailableException;
import com.datastax.oss.driver.api.core.RequestThrottlingException;
import com.datastax.oss.driver.api.core.UnsupportedProtocolVersionException;
import com.datastax.oss.driver.api.core.auth.AuthenticationException;
import com.datastax.oss.driver.api.core.connection.BusyConnectionException;
import com.datastax.oss.driver.api.core.connection.ClosedConnectionException;
import com.datastax.oss.driver.api.core.connection.HeartbeatException;
import com.datastax.oss.driver.api.core.servererrors.BootstrappingException;
import com.datastax.oss.driver.api.core.servererrors.OverloadedException;
import com.datastax.oss.driver.api.core.servererrors.QueryValidationException;
import com.datastax.oss.driver.api.core.servererrors.ReadTimeoutException;
import com.datastax.oss.driver.api.core.servererrors.UnavailableException;
import com.datastax.oss.driver.api.core.servererrors.WriteTimeoutException;
import io.kasper.KasperException;
import java.util.List;

/**
 * The transient-failure rule of the Cassandra stores: which driver failures may go away when the same call is
 * retried.
 *
 * <p>Transient: no node reachable ({@code NoNodeAvailableException}) or every node tried failed
 * ({@link AllNodesFailedException}, unless a node refused the credentials or the protocol version, or rejected the
 * statement); the driver's request timeout ({@link DriverTimeoutException}); the coordinator's read and write
 * timeouts, too few live replicas ({@link UnavailableException}), an overloaded or bootstrapping node; a connection
 * that is closed, busy (all stream ids in use), failed its heartbeat, or a node marked down; and the driver's request
 * throttler. A write that timed out may have been applied, but the stores only write idempotent upserts and deletes,
 * so retrying it is safe.
 *
 * <p>Not transient: statements the server rejects ({@code SyntaxError}, {@code InvalidQueryException} such as a
 * dropped table, {@code UnauthorizedException}), {@link AuthenticationException}, replica-side read or write failures
 * ({@code ReadFailureException}, {@code WriteFailureException}: a tombstone limit, a failing disk), server errors and
 * interrupts.
 *
 * <p>Stateless and thread-safe.
 */
final class CassandraFailures {

    /** Driver failures that are transient whatever caused them. */
    private static final List<Class<? extends Throwable>> TRANSIENT = List.of(DriverTimeoutException.class,
            ReadTimeoutException.class, WriteTimeoutException.class, UnavailableException.class,
            OverloadedException.class, BootstrappingException.class, BusyConnectionException.class,
            ClosedConnectionException.class, HeartbeatException.class, NodeUnavailableException.class,
            RequestThrottlingException.class);

    private CassandraFailures() {
    }

    /**
     * Returns whether one exception, a failure of a Cassandra call or one of its causes, is transient.
     *
     * @param failure the exception
     * @return true when the same call may succeed later
     */
    static boolean isTransient(Throwable failure) {
        if (failure instanceof AllNodesFailedException allNodes) {
            // nodes that are down or restarting come back; credentials, protocol or statement errors do not
            return allNodes.getAllErrors().values().stream().flatMap(List::stream)
                    .noneMatch(CassandraFailures::isPermanentNodeError);
        }
        return TRANSIENT.stream().anyMatch(type -> type.isInstance(failure));
    }

    private static boolean isPermanentNodeError(Throwable error) {
        return KasperException.causeChain(error).stream().anyMatch(link -> link instanceof AuthenticationException
                || link instanceof UnsupportedProtocolVersionException || link instanceof QueryValidationException);
    }
}
