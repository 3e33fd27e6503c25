package io.kasper.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kasper.KasperMetrics;
import io.kasper.ProcessorState;
import io.kasper.TypedMessageProcessor;
import io.kasper.redis.RedisStore;
import io.kasper.store.Codec;
import io.kasper.store.Store;
import io.kasper.store.TypedStore;
import io.kasper.test.KafkaBroker;
import io.kasper.test.KafkaBrokerExtension;
import io.kasper.test.RedisServer;
import io.kasper.test.RedisServerExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A Spring Boot application with one processor from properties, its logic a {@link TypedMessageProcessor} bean and
 * its counts in a Redis store bean, against the real broker and a real Redis; health and Prometheus over HTTP.
 */
@ExtendWith({KafkaBrokerExtension.class, RedisServerExtension.class})
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "kasper.processors.lines.name=starter-it-lines",
    "kasper.processors.lines.topics=starter-it-in",
    "kasper.processors.lines.partitions=0,1",
    "kasper.processors.lines.batch-wait=50ms",
    "kasper.processors.lines.value-deserializer=org.apache.kafka.common.serialization.StringDeserializer",
    "kasper.stores.line-counts.redis.prefix=starter-it:",
    "management.endpoints.web.exposure.include=health,prometheus",
    "management.endpoint.health.show-details=always"})
// Closed after the class, while the shared broker still runs (the cache would close it at JVM exit, after the broker).
@DirtiesContext
class KasperStarterIT {

    private static final String OUTPUT = "starter-it-out";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static KafkaBroker broker;
    private static RedisServer redis;

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @Bean
        @KasperProcessor("lines")
        TypedMessageProcessor<String, String> upperCaser(@Qualifier("line-counts") Store lineCounts) {
            TypedStore<Long> counts = new TypedStore<>(lineCounts, Codec.int64());
            return (lines, sender) -> {
                Map<String, Long> seen = new HashMap<>();
                for (ConsumerRecord<String, String> line : lines) {
                    seen.merge(line.value(), 1L, Long::sum);
                    sender.send(new ProducerRecord<>(OUTPUT, line.partition(), null,
                            line.value().toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8)));
                }
                Map<String, Long> updated = new HashMap<>(counts.getAll(seen.keySet()));
                seen.forEach((line, n) -> updated.merge(line, n, Long::sum));
                counts.putAll(updated);
            };
        }
    }

    @BeforeAll
    static void servers(KafkaBroker sharedBroker, RedisServer sharedRedis) {
        broker = sharedBroker;
        redis = sharedRedis;
        broker.createTopic("starter-it-in", 2);
        broker.createTopic(OUTPUT, 2);
    }

    @DynamicPropertySource
    static void serverAddresses(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", () -> broker.bootstrapServers());
        registry.add("kasper.stores.line-counts.redis.uri", () -> redis.uri());
    }

    @Autowired
    @Qualifier("line-counts")
    private Store lineCounts;

    @Autowired
    private Map<String, KasperProcessorLifecycle> processors;

    @LocalServerPort
    private int port;

    @Test
    void processesIntoTheOutputTopicAndTheRedisStoreBean() {
        assertThat(lineCounts).isInstanceOf(RedisStore.class);
        List<ProducerRecord<byte[], byte[]>> input = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            input.add(new ProducerRecord<>("starter-it-in", i % 2, null,
                    ("line " + (i % 10)).getBytes(StandardCharsets.UTF_8)));
        }
        broker.produce(input);

        await().atMost(Duration.ofSeconds(30)).until(() -> lineOutput().size() >= 200);
        List<String> output = lineOutput();
        List<String> expected = new ArrayList<>();
        for (ProducerRecord<byte[], byte[]> r : input) {
            expected.add(r.partition() + ":" + new String(r.value(), StandardCharsets.UTF_8).toUpperCase(Locale.ROOT));
        }
        assertThat(output).containsExactlyInAnyOrderElementsOf(expected);
        TypedStore<Long> counts = new TypedStore<>(lineCounts, Codec.int64());
        for (int i = 0; i < 10; i++) {
            assertThat(counts.get("line " + i)).as("count of 'line %d'", i).isEqualTo(20L);
        }
        assertThat(processors).containsOnlyKeys(KasperBeanRegistrar.PROCESSOR_BEAN_PREFIX + "lines");
    }

    @Test
    void healthAndMetersAreServedByTheActuatorOverHttp() throws Exception {
        KasperProcessorLifecycle lines = processors.get(KasperBeanRegistrar.PROCESSOR_BEAN_PREFIX + "lines");
        await().atMost(Duration.ofSeconds(30)).until(() -> lines.topicProcessor().orElseThrow().isReady());
        assertThat(lines.topicProcessor().orElseThrow().state()).isEqualTo(ProcessorState.RUNNING);

        HttpResponse<String> health = get("/actuator/health/kasper");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"", "\"lines\"", "\"state\":\"RUNNING\"",
                "\"ready\":true", "\"processor\":\"starter-it-lines\"");

        broker.produce(List.of(new ProducerRecord<>("starter-it-in", 0, null,
                "meter".getBytes(StandardCharsets.UTF_8))));
        // The store write happens inside process(); the incoming counter is recorded by the loop around it, so the
        // scrape is awaited rather than taken once the count is in Redis.
        String incoming = KasperMetrics.MESSAGES_INCOMING.replace('.', '_') + "_total{";
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/actuator/prometheus").body().contains(incoming));
        HttpResponse<String> prometheus = get("/actuator/prometheus");
        assertThat(prometheus.statusCode()).isEqualTo(200);
        assertThat(prometheus.body()).contains(incoming)
                .contains("processor=\"starter-it-lines\"")
                .contains(KasperMetrics.PROCESSOR_READY.replace('.', '_'))
                .contains(KasperMetrics.STORE_CALLS.replace('.', '_'));
    }

    /** The output of this test's lines, without the other test's ("METER"). */
    private static List<String> lineOutput() {
        List<String> output = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : broker.readAll(OUTPUT)) {
            String value = new String(r.value(), StandardCharsets.UTF_8);
            if (value.startsWith("LINE")) {
                output.add(r.partition() + ":" + value);
            }
        }
        return output;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
