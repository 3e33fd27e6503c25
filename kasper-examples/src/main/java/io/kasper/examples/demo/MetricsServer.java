package io.kasper.examples.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The demo's HTTP server: the registry's metrics in the Prometheus text format at {@code http://host:port/metrics},
 * and the topic processor's health probes at {@code /health/live} and {@code /health/ready} (see
 * {@link HealthEndpoint}).
 *
 * <p>Thread-safety: thread-safe; {@link #close()} is idempotent.
 */
final class MetricsServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Starts serving on all interfaces.
     *
     * @param port the TCP port; 0 picks a free one
     * @param registry the metrics to serve
     * @param health the health probes to serve
     * @throws UncheckedIOException when the port cannot be bound
     */
    static MetricsServer start(int port, PrometheusMeterRegistry registry, HealthEndpoint health) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
            server.createContext("/metrics", exchange -> send(exchange, HttpURLConnection.HTTP_OK,
                    "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
            health.register(server);
            ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "kasper-demo-metrics");
                t.setDaemon(true);
                return t;
            });
            server.setExecutor(executor);
            server.start();
            return new MetricsServer(server, executor);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve metrics on port " + port, e);
        }
    }

    /**
     * Sends one complete response and ends the exchange.
     *
     * @param exchange the request to answer
     * @param statusCode the HTTP status
     * @param contentType the Content-Type header
     * @param text the body, sent as UTF-8
     * @throws IOException when the client went away
     */
    static void send(HttpExchange exchange, int statusCode, String contentType, String text) throws IOException {
        try (exchange) {
            byte[] body = text.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(statusCode, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** Returns the port the server listens on. */
    int port() {
        return server.getAddress().getPort();
    }

    /** Stops serving. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
