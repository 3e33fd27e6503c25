package io.kasper.examples.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kasper.TopicProcessor;
import java.io.IOException;
import java.util.Objects;
import java.util.function.ToIntFunction;

/**
 * The demo's health probes for Kubernetes and the like: {@code GET /health/live} and {@code GET /health/ready} answer
 * 200 or 503 as {@link HealthStatus} maps the topic processor's state, with its JSON as the body.
 *
 * <p>The server starts before the demo has created its processor (it first starts a cluster and produces the input);
 * until {@link #watch} is called the probes report {@code CREATED}: live, not ready. Thread-safety: thread-safe.
 */
final class HealthEndpoint {

    /** The path of the liveness probe. */
    static final String LIVE_PATH = "/health/live";
    /** The path of the readiness probe. */
    static final String READY_PATH = "/health/ready";

    private static final String JSON = "application/json; charset=utf-8";

    private final String processorName;
    private volatile TopicProcessor processor;

    /**
     * Creates the endpoint of a processor that is not created yet.
     *
     * @param processorName the name the processor will have
     */
    HealthEndpoint(String processorName) {
        this.processorName = Objects.requireNonNull(processorName, "processorName");
    }

    /**
     * Reports the health of {@code processor} from now on.
     *
     * @param processor the demo's topic processor
     */
    void watch(TopicProcessor processor) {
        this.processor = Objects.requireNonNull(processor, "processor");
    }

    /** Returns the current reading. */
    HealthStatus status() {
        TopicProcessor watched = processor;
        return watched == null ? HealthStatus.notCreatedYet(processorName) : HealthStatus.of(watched);
    }

    /**
     * Adds the two probe paths to {@code server}.
     *
     * @param server a server not started yet, or one that accepts new contexts while running
     */
    void register(HttpServer server) {
        server.createContext(LIVE_PATH, exchange -> respond(exchange, HealthStatus::liveStatusCode));
        server.createContext(READY_PATH, exchange -> respond(exchange, HealthStatus::readyStatusCode));
    }

    private void respond(HttpExchange exchange, ToIntFunction<HealthStatus> statusCode) throws IOException {
        HealthStatus status = status();
        MetricsServer.send(exchange, statusCode.applyAsInt(status), JSON, status.toJson());
    }
}
