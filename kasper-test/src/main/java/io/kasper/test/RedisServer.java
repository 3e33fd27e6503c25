package io.kasper.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real {@code redis-server} for tests, started as a child process on a free loopback port, without persistence
 * ({@code --save "" --appendonly no}), in a fresh temporary directory that {@link #close()} deletes.
 *
 * <p>The executable is {@code redis-server} from the PATH when there is one (Redis 7 on Debian), otherwise the
 * Redis 6.2 binary shipped inside the {@code com.github.codemonstur:embedded-redis} jar, unpacked into the server's
 * own temporary directory: {@code mvn verify} works on a machine with nothing installed by hand. The system property
 * {@value #BINARY_PROPERTY} ({@code auto}, {@code path}, {@code embedded}) or {@link #start(Binary)} forces a choice.
 *
 * <p>The server can be {@linkplain #kill() killed with SIGKILL}, {@linkplain #stop() stopped} and
 * {@linkplain #restart() restarted} on the same port, for fault-injection tests. Its log is {@link #logFile()}.
 *
 * <pre>{@code
 * try (RedisServer redis = RedisServer.start()) {
 *     RedisStore store = RedisStore.create(RedisStoreConfig.builder().uri(redis.uri())...build());
 * }
 * }</pre>
 *
 * <p>Thread-safety: all methods are safe to call from any thread; lifecycle methods are serialized.
 */
public final class RedisServer extends ForkedServer {

    /** System property choosing the executable for {@link #start()}: {@code auto} (default), {@code path}, {@code embedded}. */
    public static final String BINARY_PROPERTY = "kasper.redis.server";

    private static final Logger LOG = LoggerFactory.getLogger(RedisServer.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration PING_TIMEOUT = Duration.ofSeconds(1);

    /** Where the {@code redis-server} executable comes from. */
    public enum Binary {
        /** {@code redis-server} from the PATH if there is one, else the embedded binary. */
        AUTO,
        /** {@code redis-server} from the PATH only; starting fails when there is none. */
        PATH,
        /** The Redis 6.2 binary inside the embedded-redis jar, even when the PATH has one. */
        EMBEDDED
    }

    private final Path executable;
    private final boolean embedded;
    private final int port;
    private final RedisAdminClient client;

    private RedisServer(Path workDir, Path executable, boolean embedded) {
        super(workDir, "redis.log", false, "kasper-redis-reaper");
        this.executable = executable;
        this.embedded = embedded;
        this.port = FreePorts.next();
        this.client = new RedisAdminClient(host(), port, COMMAND_TIMEOUT);
    }

    /**
     * Starts a server with the executable chosen by the {@value #BINARY_PROPERTY} system property (default
     * {@code auto}) and waits until it answers PING.
     *
     * @return the running server; close it to kill it and delete its directory
     * @throws IllegalStateException when it does not answer within 20 s, or the property has an unknown value
     */
    public static RedisServer start() {
        String chosen = System.getProperty(BINARY_PROPERTY, "auto").trim().toUpperCase(Locale.ROOT);
        try {
            return start(Binary.valueOf(chosen));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("system property " + BINARY_PROPERTY
                    + " must be auto, path or embedded, was '" + System.getProperty(BINARY_PROPERTY) + "'", e);
        }
    }

    /**
     * Starts a server with the given kind of executable and waits until it answers PING.
     *
     * @param binary where the executable comes from
     * @return the running server
     * @throws IllegalStateException when {@link Binary#PATH} finds none, or it does not answer within 20 s
     */
    public static RedisServer start(Binary binary) {
        Path dir = ServerLaunch.tempDir("kasper-redis-", "redis-server");
        RedisServer server;
        try {
            Path onPath = binary == Binary.EMBEDDED ? null : RedisBinary.fromPath();
            if (onPath == null && binary == Binary.PATH) {
                throw new IllegalStateException("no redis-server on the PATH (" + System.getenv("PATH") + ")");
            }
            server = onPath != null ? new RedisServer(dir, onPath, false)
                    : new RedisServer(dir, RedisBinary.unpackEmbedded(dir.resolve("bin")), true);
        } catch (RuntimeException e) {
            BrokerProcess.deleteRecursively(dir);
            throw e;
        }
        server.startGuarded(server::startProcess);
        return server;
    }

    /**
     * Returns the host the server listens on: {@code 127.0.0.1}.
     *
     * @return the host the server listens on: {@code 127.0.0.1}
     */
    public String host() {
        return "127.0.0.1";
    }

    /**
     * Returns the port; stable across restarts.
     *
     * @return the port; stable across restarts
     */
    public int port() {
        return port;
    }

    /**
     * Returns {@code redis://127.0.0.1:PORT}, for clients.
     *
     * @return {@code redis://127.0.0.1:PORT}, for clients
     */
    public String uri() {
        return "redis://" + host() + ":" + port;
    }

    /**
     * Returns the executable this server runs.
     *
     * @return the executable this server runs
     */
    public Path executable() {
        return executable;
    }

    /**
     * Returns whether the executable is the embedded-redis fallback rather than one from the PATH.
     *
     * @return whether the executable is the embedded-redis fallback rather than one from the PATH
     */
    public boolean isEmbedded() {
        return embedded;
    }

    /**
     * Returns the process id of the redis-server, or -1 when it is not running (e.g. to read its CPU time).
     *
     * @return the process id of the redis-server, or -1 when it is not running (e.g. to read its CPU time)
     */
    public synchronized long pid() {
        return process != null && process.isAlive() ? process.pid() : -1;
    }

    /**
     * Returns the server's version, e.g. {@code 7.0.15}, from {@code INFO server}.
     *
     * @return the server's version, as its INFO reports it
     * @throws IllegalStateException when the server does not answer
     */
    public String version() {
        for (String line : info("server").split("\r?\n")) {
            if (line.startsWith("redis_version:")) {
                return line.substring("redis_version:".length()).trim();
            }
        }
        throw new IllegalStateException("INFO server of " + uri() + " has no redis_version");
    }

    /**
     * Sends one command on the harness's connection to the server and returns its reply as text (integers in
     * decimal, nil as null, arrays one element per line, a one-element array as its element).
     *
     * @param args the command and its arguments, e.g. {@code "CONFIG", "RESETSTAT"}
     * @return the reply
     * @throws IllegalStateException when Redis replies with an error
     * @throws UncheckedIOException when the server cannot be reached
     */
    public String command(String... args) {
        return client.command(args);
    }

    /**
     * Returns the text of {@code INFO section}, e.g. {@code commandstats}.
     *
     * @param section the INFO section
     * @return the raw INFO text
     * @throws UncheckedIOException when the server cannot be reached
     */
    public String info(String section) {
        return command("INFO", section);
    }

    /**
     * Opens a monitor that records every command the server runs from now on (see {@link RedisMonitor}).
     *
     * @return the monitor; close it when done
     * @throws UncheckedIOException when the server cannot be reached
     */
    public RedisMonitor monitor() {
        return new RedisMonitor(client, COMMAND_TIMEOUT);
    }

    /** Kills the server with SIGKILL and waits for the process to end. {@link #restart()} brings it back. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        LOG.info("killing redis-server on {} with SIGKILL", uri());
        endProcess(false);
    }

    /**
     * Freezes the server with SIGSTOP: connections stay open but nothing is answered, as with a hung server.
     * {@link #resume()} or {@link #kill()} ends it. POSIX only (uses {@code kill}).
     *
     * @throws IllegalStateException when the server is not running or the signal cannot be sent
     */
    public synchronized void pause() {
        signal("STOP");
    }

    /**
     * Resumes a server frozen by {@link #pause()} with SIGCONT.
     *
     * @throws IllegalStateException when the server is not running or the signal cannot be sent
     */
    public synchronized void resume() {
        signal("CONT");
    }

    /** Stops the server with SIGTERM and waits for it to exit. {@link #restart()} brings it back. */
    public synchronized void stop() {
        endProcess(true);
    }

    /**
     * Starts the server again on the same port (stopping it first if it runs); its data is gone (no persistence).
     *
     * @throws IllegalStateException when it does not answer within 20 s
     */
    public synchronized void restart() {
        stop();
        startProcess();
    }

    @Override
    void beforeEnd() {
        client.close();
    }

    private synchronized void startProcess() {
        if (isClosed()) {
            throw new IllegalStateException("redis-server on " + uri() + " is closed");
        }
        long started = System.nanoTime();
        List<String> command = new ArrayList<>(List.of(executable.toString(),
                "--port", String.valueOf(port), "--bind", host(), "--save", "", "--appendonly", "no",
                "--dir", workDir().toString()));
        launch(command, executable.toString());
        awaitPong();
        LOG.info("redis-server ({}) ready on {} in {} ms (dir {})", embedded ? "embedded" : executable, uri(),
                Duration.ofNanos(System.nanoTime() - started).toMillis(), workDir());
    }

    private void awaitPong() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited with code " + process.exitValue()
                        + " while starting: " + BrokerProcess.tail(logFile()));
            }
            try {
                if (client.ping(PING_TIMEOUT)) {
                    return;
                }
            } catch (RuntimeException notYet) {
                last = notYet;
            }
            // polling a port has no event to wait for: retry shortly
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        kill();
        throw new IllegalStateException("redis-server on " + uri() + " did not answer PING within "
                + READY_TIMEOUT.toSeconds() + " s: " + BrokerProcess.tail(logFile()), last);
    }

    private void signal(String name) {
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException("redis-server on " + uri() + " is not running");
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid()))
                    .redirectErrorStream(true).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot send SIG" + name + " to redis-server", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending SIG" + name, e);
        }
    }

}
