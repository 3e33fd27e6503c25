package io.kasper.examples.demo;

import io.kasper.KasperMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.PrintWriter;
import java.util.Collection;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Prints a progress line (messages in, out, lag) every second, read from Kasper's meters in a registry.
 *
 * <p>Thread-safety: thread-safe; {@link #close()} is idempotent.
 */
final class ProgressReporter implements AutoCloseable {

    private final MeterRegistry registry;
    private final PrintWriter out;
    private final long startNanos = System.nanoTime();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kasper-demo-progress");
        t.setDaemon(true);
        return t;
    });

    private ProgressReporter(MeterRegistry registry, PrintWriter out) {
        this.registry = registry;
        this.out = out;
    }

    /** Starts printing to {@code out} every second. */
    static ProgressReporter start(MeterRegistry registry, PrintWriter out) {
        ProgressReporter reporter = new ProgressReporter(registry, out);
        reporter.timer.scheduleAtFixedRate(reporter::print, 1, 1, TimeUnit.SECONDS);
        return reporter;
    }

    /** Prints a progress line now. */
    void print() {
        out.println(line());
        out.flush();
    }

    /** Returns the current progress line, e.g. {@code [progress 2.0s] in 1200 | out 3400 | lag 0}. */
    String line() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        Collection<Gauge> lags = registry.find(KasperMetrics.MESSAGES_BEHIND).gauges();
        String lag = lags.isEmpty() ? "-" : Long.toString(Math.round(lags.stream().mapToDouble(Gauge::value).sum()));
        return String.format(Locale.ROOT, "[progress %5.1fs] in %d | out %d | lag %s", seconds,
                count(KasperMetrics.MESSAGES_INCOMING), count(KasperMetrics.MESSAGES_OUTGOING), lag);
    }

    private long count(String name) {
        return Math.round(registry.find(name).counters().stream().mapToDouble(Counter::count).sum());
    }

    /** Stops printing. */
    @Override
    public void close() {
        timer.shutdownNow();
    }
}
