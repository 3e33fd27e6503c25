package io.kasper.test;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.NestedMultiOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.protocol.ProtocolVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The harness's own Lettuce client for one {@link RedisServer}: readiness pings, single commands with their replies
 * as text, and connections for {@link RedisMonitor}.
 *
 * <p>Commands share one connection, opened on first use and opened again when the server closed it (a kill or a
 * restart): Lettuce sends a few commands of its own when it connects ({@code CLIENT SETINFO}), and they must not land
 * between a test's {@code CONFIG RESETSTAT} and its {@code INFO commandstats}. The connection does not reconnect by
 * itself, so a command to a killed server fails at once. It speaks RESP2, whose replies
 * {@link #command(String...)} renders as they come.
 *
 * <p>Thread-safe. {@link #close()} releases the client's threads.
 */
final class RedisAdminClient implements AutoCloseable {

    private final RedisClient client;
    private final String host;
    private final int port;
    private final Duration commandTimeout;
    private StatefulRedisConnection<String, String> shared;
    private boolean closed;

    RedisAdminClient(String host, int port, Duration commandTimeout) {
        this.host = host;
        this.port = port;
        this.commandTimeout = commandTimeout;
        this.client = RedisClient.create();
        client.setOptions(ClientOptions.builder().autoReconnect(false).pingBeforeActivateConnection(false)
                .protocolVersion(ProtocolVersion.RESP2).build());
    }

    /**
     * Opens a new connection of its own.
     *
     * @param timeout the command timeout of the connection
     * @param clientName the {@code CLIENT SETNAME} of the connection, or null for none
     * @return the open connection; the caller closes it
     * @throws UncheckedIOException when the server cannot be reached, or this client is closed
     */
    StatefulRedisConnection<String, String> connect(Duration timeout, String clientName) {
        synchronized (this) {
            if (closed) {
                throw new UncheckedIOException(new IOException("cannot connect to redis at " + address()
                        + ": the RedisServer is closed"));
            }
        }
        RedisURI uri = RedisURI.builder().withHost(host).withPort(port).withTimeout(timeout).build();
        if (clientName != null) {
            uri.setClientName(clientName);
        }
        try {
            return client.connect(StringCodec.UTF8, uri);
        } catch (RedisException e) {
            throw unreachable("connect to", e);
        }
    }

    /**
     * Opens the shared connection unless it is open, so that what Lettuce sends on connecting happens now.
     *
     * @throws UncheckedIOException when the server cannot be reached
     */
    synchronized void ensureConnected() {
        shared();
    }

    /**
     * Sends {@code PING} on a fresh connection, for readiness checks while the server starts.
     *
     * @param timeout how long to wait for the reply
     * @return whether the reply was {@code PONG}
     * @throws UncheckedIOException when the server cannot be reached
     */
    boolean ping(Duration timeout) {
        try (StatefulRedisConnection<String, String> connection = connect(timeout, null)) {
            return "PONG".equals(connection.sync().ping());
        } catch (RedisException e) {
            throw unreachable("send PING to", e);
        }
    }

    /**
     * Sends one command on the shared connection and renders its reply: a string or an integer as text, nil as
     * null, an array one element per line (a one-element array as that element).
     *
     * @param args the command and its arguments, e.g. {@code "CONFIG", "RESETSTAT"}
     * @return the reply as text
     * @throws IllegalArgumentException when {@code args} is empty
     * @throws IllegalStateException when Redis replies with an error
     * @throws UncheckedIOException when the server cannot be reached or does not answer in time
     */
    String command(String... args) {
        if (args.length == 0) {
            throw new IllegalArgumentException("a Redis command needs at least its name, got no arguments");
        }
        CommandArgs<String, String> commandArgs = new CommandArgs<>(StringCodec.UTF8);
        Arrays.stream(args, 1, args.length).forEach(commandArgs::add);
        List<Object> reply;
        try {
            reply = shared().sync().dispatch(new Keyword(args[0]), new NestedMultiOutput<>(StringCodec.UTF8),
                    commandArgs);
        } catch (RedisCommandExecutionException e) {
            throw new IllegalStateException("redis at " + address() + " replied to " + args[0] + " with an error: "
                    + e.getMessage(), e);
        } catch (RedisException e) {
            throw unreachable("send " + args[0] + " to", e);
        }
        if (reply.size() == 1) {
            Object only = reply.get(0);
            return only == null ? null : String.valueOf(only);
        }
        return String.join("\n", reply.stream().map(String::valueOf).toList());
    }

    /** Closes the shared connection and shuts the client down. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (shared != null) {
            shared.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    private synchronized StatefulRedisConnection<String, String> shared() {
        if (shared == null || !shared.isOpen()) {
            if (shared != null) {
                shared.close();
            }
            shared = connect(commandTimeout, null);
        }
        return shared;
    }

    private String address() {
        return host + ":" + port;
    }

    private UncheckedIOException unreachable(String action, RedisException e) {
        return new UncheckedIOException(new IOException("cannot " + action + " redis at " + address() + ": "
                + e.getMessage(), e));
    }

    /** A command name as given, for commands Lettuce has no constant for as well as for those it has. */
    private record Keyword(String name) implements ProtocolKeyword {
        @Override
        public byte[] getBytes() {
            return name.getBytes(StandardCharsets.US_ASCII);
        }
    }
}
