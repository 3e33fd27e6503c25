package io.kasper.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The launch steps every forked test server shares: a fresh temp directory, a shutdown hook that kills the process
 * if the test JVM exits without closing it, and a start that leaves nothing behind when it fails.
 * Stateless, thread-safe.
 */
final class ServerLaunch {

    private ServerLaunch() {
    }

    /**
     * Creates a fresh temp directory.
     *
     * @param prefix its name prefix, e.g. {@code kasper-kafka-}
     * @param what the server it is for, named in the error
     * @throws UncheckedIOException when it cannot be created
     */
    static Path tempDir(String prefix, String what) {
        return tempDir(null, prefix, what);
    }

    /**
     * Creates a fresh temp directory in {@code parent}.
     *
     * @param parent the directory to create it in, or null for the system's temp directory
     * @param prefix its name prefix, e.g. {@code kasper-kafka-}
     * @param what the server it is for, named in the error
     * @throws UncheckedIOException when it cannot be created
     */
    static Path tempDir(Path parent, String prefix, String what) {
        try {
            return parent == null ? Files.createTempDirectory(prefix) : Files.createTempDirectory(parent, prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temp dir for " + what
                    + (parent == null ? "" : " in " + parent), e);
        }
    }

    /**
     * Registers {@code reaper} as a shutdown hook and runs {@code start}; when the start fails, runs {@code close}
     * (which deletes the directory and removes the hook) and rethrows.
     */
    static void start(Thread reaper, Runnable start, Runnable close) {
        Runtime.getRuntime().addShutdownHook(reaper);
        try {
            start.run();
        } catch (RuntimeException e) {
            close.run();
            throw e;
        }
    }

    /** Removes a reaper registered by {@link #start}; during JVM exit it runs anyway. */
    static void removeReaper(Thread reaper) {
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting: the hook runs anyway and finds the server closed
        }
    }
}
