package io.kasper.it;

import static io.kasper.it.FaultInjectionIT.BATCH_SIZE;
import static io.kasper.it.Fixtures.unique;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kasper.BatchFailedException;
import io.kasper.ErrorPolicy;
import io.kasper.KasperMetrics;
import io.kasper.MessageProcessor;
import io.kasper.TopicProcessor;
import io.kasper.TopicProcessorConfig;
import io.kasper.redis.RedisStore;
import io.kasper.redis.RedisStoreConfig;
import io.kasper.store.Store;
import io.kasper.store.StoreException;
import io.kasper.test.KafkaBroker;
import io.kasper.test.KafkaBrokerExtension;
import io.kasper.test.RedisServer;
import io.kasper.test.RunningTopicProcessor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fault injection (e): redis-server is SIGKILLed and restarted while a processor keeps its state there. Store calls
 * fail with retriable {@link StoreException}s; within the retry budget the processor rides the outage out (the batch
 * is processed again once Redis is back), beyond it the batch fails and a restart delivers everything.
 */
@ExtendWith(KafkaBrokerExtension.class)
class RedisOutageFaultIT {

    private static final int PARTITIONS = 4;
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static RedisServer redis;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void closeRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    /**
     * Writes every input value to the store, reads the batch back and sends what it read: the output reflects the
     * store, so a batch whose store calls failed produces nothing until they succeed.
     */
    private static MessageProcessor throughStore(Store store, String out) {
        return (messages, sender) -> {
            Map<String, byte[]> writes = new LinkedHashMap<>();
            for (ConsumerRecord<byte[], byte[]> m : messages) {
                writes.put(new String(m.value(), UTF_8), m.value());
            }
            store.putAll(writes);
            Map<String, byte[]> read = store.getAll(writes.keySet());
            for (ConsumerRecord<byte[], byte[]> m : messages) {
                sender.send(new ProducerRecord<>(out, m.partition(), m.key(), read.get(new String(m.value(), UTF_8))));
            }
            Thread.sleep(10); // stands for real work, so that the kill hits a busy processor
        };
    }

    private static RedisStore store(String name) {
        return RedisStore.create(RedisStoreConfig.builder().name(name).uri(redis.uri()).prefix(name)
                .commandTimeout(Duration.ofSeconds(1)).build());
    }

    @Test
    void anOutageWithinTheRetryBudgetIsRiddenOutByRetryingTheBatch(KafkaBroker broker) throws Exception {
        FaultScenario scenario = FaultScenario.create(broker, "redis-short", PARTITIONS, 20_000);
        String in = scenario.in;
        String out = scenario.out;
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        TopicProcessorConfig config = FaultInjectionIT.config(broker.bootstrapServers(), unique("redis-short"), in,
                PARTITIONS).meterRegistry(registry).errorPolicy(ErrorPolicy.builder().maxRetries(30)
                        .retryBackoff(Duration.ofMillis(100), Duration.ofSeconds(1)).build()).build();

        long outageMillis;
        double retries;
        try (RedisStore store = store("short");
                RunningTopicProcessor run = RunningTopicProcessor.start(
                        new TopicProcessor(config, p -> throughStore(store, out)))) {
            scenario.awaitOutput(5_000);
            long killNanos = System.nanoTime();
            redis.kill();
            await().atMost(TIMEOUT).until(() -> registry.find(KasperMetrics.BATCH_RETRIES).counters().stream()
                    .mapToDouble(c -> c.count()).sum() >= 2);
            redis.restart();
            outageMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killNanos);
            run.awaitConsumedAll(TIMEOUT);
            assertThat(run.hasEnded()).as("the processor rode the Redis outage out").isFalse();
            retries = registry.find(KasperMetrics.BATCH_RETRIES).counters().stream().mapToDouble(c -> c.count()).sum();
        }

        scenario.ledger("(e) Redis SIGKILLed, back in time")
                .printAndCheck(BATCH_SIZE, 1, "outage " + outageMillis + " ms, " + (long) retries
                        + " batch retries, processor not restarted");
    }

    @Test
    void anOutageBeyondTheRetryBudgetFailsTheBatchAndARestartDeliversEverything(KafkaBroker broker)
            throws Exception {
        FaultScenario scenario = FaultScenario.create(broker, "redis-long", PARTITIONS, 20_000);
        String in = scenario.in;
        String out = scenario.out;
        TopicProcessorConfig config = FaultInjectionIT.config(broker.bootstrapServers(), unique("redis-long"), in,
                PARTITIONS).errorPolicy(ErrorPolicy.builder().maxRetries(2).build()).build();

        Throwable failure;
        long failedAfterMillis;
        try (RedisStore store = store("long");
                RunningTopicProcessor run = RunningTopicProcessor.start(
                        new TopicProcessor(config, p -> throughStore(store, out)))) {
            scenario.awaitOutput(5_000);
            long killNanos = System.nanoTime();
            redis.kill();
            failure = run.awaitFailure(TIMEOUT);
            failedAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killNanos);
        } finally {
            redis.restart();
        }
        assertThat(failure).isInstanceOf(BatchFailedException.class)
                .hasMessageContaining("MessageProcessor threw after 2 retries")
                .hasCauseInstanceOf(StoreException.class);
        assertThat(((StoreException) failure.getCause()).isRetriable()).isTrue();

        try (RedisStore store = store("long")) {
            FaultInjectionIT.restartAndFinish(config, throughStore(store, out));
        }
        scenario.ledger("(e) Redis SIGKILLed, not back in time")
                .printAndCheck(BATCH_SIZE, 1, "failed " + failedAfterMillis + " ms after the kill: "
                        + failure.getCause().getMessage());
    }
}
