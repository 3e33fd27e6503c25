package io.kasper.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kasper.test.KafkaBroker;
import io.kasper.test.KafkaBrokerExtension;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Runs the demo with {@code --metrics-port} and probes its health endpoints while it starts, runs and stops. */
@ExtendWith(KafkaBrokerExtension.class)
class HealthEndpointIT {

    private static final String PROCESSOR = "kasper-demo-word-count-health";
    // jackson-databind reaches this module through kasper-opensearch (see HealthStatusTest)
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** One answer of a probe: its HTTP status, Content-Type and parsed body. */
    private record Reading(int status, String contentType, JsonNode body) {

        String state() {
            return body.get("state").asText();
        }

        boolean ready() {
            return body.get("ready").asBoolean();
        }
    }

    @Test
    void readyWhileTheProcessorRunsLiveThroughoutAndGoneWithTheDemo(KafkaBroker broker) throws Exception {
        int port = Ports.free();
        StopSignal stop = new StopSignal();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CompletableFuture<Integer> exitCode = CompletableFuture.supplyAsync(() -> KasperDemo.execute(new String[] {
            "word-count", "--bootstrap-servers", broker.bootstrapServers(), "--lines", "300", "--run-id", "health",
            "--metrics-port", Integer.toString(port), "--keep-running"},
                new PrintWriter(out, true), new PrintWriter(err, true), stop));
        List<Reading> readies = new CopyOnWriteArrayList<>();
        List<Reading> lives = new CopyOnWriteArrayList<>();
        AtomicReference<Reading> readyRunning = new AtomicReference<>();
        AtomicReference<Reading> liveRunning = new AtomicReference<>();
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
                Reading ready = probe(port, HealthEndpoint.READY_PATH);
                if (ready == null) {
                    return false;
                }
                readies.add(ready);
                readyRunning.set(ready);
                return ready.status() == 200;
            });
            liveRunning.set(probe(port, HealthEndpoint.LIVE_PATH));
            assertThat(metricsLine(port, "kasper_processor_ready{")).as("the readiness gauge agrees")
                    .matches("kasper_processor_ready\\{kasper_instance=\"kasper-" + PROCESSOR + "-[0-9]+\",processor=\""
                            + PROCESSOR + "\"} 1\\.0");
        } finally {
            stop.stop();
        }
        // While the demo closes its processor and then its server, keep probing: any reading of the closing
        // processor is recorded, and the probes must stop answering once the demo is done.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> {
            Reading ready = probe(port, HealthEndpoint.READY_PATH);
            Reading live = probe(port, HealthEndpoint.LIVE_PATH);
            if (ready != null) {
                readies.add(ready);
            }
            if (live != null) {
                lives.add(live);
            }
            return ready == null && live == null;
        });

        assertThat(exitCode.get(60, TimeUnit.SECONDS)).as("exit code; stderr:%n%s", err).isZero();
        assertThat(readyRunning.get().body().toString())
                .isEqualTo("{\"processor\":\"" + PROCESSOR + "\",\"state\":\"RUNNING\",\"ready\":true}");
        assertThat(readyRunning.get().contentType()).startsWith("application/json");
        assertThat(liveRunning.get()).isNotNull();
        assertThat(liveRunning.get().status()).isEqualTo(200);
        assertThat(liveRunning.get().state()).isEqualTo("RUNNING");
        assertThat(readies).as("every readiness answer: 200 exactly when RUNNING and ready").allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(r.ready() ? 200 : 503);
            if (r.ready()) {
                assertThat(r.state()).isEqualTo("RUNNING");
            }
        });
        assertThat(lives).as("nothing failed, so live answered 200 up to the end, even closing or closed")
                .allSatisfy(r -> {
                    assertThat(r.status()).isEqualTo(200);
                    assertThat(r.state()).isNotEqualTo("FAILED");
                });
        assertThat(out.toString()).contains("Serving health probes at http://localhost:" + port
                + "/health/live and http://localhost:" + port + "/health/ready");
        assertThat(Ports.isFree(port)).as("the probes stop with the demo").isTrue();
    }

    /** Returns the answer of GET {@code path}, or null while (or once) the demo does not serve it. */
    private Reading probe(int port, String path) throws IOException, InterruptedException {
        HttpResponse<String> response;
        try {
            response = get(port, path);
        } catch (IOException e) {
            return null;
        }
        // outside the catch: a body that is not JSON is a failure, not "not served"
        return new Reading(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                JSON.readTree(response.body()));
    }

    private String metricsLine(int port, String prefix) throws IOException, InterruptedException {
        return get(port, "/metrics").body().lines().filter(l -> l.startsWith(prefix)).findFirst().orElse("");
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
