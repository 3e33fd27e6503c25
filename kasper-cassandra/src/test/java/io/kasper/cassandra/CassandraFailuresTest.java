package io.kasper.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.NoNodeAvailableException;
import com.datastax.oss.driver.api.core.RequestThrottlingException;
import com.datastax.oss.driver.api.core.auth.AuthenticationException;
import com.datastax.oss.driver.api.core.connection.BusyConnectionException;
import com.datastax.oss.driver.api.core.connection.ClosedConnectionException;
import com.datastax.oss.driver.api.core.connection.ConnectionInitException;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.servererrors.BootstrappingException;
import com.datastax.oss.driver.api.core.servererrors.DefaultWriteType;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import com.datastax.oss.driver.api.core.servererrors.OverloadedException;
import com.datastax.oss.driver.api.core.servererrors.ReadFailureException;
import com.datastax.oss.driver.api.core.servererrors.ReadTimeoutException;
import com.datastax.oss.driver.api.core.servererrors.ServerError;
import com.datastax.oss.driver.api.core.servererrors.SyntaxError;
import com.datastax.oss.driver.api.core.servererrors.UnauthorizedException;
import com.datastax.oss.driver.api.core.servererrors.UnavailableException;
import com.datastax.oss.driver.api.core.servererrors.WriteFailureException;
import com.datastax.oss.driver.api.core.servererrors.WriteTimeoutException;
import java.lang.reflect.Proxy;
import java.net.ConnectException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Which driver failures the Cassandra stores report as retriable. */
class CassandraFailuresTest {

    private static final Node NODE1 = node("node1");
    private static final Node NODE2 = node("node2");
    private static final ConsistencyLevel QUORUM = ConsistencyLevel.LOCAL_QUORUM;

    static Stream<Throwable> transientFailures() {
        return Stream.of(
                new NoNodeAvailableException(),
                new DriverTimeoutException("Query timed out after PT2S"),
                new ReadTimeoutException(NODE1, QUORUM, 1, 2, false),
                new WriteTimeoutException(NODE1, QUORUM, 1, 2, DefaultWriteType.SIMPLE),
                new UnavailableException(NODE1, QUORUM, 2, 1),
                new OverloadedException(NODE1),
                new BootstrappingException(NODE1),
                new BusyConnectionException(2048),
                new ClosedConnectionException("Lost connection to remote peer"),
                new RequestThrottlingException("The session is shutting down"),
                allNodesFailed(new ClosedConnectionException("Lost connection"),
                        new ConnectionInitException("could not connect", new ConnectException("refused"))));
    }

    static Stream<Throwable> permanentFailures() {
        return Stream.of(
                new SyntaxError(NODE1, "line 1:0 no viable alternative at input 'SELEC'"),
                new InvalidQueryException(NODE1, "unconfigured table counts"),
                new UnauthorizedException(NODE1, "User app has no MODIFY permission"),
                new AuthenticationException(null, "Provided username app and/or password are incorrect"),
                new ReadFailureException(NODE1, QUORUM, 1, 2, 1, false, Map.of()),
                new WriteFailureException(NODE1, QUORUM, 1, 2, DefaultWriteType.SIMPLE, 1, Map.of()),
                new ServerError(NODE1, "java.lang.AssertionError"),
                new IllegalStateException("Session is closed"),
                // one node down, but the other refuses the credentials: retrying cannot help
                allNodesFailed(new ClosedConnectionException("Lost connection"),
                        new AuthenticationException(null, "Provided username app and/or password are incorrect")),
                allNodesFailed(new ConnectionInitException("init failed",
                        new AuthenticationException(null, "bad credentials"))));
    }

    @ParameterizedTest
    @MethodSource("transientFailures")
    void transientFailuresAreRetriable(Throwable failure) {
        assertThat(CassandraFailures.isTransient(failure)).isTrue();
    }

    @ParameterizedTest
    @MethodSource("permanentFailures")
    void otherFailuresAreNot(Throwable failure) {
        assertThat(CassandraFailures.isTransient(failure)).isFalse();
    }

    @Test
    void allNodesFailedWithoutErrorsMeansNoNodeWasAvailable() {
        assertThat(CassandraFailures.isTransient(AllNodesFailedException.fromErrors(Map.of()))).isTrue();
    }

    /** Every node failed, the first with the first error, the second with the second. */
    private static AllNodesFailedException allNodesFailed(Throwable... errors) {
        Map<Node, Throwable> byNode = new LinkedHashMap<>();
        Node[] nodes = {NODE1, NODE2};
        for (int i = 0; i < errors.length; i++) {
            byNode.put(nodes[i], errors[i]);
        }
        return AllNodesFailedException.fromErrors(byNode);
    }

    /** A node that only has a name: the driver's exceptions use nodes for their messages and as map keys. */
    private static Node node(String name) {
        return (Node) Proxy.newProxyInstance(Node.class.getClassLoader(), new Class<?>[] {Node.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "toString" -> name;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> null;
                });
    }
}
