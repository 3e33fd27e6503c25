package io.kasper.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the whole benchmark in-process with tiny N against a real forked broker and Redis: every registered pipeline
 * but the two at Streams' default commit interval, which would wait 30 s for each commit (their code differs from the
 * 1,000 ms ones only by that setting), and the rebalance phase with windows of 2 s under both group protocols.
 */
class BenchIT {

    private static final List<String> PIPELINES = Pipelines.names().stream().filter(n -> !n.endsWith("-default"))
            .toList();

    @Test
    @Timeout(420) // a hang guard: the run takes about 215 s in CI on 2 cores, which other modules' tests share
    void tinyRunReportsEveryPipelineWithAPositiveRateAndMatchingAggregates(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("bench.json");
        Main.run(Options.parse("--records", "5000", "--repeat", "1", "--latency-seconds", "2", "--json",
                json.toString(), "--peers", String.join(",", PIPELINES), "--rebalance-rate", "2000",
                "--rebalance-seconds", "2"));

        JsonNode report = new ObjectMapper().readTree(json.toFile());
        JsonNode pipelines = report.path("pipelines");
        for (String pipeline : PIPELINES) {
            JsonNode figures = pipelines.path(pipeline);
            assertThat(figures.isObject()).as("pipeline %s in %s", pipeline, report).isTrue();
            assertThat(figures.path("msgPerSec").asDouble()).as(pipeline).isPositive();
            assertThat(figures.path("cpuUsPerRecord").path("jvm").asDouble()).as(pipeline + " jvm CPU").isPositive();
            assertThat(figures.path("cpuUsPerRecord").path("broker").asDouble()).as(pipeline + " broker CPU")
                    .isPositive();
            // every pipeline's consumer copies each 100 B value into an array of its own, at the least
            assertThat(figures.path("allocBytesPerRecord").asDouble()).as(pipeline + " heap bytes per record")
                    .isGreaterThan(100);
            assertThat(figures.path("warmUp").path("rounds").asInt())
                    .as(pipeline + " warm-up rounds, capped at 2 for N = 5,000").isEqualTo(2);
        }
        assertThat(pipelines.path(Report.CEILING).path("msgPerSec").asDouble()).isPositive();
        assertThat(report.path("cpuIdleBaseline").isObject()).isTrue();
        assertThat(report.path("statefulAggregatesMatch").isBoolean()).isTrue();
        assertThat(report.path("statefulAggregatesMatch").booleanValue()).isTrue();
        assertThat(report.path("latency").path("latency-kasper").path("p50Ms").asDouble()).isPositive();
        assertThat(report.path("latency").path("latency-streams").path("p50Ms").asDouble()).isPositive();
        assertThat(report.path("latency").path("latency-kasper-eos").path("p50Ms").asDouble()).isPositive();
        assertThat(report.path("latency").path("latency-streams-eos").path("p50Ms").asDouble()).isPositive();
        for (String eos : List.of("pass-kasper-eos", "pass-streams-eos")) {
            assertThat(pipelines.path(eos).path("duplicates").asLong()).as(eos + ": read_committed duplicates")
                    .isZero();
        }
        assertThat(report.path("memory").path("pass-kasper").path("peakHeapBytes").asLong()).isPositive();
        for (String protocol : List.of("CLASSIC", "CONSUMER")) {
            JsonNode rebalance = report.path("rebalance").path(protocol);
            assertThat(rebalance.path("steadyMsgPerSec").asDouble()).as(protocol + " in %s", report.path("rebalance"))
                    .isPositive();
            for (String window : List.of("steady", "join", "leave")) {
                JsonNode figures = rebalance.path("windows").path(window);
                assertThat(figures.path("notMovedMaxGapMs").isNumber() || figures.path("movedMaxGapMs").isNumber())
                        .as(protocol + " " + window + " has a gap").isTrue();
                assertThat(figures.path("p99Ms").asDouble()).as(protocol + " " + window + " p99").isPositive();
            }
            assertThat(rebalance.path("windows").path("join").path("moved").size())
                    .as(protocol + ": the member that joined took partitions").isPositive();
        }
        // Every Spring container, Parallel Consumer, scaled-out loop and group of Kasper processors, with their
        // clients, was closed after its run: none of their threads is left.
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                .noneMatch(name -> name.contains("spring-batch-pipe") || name.contains("spring-redis-agg")
                        || name.contains("parallel-consumer-pipe") || name.contains("kasper-redis-group")
                        || name.contains("kasper-group") || name.startsWith("hand-rolled-"));
    }

    @Test
    @Timeout(300)
    void forkedPipelinesRunEachRoundInAJvmOfTheirOwnAndReportTheSameFigures(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("forked.json");
        Main.run(Options.parse("--records", "5000", "--repeat", "1", "--json", json.toString(), "--phases",
                "pass,stateful", "--peers", "pass-hand-rolled-async,agg-hand-rolled-redis", "--fork-pipelines"));

        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertThat(report.path("forkedPipelines").asBoolean()).isTrue();
        JsonNode pipelines = report.path("pipelines");
        for (String pipeline : List.of("pass-kasper", "pass-hand-rolled-async", "agg-kasper-redis",
                "agg-hand-rolled-redis")) {
            JsonNode figures = pipelines.path(pipeline);
            assertThat(figures.path("msgPerSec").asDouble()).as(pipeline + " in %s", report).isPositive();
            assertThat(figures.path("cpuUsPerRecord").path("jvm").asDouble()).as(pipeline + " jvm CPU").isPositive();
            assertThat(figures.path("allocBytesPerRecord").asDouble()).as(pipeline + " heap bytes per record")
                    .isGreaterThan(100);
            assertThat(figures.path("warmUp").path("rounds").asInt()).as(pipeline + " warmed up in its own JVM")
                    .isEqualTo(2);
        }
        assertThat(pipelines.path("pass-kasper").path("duplicates").asLong()).isZero();
        // the aggregates were read back in the forked JVMs and checked here against what was produced
        assertThat(report.path("statefulAggregatesMatch").booleanValue()).isTrue();
    }

    @Test
    @Timeout(180)
    void withANetworkDelayEveryClientReachesTheBrokerThroughTheDelayingProxyAndItsCpuIsMeasured() throws Exception {
        Options options = Options.parse("--records", "5000", "--network-delay-ms", "10");
        try (Env env = new Env(options);
                Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, env.bootstrap()))) {
            int proxyPort = Integer.parseInt(env.bootstrap().substring(env.bootstrap().lastIndexOf(':') + 1));
            // the broker's metadata names the proxy: the requests after the bootstrap go through it as well
            assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).extracting(Node::port)
                    .containsExactly(proxyPort);

            long start = System.nanoTime();
            admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS);
            Duration roundTrip = Duration.ofNanos(System.nanoTime() - start);

            String input = env.createTopic(env.fresh("input"));
            InputData.producePassThrough(env, input);
            Pipeline kasper = Pipelines.all().stream().filter(p -> p.name().equals("pass-kasper")).findFirst()
                    .orElseThrow();
            TimedRun.Result run = TimedRun.run(env, kasper, input, null);

            System.out.printf("through a proxy of 10 ms each way: a request took %d ms; pass-kasper %.0f msg/s, "
                    + "proxy CPU %.2f µs per record%n", roundTrip.toMillis(), run.rate(), run.cpu().proxy());
            assertThat(roundTrip).isGreaterThanOrEqualTo(Duration.ofMillis(20));
            assertThat(run.rate()).isPositive();
            assertThat(run.duplicates()).isZero();
            assertThat(run.cpu().proxy()).as("the proxy's CPU over the run").isPositive();
        }
    }
}
