package io.kasper.it;

import static io.kasper.it.FaultInjectionIT.BATCH_SIZE;
import static io.kasper.it.Fixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kasper.ErrorPolicy;
import io.kasper.KasperException;
import io.kasper.ProcessingGuarantee;
import io.kasper.ProcessorState;
import io.kasper.TopicProcessor;
import io.kasper.TopicProcessorConfig;
import io.kasper.test.KafkaBroker;
import io.kasper.test.RunningTopicProcessor;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Fault injection (d): the broker is SIGKILLed while the processor works. An outage shorter than the
 * {@code brokerOutageTimeout} is ridden out by the running processor (no restart, not ready meanwhile); a longer one
 * fails it cleanly, and a restart after the broker is back delivers everything. The short outage runs under both
 * guarantees, exactly-once counted on a {@code read_committed} read with zero duplicates. This class has a broker of its own,
 * so that killing it does not disturb the other tests.
 */
class BrokerOutageFaultIT {

    private static final int PARTITIONS = 4;
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static KafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.start();
    }

    @AfterAll
    static void closeBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private static TopicProcessorConfig config(String name, String in, Duration outageTimeout) {
        return config(name, in, outageTimeout, ProcessingGuarantee.AT_LEAST_ONCE);
    }

    private static TopicProcessorConfig config(String name, String in, Duration outageTimeout,
            ProcessingGuarantee guarantee) {
        TopicProcessorConfig.Builder builder = FaultInjectionIT.config(broker.bootstrapServers(), name, in,
                PARTITIONS, guarantee).errorPolicy(ErrorPolicy.builder().brokerOutageTimeout(outageTimeout).build());
        if (guarantee == ProcessingGuarantee.EXACTLY_ONCE) {
            // the transaction open at the kill must outlive the outage: the broker of this test takes up to ~20 s
            // to be back, longer than Kasper's default of 10 s
            builder.producerProperty(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 60_000);
        }
        return builder.build();
    }

    /**
     * Under exactly-once the outage must also end within {@code transaction.timeout.ms}: the broker would abort the
     * open transaction otherwise, which fences the producer and stops the processor.
     */
    @ParameterizedTest
    @EnumSource(ProcessingGuarantee.class)
    void anOutageShorterThanTheTimeoutIsRiddenOutWithoutARestart(ProcessingGuarantee guarantee) throws Exception {
        FaultScenario scenario = FaultScenario.create(broker, "outage-short", PARTITIONS, 20_000);
        TopicProcessorConfig config = config(unique("outage-short"), scenario.in, Duration.ofSeconds(90), guarantee);

        long outageMillis;
        long outputAtKill;
        try (RunningTopicProcessor run = RunningTopicProcessor.start(
                new TopicProcessor(config, p -> new FaultCopier(scenario.out, 10)))) {
            outputAtKill = scenario.awaitOutput(5_000);
            assertThat(run.processor().isReady()).isTrue();
            long killNanos = System.nanoTime();
            broker.kill();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> !run.processor().isReady());
            assertThat(run.processor().state()).isEqualTo(ProcessorState.RUNNING);
            broker.restart();
            outageMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killNanos);
            run.awaitConsumedAll(TIMEOUT);
            assertThat(run.hasEnded()).as("the processor rode the outage out").isFalse();
            await().atMost(Duration.ofSeconds(30)).until(run.processor()::isReady);
        }

        scenario.ledger("(d) broker SIGKILLed, back in time, " + guarantee)
                .printAndCheck(BATCH_SIZE, FaultInjectionIT.duplicateBatches(guarantee, 1), "outage " + outageMillis + " ms < brokerOutageTimeout 90 s, "
                        + outputAtKill + " outputs at the kill, processor not restarted");
    }

    @Test
    void anOutageLongerThanTheTimeoutFailsTheProcessorAndARestartDeliversEverything() throws Exception {
        FaultScenario scenario = FaultScenario.create(broker, "outage-long", PARTITIONS, 20_000);
        String in = scenario.in;
        String name = unique("outage-long");
        Duration outageTimeout = Duration.ofSeconds(5);

        Throwable failure;
        long failedAfterMillis;
        try (RunningTopicProcessor run = RunningTopicProcessor.start(
                new TopicProcessor(config(name, in, outageTimeout), p -> new FaultCopier(scenario.out, 10)))) {
            scenario.awaitOutput(5_000);
            long killNanos = System.nanoTime();
            broker.kill();
            failure = run.awaitFailure(Duration.ofSeconds(60));
            failedAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killNanos);
            assertThat(run.processor().state()).isEqualTo(ProcessorState.FAILED);
            assertThat(run.processor().failure()).hasValueSatisfying(f -> assertThat(f).isSameAs(failure));
        }
        // Either the watch notices the silence, or the producer gives up on output after the same timeout.
        assertThat(failure).isInstanceOf(KasperException.class).satisfiesAnyOf(
                f -> assertThat(f).hasMessageContaining("has answered for").hasMessageContaining(
                        "brokerOutageTimeout PT5S"),
                f -> assertThat(f).hasMessageContaining("output could not be produced")
                        .hasRootCauseInstanceOf(org.apache.kafka.common.errors.TimeoutException.class));
        assertThat(failedAfterMillis).as("fails soon after the timeout, not after closeTimeout waits")
                .isLessThan(outageTimeout.toMillis() + 10_000);

        broker.restart();
        Map<TopicPartition, Long> committedAtFailure = broker.committedOffsets("kasper-topic-processor-" + name);
        FaultInjectionIT.restartAndFinish(config(name, in, Duration.ofSeconds(60)), new FaultCopier(scenario.out, 0));
        scenario.ledger("(d) broker SIGKILLed, not back in time")
                .printAndCheck(BATCH_SIZE, 1, "failed " + failedAfterMillis + " ms after the kill with "
                        + failure.getClass().getSimpleName() + ": " + failure.getMessage().lines().findFirst()
                        .orElse("") + "; committed at failure " + committedAtFailure);
    }

    @Test
    void anIdleProcessorNoticesTheOutageItselfAndFailsAfterTheTimeout() throws Exception {
        String in = unique("outage-idle-in");
        broker.createTopic(in, PARTITIONS);
        Duration outageTimeout = Duration.ofSeconds(4);

        Throwable failure;
        long failedAfterMillis;
        boolean readyBefore;
        try (RunningTopicProcessor run = RunningTopicProcessor.start(new TopicProcessor(
                config(unique("outage-idle"), in, outageTimeout), p -> new FaultCopier("unused", 0)))) {
            await().atMost(TIMEOUT).until(run.processor()::isReady);
            readyBefore = run.processor().isReady();
            long killNanos = System.nanoTime();
            broker.kill();
            failure = run.awaitFailure(Duration.ofSeconds(60));
            failedAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killNanos);
        } finally {
            broker.restart();
        }

        assertThat(readyBefore).isTrue();
        assertThat(failure).isExactlyInstanceOf(KasperException.class)
                .hasMessageContaining("no Kafka broker of '" + broker.bootstrapServers() + "' has answered for")
                .hasMessageContaining("(errorPolicy brokerOutageTimeout PT4S); stopping");
        assertThat(failedAfterMillis).isBetween(outageTimeout.toMillis() - 1_000, outageTimeout.toMillis() + 8_000);
        System.out.printf("FAULT (d) idle processor, broker SIGKILLed: failed %d ms after the kill "
                + "(brokerOutageTimeout %s): %s%n", failedAfterMillis, outageTimeout, failure.getMessage());
    }
}
