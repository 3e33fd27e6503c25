package io.kasper.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kasper.MessageProcessor;
import io.kasper.test.KafkaBroker;
import io.kasper.test.KafkaBrokerExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A processor whose logic throws: its health turns from UP to DOWN with the failure, and the application's liveness
 * and readiness probes from 200 to 503, all over HTTP.
 */
@ExtendWith(KafkaBrokerExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "kasper.processors.failing.name=failure-it",
    "kasper.processors.failing.topics=failure-it-in",
    "kasper.processors.failing.partitions=0",
    "kasper.processors.failing.batch-wait=20ms",
    "management.endpoint.health.show-details=always",
    "management.endpoint.health.probes.enabled=true"})
@DirtiesContext
class ProcessorFailureIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static KafkaBroker broker;

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @Bean
        @KasperProcessor("failing")
        MessageProcessor failing() {
            return (messages, sender) -> {
                for (ConsumerRecord<byte[], byte[]> m : messages) {
                    if ("poison".equals(new String(m.value(), StandardCharsets.UTF_8))) {
                        throw new IllegalStateException("cannot process line 'poison'");
                    }
                }
            };
        }
    }

    @BeforeAll
    static void topics(KafkaBroker sharedBroker) {
        broker = sharedBroker;
        broker.createTopic("failure-it-in", 1);
    }

    @DynamicPropertySource
    static void brokerAddress(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", () -> broker.bootstrapServers());
    }

    @Autowired
    private KasperProcessorLifecycle failing;

    @LocalServerPort
    private int port;

    @Test
    void healthTurnsFromUpToDownAndProbesFailWhenTheProcessorFails() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> failing.topicProcessor().orElseThrow().isReady());
        HttpResponse<String> up = get("/actuator/health/kasper/failing");
        assertThat(up.statusCode()).isEqualTo(200);
        assertThat(up.body()).contains("\"status\":\"UP\"", "\"state\":\"RUNNING\"");
        assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(200);

        broker.produce(List.of(new ProducerRecord<>("failure-it-in", 0, null,
                "poison".getBytes(StandardCharsets.UTF_8))));

        await().atMost(Duration.ofSeconds(30)).until(() -> get("/actuator/health/kasper/failing").statusCode() == 503);
        HttpResponse<String> down = get("/actuator/health/kasper/failing");
        System.out.println("health of the failed processor: " + down.body());
        assertThat(down.body()).contains("\"status\":\"DOWN\"", "\"state\":\"FAILED\"", "\"failure\":",
                "cannot process line 'poison'");
        assertThat(get("/actuator/health").statusCode()).isEqualTo(503);
        await().atMost(Duration.ofSeconds(5)).until(() -> get("/actuator/health/liveness").statusCode() == 503);
        assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(503);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
