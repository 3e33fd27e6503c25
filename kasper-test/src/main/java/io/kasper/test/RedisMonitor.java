package io.kasper.test;

import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Records the commands a {@link RedisServer} receives from every client, to prove how many round trips and which
 * commands a call made.
 *
 * <pre>{@code
 * try (RedisMonitor monitor = redis.monitor()) {
 *     store.getAll(keys);
 *     assertThat(monitor.commandsSoFar()).containsExactly("MGET");
 * }
 * }</pre>
 *
 * <p>It reads the server's slow log with its threshold at 0 µs, so every executed command is logged, in order, by
 * the time its reply is sent ({@code MONITOR} itself is a stream that Lettuce, the harness's client, does not
 * support). Opening it sets {@code slowlog-log-slower-than} and {@code slowlog-max-len} on the server and clears the
 * slow log; {@link #close()} restores both settings. Commands the server refuses before running them (unknown
 * commands, wrong arity) and those Redis never logs ({@code AUTH}, {@code HELLO}, {@code EXEC}...) are not
 * recorded. Use one monitor per server at a time.
 *
 * <p>Not thread-safe: use from one thread.
 */
public final class RedisMonitor implements AutoCloseable {

    private static final String THRESHOLD = "slowlog-log-slower-than";
    private static final String MAX_LEN = "slowlog-max-len";
    /** Commands kept between two calls of {@link #commandsSoFar()}; more are lost, oldest first. */
    private static final int MAX_ENTRIES = 100_000;
    /** Fields of a slow log entry: id, time, duration, arguments, client address, client name. */
    private static final int ID = 0;
    private static final int ARGUMENTS = 3;
    private static final int CLIENT_NAME = 5;

    private final StatefulRedisConnection<String, String> connection;
    private final RedisCommands<String, String> redis;
    private final String name;
    private final String previousThreshold;
    private final String previousMaxLen;
    private long lastId = -1;

    RedisMonitor(RedisAdminClient client, Duration timeout) {
        this.name = "kasper-monitor-" + UUID.randomUUID();
        // the shared connection's own connect-time commands must come before the log is cleared, not in it
        client.ensureConnected();
        this.connection = client.connect(timeout, name);
        try {
            this.redis = connection.sync();
            // one setting per CONFIG call: Redis 6 takes no more
            this.previousThreshold = redis.configGet(THRESHOLD).get(THRESHOLD);
            this.previousMaxLen = redis.configGet(MAX_LEN).get(MAX_LEN);
            redis.configSet(THRESHOLD, "0");
            redis.configSet(MAX_LEN, String.valueOf(MAX_ENTRIES));
            redis.slowlogReset();
        } catch (RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /**
     * Returns the names (upper case) of the commands the server ran since the previous call (or since the monitor
     * opened), in order; the monitor's own commands are left out.
     *
     * @return command names such as {@code MGET}, {@code MSET}
     * @throws io.lettuce.core.RedisException when the server cannot be reached
     */
    public List<String> commandsSoFar() {
        List<String> newestFirst = new ArrayList<>();
        long newestId = lastId;
        for (Object entry : redis.slowlogGet(MAX_ENTRIES)) {
            List<?> fields = (List<?>) entry;
            long id = (Long) fields.get(ID);
            if (id <= lastId) {
                break;
            }
            newestId = Math.max(newestId, id);
            if (!name.equals(fields.get(CLIENT_NAME))) {
                List<?> arguments = (List<?>) fields.get(ARGUMENTS);
                newestFirst.add(String.valueOf(arguments.get(0)).toUpperCase(Locale.ROOT));
            }
        }
        lastId = newestId;
        Collections.reverse(newestFirst);
        return newestFirst;
    }

    /** Restores the server's slow log settings and closes the monitor's connection. */
    @Override
    public void close() {
        try {
            redis.configSet(THRESHOLD, previousThreshold);
            redis.configSet(MAX_LEN, previousMaxLen);
        } catch (RedisException serverGone) {
            // a killed or stopped server lost the settings with its process: nothing left to restore
        } finally {
            connection.close();
        }
    }
}
