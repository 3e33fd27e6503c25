package io.kasper.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class MetricsEndpointIT {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void servesKasperCountersWithTopicAndPartitionLabelsWhileTheDemoRuns(KafkaBroker broker) throws Exception {
        int port = Ports.free();
        StopSignal stop = new StopSignal();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CompletableFuture<Integer> exitCode = CompletableFuture.supplyAsync(() -> KasperDemo.execute(new String[] {
            "word-count", "--bootstrap-servers", broker.bootstrapServers(), "--lines", "300", "--run-id", "metrics",
            "--metrics-port", Integer.toString(port), "--keep-running"},
                new PrintWriter(out, true), new PrintWriter(err, true), stop));
        AtomicReference<List<String>> incoming = new AtomicReference<>(List.of());
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                incoming.set(scrape(port).lines().filter(l -> l.startsWith("kasper_messages_incoming_total{"))
                        .toList());
                return incoming.get().size() == 3 && incoming.get().stream().allMatch(l -> l.endsWith(" 100.0"));
            });
        } finally {
            stop.stop();
        }

        assertThat(exitCode.get(60, TimeUnit.SECONDS)).as("exit code; stderr:%n%s", err).isZero();
        assertThat(incoming.get()).hasSize(3).anySatisfy(l -> assertThat(l).matches(incomingLine(0)))
                .anySatisfy(l -> assertThat(l).matches(incomingLine(1)))
                .anySatisfy(l -> assertThat(l).matches(incomingLine(2)));
        assertThat(incoming.get().stream().map(l -> l.substring(0, l.indexOf(','))).distinct())
                .as("one processor instance counted the three partitions").hasSize(1);
        assertThat(out.toString()).contains("Serving Prometheus metrics at http://localhost:" + port + "/metrics");
        assertThat(Ports.isFree(port)).as("the metrics server is stopped after the demo").isTrue();
    }

    /** The regular expression of a partition's line; the instance id's number depends on the JVM's history. */
    private static String incomingLine(int partition) {
        // LineProducer spreads the 300 lines evenly over the 3 partitions
        return "kasper_messages_incoming_total\\{kasper_instance=\"kasper-kasper-demo-word-count-metrics-[0-9]+\","
                + "partition=\"" + partition
                + "\",processor=\"kasper-demo-word-count-metrics\",topic=\"kasper-demo-metrics-lines\"} 100\\.0";
    }

    /** Returns the body of GET /metrics, or "" while the demo does not serve it yet. */
    private String scrape(int port) throws InterruptedException {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + port + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : "";
        } catch (IOException e) {
            return "";
        }
    }
}
