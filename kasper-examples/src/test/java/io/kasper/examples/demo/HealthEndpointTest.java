package io.kasper.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The probes over real HTTP, before the demo has a processor (so no broker is needed). */
class HealthEndpointTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private MetricsServer server;

    @BeforeEach
    void startServer() {
        server = MetricsServer.start(0, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                new HealthEndpoint("kasper-demo-word-count-x"));
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void liveAnswers200WithTheStateAsJsonBeforeTheProcessorIsCreated() throws Exception {
        HttpResponse<String> response = get(HealthEndpoint.LIVE_PATH);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(response.body())
                .isEqualTo("{\"processor\":\"kasper-demo-word-count-x\",\"state\":\"CREATED\",\"ready\":false}");
    }

    @Test
    void readyAnswers503BeforeTheProcessorIsCreated() throws Exception {
        HttpResponse<String> response = get(HealthEndpoint.READY_PATH);

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).contains("\"state\":\"CREATED\"", "\"ready\":false");
    }

    @Test
    void metricsAreStillServedOnTheSamePort() throws Exception {
        HttpResponse<String> response = get("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain"));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
