package io.kasper.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@link DelayProxy} in a JVM of its own, so that the proxy's threads and copies count neither in a pipeline's CPU
 * nor in the broker's: the proxy stands for the network. The proxy exits when this closes its standard input, or
 * when the bench's JVM dies and the pipe breaks.
 *
 * <p>Thread-safety: {@link #close()} may be called from any thread, once.
 */
final class DelayProxyProcess implements AutoCloseable {

    private final Process process;
    private final int port;

    private DelayProxyProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts the proxy's JVM and waits until it listens.
     *
     * @param listenPort the loopback port it listens on (the broker's proxied listener is advertised there)
     * @param targetPort the broker's proxied listener
     * @param oneWayDelay the delay of each direction
     * @return the running proxy
     * @throws IllegalStateException when the JVM exits or prints something else before it listens
     */
    static DelayProxyProcess start(int listenPort, int targetPort, Duration oneWayDelay) {
        List<String> command = ChildJvm.command(List.of("-Xmx128m"), DelayProxy.class, List.of(
                Integer.toString(listenPort), Integer.toString(targetPort),
                Long.toString(TimeUnit.NANOSECONDS.toMicros(oneWayDelay.toNanos()))));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the delay proxy's JVM", e);
        }
        String line;
        try {
            // not closed: the proxy's later output is not read, and closing would not stop it
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            line = out.readLine();
        } catch (IOException e) {
            process.destroyForcibly();
            throw new UncheckedIOException("cannot read the delay proxy's output", e);
        }
        if (line == null || !line.startsWith(DelayProxy.READY + " ")) {
            process.destroyForcibly();
            throw new IllegalStateException("the delay proxy on port " + listenPort + " did not start: " + line);
        }
        return new DelayProxyProcess(process, Integer.parseInt(line.substring(DelayProxy.READY.length() + 1)));
    }

    /** Returns the process id of the proxy's JVM. */
    long pid() {
        return process.pid();
    }

    /** Returns the port the proxy listens on. */
    int port() {
        return port;
    }

    /** Stops the proxy: closes its standard input, then waits a little for it to exit before killing it. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
