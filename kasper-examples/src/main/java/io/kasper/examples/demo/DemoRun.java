package io.kasper.examples.demo;

import io.kasper.TopicProcessor;
import io.kasper.examples.ExampleSettings;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.kasper.test.RunningTopicProcessor;

/**
 * Runs one demo from start to end: cluster, topics, input, processor with progress output, result, clean-up.
 *
 * <p>Everything it opens is closed on return and also by a shutdown hook, so Ctrl-C stops the processor gracefully
 * and removes an embedded broker. Thread-safety: {@link #run} is called once, from one thread.
 */
final class DemoRun {

    private static final Logger LOG = LoggerFactory.getLogger(DemoRun.class);

    private final DemoOptions options;
    private final PrintWriter out;
    private final StopSignal stopSignal;
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    DemoRun(DemoOptions options, PrintWriter out, StopSignal stopSignal) {
        this.options = options;
        this.out = out;
        this.stopSignal = stopSignal;
    }

    /**
     * Runs the example and returns the process exit code: 0 when the result is correct, 1 when it is not.
     *
     * @throws Exception when the demo cannot run (no cluster, timeout, a failed processor); picocli prints it
     */
    int run(String exampleName, DemoExample example) throws Exception {
        options.logFormat.apply();
        Thread hook = new Thread(this::closeAll, "kasper-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return runExample(exampleName, example);
        } finally {
            closeAll();
            removeHook(hook);
        }
    }

    private int runExample(String exampleName, DemoExample example) throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        String processorName = "kasper-demo-" + exampleName + "-" + options.runId();
        HealthEndpoint health = new HealthEndpoint(processorName);
        if (options.metricsPort != null) {
            MetricsServer server = opened(MetricsServer.start(options.metricsPort, registry, health));
            String base = "http://localhost:" + server.port();
            say("Serving Prometheus metrics at " + base + "/metrics");
            say("Serving health probes at " + base + HealthEndpoint.LIVE_PATH + " and " + base
                    + HealthEndpoint.READY_PATH);
        }
        DemoCluster cluster;
        if (options.bootstrapServers == null) {
            say("Starting an embedded Kafka broker (a forked JVM; its logs stay in its temp directory)...");
            EmbeddedCluster embedded = opened(EmbeddedCluster.start());
            say("Embedded broker ready on " + embedded.bootstrapServers() + " (data and logs in "
                    + embedded.directory() + ", removed at exit)");
            cluster = embedded;
        } else {
            cluster = opened(new ExternalCluster(options.bootstrapServers));
        }
        for (String topic : example.topics()) {
            cluster.createTopic(topic, options.partitions);
        }
        say("Topics: " + String.join(", ", example.topics()) + " (" + options.partitions + " partitions each)");
        example.feed(cluster.bootstrapServers(), options.partitions, out);

        ExampleSettings settings = new ExampleSettings(cluster.bootstrapServers(), processorName,
                options.partitions, registry);
        TopicProcessor processor = example.create(settings, out);
        health.watch(processor);
        RunningTopicProcessor running = opened(RunningTopicProcessor.start(processor));
        say("Topic processor '" + processorName + "' running");
        try (ProgressReporter progress = ProgressReporter.start(registry, out)) {
            running.awaitConsumedAll(options.timeout());
            progress.print();
        }
        say("All input consumed");
        boolean correct = example.report(cluster.bootstrapServers(), out);
        if (options.keepRunning) {
            say("Still running (--keep-running); press Ctrl-C to stop");
            stopSignal.await(Duration.ofDays(3650));
        }
        return correct ? 0 : 1;
    }

    private <T extends AutoCloseable> T opened(T resource) {
        synchronized (resources) {
            resources.push(resource);
        }
        return resource;
    }

    private void say(String line) {
        out.println(line);
        out.flush();
    }

    /** Closes what is open, newest first; idempotent, and safe from the shutdown hook. */
    private void closeAll() {
        stopSignal.stop();
        while (true) {
            AutoCloseable resource;
            synchronized (resources) {
                resource = resources.poll();
            }
            if (resource == null) {
                return;
            }
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed", resource.getClass().getSimpleName(), e);
            }
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down and runs the hook itself
        }
    }
}
