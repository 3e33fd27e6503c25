package io.kasper.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the test servers forked as one child process share (Redis, OpenSearch, Cassandra): a fresh temporary directory
 * holding the process's output ({@link #logFile()}), a shutdown hook that kills the process should the test JVM exit
 * without closing the server, and an idempotent {@link #close()} that ends the process and deletes the directory.
 * A subclass starts the process with {@link #launch} and waits for it to be ready.
 *
 * <p>Thread-safety: all methods are safe to call from any thread; lifecycle methods are serialized on the server.
 */
abstract class ForkedServer implements AutoCloseable {

    private static final long EXIT_TIMEOUT_SECONDS = 30;

    private final Path workDir;
    private final Path logFile;
    private final boolean gracefulClose;
    private final Thread reaper;
    /** The running process, null before the start and after it was ended; guarded by {@code this}. */
    Process process;
    private boolean closed;

    /**
     * Creates the server, not started.
     *
     * @param workDir its fresh temporary directory
     * @param logFileName the file in it that receives the process's stdout and stderr
     * @param gracefulClose whether {@link #close()} asks the process to stop (SIGTERM, SIGKILL after 30 s) rather
     *        than killing it straight away
     * @param reaperName the name of the shutdown hook's thread
     */
    ForkedServer(Path workDir, String logFileName, boolean gracefulClose, String reaperName) {
        this.workDir = workDir;
        this.logFile = workDir.resolve(logFileName);
        this.gracefulClose = gracefulClose;
        this.reaper = new Thread(this::killQuietly, reaperName);
    }

    /**
     * Registers the shutdown hook and runs {@code startProcess}; when it fails, closes the server and rethrows.
     *
     * @param startProcess starts the process and waits until it is ready
     */
    final void startGuarded(Runnable startProcess) {
        ServerLaunch.start(reaper, startProcess, this::close);
    }

    /**
     * Returns the server's temporary directory (its data, its log and what else it writes); close deletes it.
     *
     * @return the server's temporary directory (its data, its log and what else it writes); close deletes it
     */
    public Path workDir() {
        return workDir;
    }

    /**
     * Returns the file receiving the server process's output.
     *
     * @return the file receiving the server process's output
     */
    public Path logFile() {
        return logFile;
    }

    /**
     * Returns whether the server's process is alive.
     *
     * @return whether the server's process is alive
     */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /**
     * Ends the server's process (SIGTERM then, after 30 s, SIGKILL; or SIGKILL at once, as the server's class says)
     * and deletes its directory, log included. Idempotent.
     */
    @Override
    public final synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        beforeEnd();
        endProcess(gracefulClose);
        ServerLaunch.removeReaper(reaper);
        BrokerProcess.deleteRecursively(workDir);
    }

    /** Called by {@link #close()} before the process ends: closes what the server's class holds open to it. */
    void beforeEnd() {
    }

    /** Returns whether {@link #close()} was called. */
    final synchronized boolean isClosed() {
        return closed;
    }

    /**
     * Starts {@code command} in the server's directory, its output appended to {@link #logFile()}.
     *
     * @param what what is started, for the error, e.g. {@code "OpenSearch"}
     * @throws UncheckedIOException when the process cannot be started
     */
    final synchronized void launch(List<String> command, String what) {
        try {
            process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + what, e);
        }
    }

    /**
     * Throws when the process started by {@link #launch} has already exited, with its exit code and log tail.
     *
     * @param what the server, named in the error, e.g. {@code "Cassandra"}
     * @throws IllegalStateException when the process is not alive
     */
    final synchronized void ensureStarting(String what) {
        if (!process.isAlive()) {
            throw new IllegalStateException(what + " exited with code " + process.exitValue() + " while starting: "
                    + BrokerProcess.tail(logFile));
        }
    }

    /**
     * Ends the process (and any it started) and waits for it; a no-op when none runs.
     *
     * @param gracefully SIGTERM first, SIGKILL after 30 s; false: SIGKILL at once
     */
    final synchronized void endProcess(boolean gracefully) {
        if (process == null) {
            return;
        }
        if (gracefully) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            if (waitFor(process)) {
                process = null;
                return;
            }
        }
        killQuietly();
        waitFor(process);
        process = null;
    }

    private static boolean waitFor(Process process) {
        try {
            return process.waitFor(EXIT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private synchronized void killQuietly() {
        if (process != null) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
