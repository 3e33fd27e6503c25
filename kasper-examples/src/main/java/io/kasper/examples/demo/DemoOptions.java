package io.kasper.examples.demo;

import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import picocli.CommandLine.Option;

/**
 * The options every demo subcommand shares (a picocli mixin).
 *
 * <p>Thread-safety: filled in by picocli on the main thread, read-only afterwards.
 */
final class DemoOptions {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            description = "Kafka cluster to use (topics are created if missing). "
                    + "Default: start an embedded broker for the run.")
    String bootstrapServers;

    @Option(names = "--lines", paramLabel = "N", description = "Input messages to produce. Default: ${DEFAULT-VALUE} "
            + "means the example's own default.", defaultValue = "-1")
    int lines;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "3",
            description = "Partitions of every demo topic. Default: ${DEFAULT-VALUE}.")
    int partitions;

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "Serve Prometheus metrics at http://localhost:PORT/metrics while the demo runs, and on the "
                    + "same port health probes for the topic processor, with its state as JSON: /health/live (200, "
                    + "or 503 once it failed) and /health/ready (200 while it is running and reaches Kafka, else "
                    + "503: while starting, rebalancing, in a broker outage, closed or failed).")
    Integer metricsPort;

    @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "text",
            description = "Log format on stderr: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    LogFormat logFormat;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "90",
            description = "Give up when the input is not processed within this time. Default: ${DEFAULT-VALUE}.")
    int timeoutSeconds;

    @Option(names = "--keep-running",
            description = "After printing the result, keep the processor (and the metrics and health endpoints) "
                    + "running until Ctrl-C. Should the processor fail meanwhile, the demo stays up with "
                    + "/health/live at 503; while Ctrl-C closes it, live stays 200 (closed is not failed) and ready "
                    + "is 503.")
    boolean keepRunning;

    @Option(names = "--run-id", paramLabel = "ID",
            description = "Suffix of the demo's topic and processor names. Default: a random one, so runs against "
                    + "the same cluster do not see each other's data.")
    String runId;

    /** Returns the number of input lines, or {@code exampleDefault} when {@code --lines} was not given. */
    int lines(int exampleDefault) {
        return lines < 0 ? exampleDefault : lines;
    }

    /** Returns the run id, drawing a random one on first use when none was given. */
    String runId() {
        if (runId == null) {
            runId = UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
        }
        return runId;
    }

    Duration timeout() {
        return Duration.ofSeconds(timeoutSeconds);
    }
}
