package io.kasper.test;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * A {@code MONITOR} connection to a {@link RedisServer}: records the commands the server receives from every client,
 * to prove how many round trips and which commands a call made.
 *
 * <pre>{@code
 * try (RedisMonitor monitor = redis.monitor()) {
 *     store.getAll(keys);
 *     assertThat(monitor.commandsSoFar()).containsExactly("MGET");
 * }
 * }</pre>
 *
 * <p>Not thread-safe: use from one thread.
 */
public final class RedisMonitor implements AutoCloseable {

    private final RedisServer server;
    private final RespConnection connection;

    RedisMonitor(RedisServer server, RespConnection connection) {
        this.server = server;
        this.connection = connection;
        Object reply = connection.command("MONITOR");
        if (!"OK".equals(reply)) {
            connection.close();
            throw new IllegalStateException("MONITOR replied " + reply);
        }
    }

    /**
     * Returns the names (upper case) of the commands the server received since the previous call (or since the
     * monitor opened), in order. Sends a marker {@code ECHO} on another connection to know where "now" is, so the
     * list is complete without waiting a guessed time.
     *
     * @return command names such as {@code MGET}, {@code MSET}
     * @throws java.io.UncheckedIOException when the server cannot be reached
     */
    public List<String> commandsSoFar() {
        String marker = "kasper-monitor-" + UUID.randomUUID();
        server.command("ECHO", marker);
        List<String> commands = new ArrayList<>();
        while (true) {
            String line = (String) connection.read();
            if (line.contains(marker)) {
                return commands;
            }
            commands.add(commandName(line));
        }
    }

    /** Parses {@code 1700000000.123 [0 127.0.0.1:5000] "mget" "a"} into {@code MGET}. */
    static String commandName(String monitorLine) {
        int start = monitorLine.indexOf("] \"") + 3;
        int end = monitorLine.indexOf('"', start);
        return monitorLine.substring(start, end).toUpperCase(Locale.ROOT);
    }

    /** Closes the monitor connection. */
    @Override
    public void close() {
        connection.close();
    }
}
