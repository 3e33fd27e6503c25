package io.kasper.it;

import static io.kasper.it.Fixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kasper.ErrorPolicy;
import io.kasper.MessageProcessor;
import io.kasper.ProcessingGuarantee;
import io.kasper.TopicProcessor;
import io.kasper.TopicProcessorConfig;
import io.kasper.test.KafkaBroker;
import io.kasper.test.KafkaBrokerExtension;
import io.kasper.test.RunningTopicProcessor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exactly-once cases that have no at-least-once counterpart in {@link FaultInjectionIT} (which runs its faults
 * under both guarantees): a transient failure after a flush, retried by aborting, and a paused static instance fenced
 * by its replacement. Each reads the output with {@code isolation.level=read_committed} and prints a {@code FAULT}
 * line (see {@link FaultLedger}) that must show zero lost and zero duplicates.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ExactlyOnceIT {

    private static final int PARTITIONS = 4;
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private static TopicProcessorConfig.Builder config(String bootstrap, String name, String in) {
        return FaultInjectionIT.config(bootstrap, name, in, PARTITIONS, ProcessingGuarantee.EXACTLY_ONCE);
    }

    @Test
    void aTransientFailureAfterAFlushIsRetriedByAbortingAndEveryInputIsOutputOnce(KafkaBroker broker)
            throws Exception {
        FaultScenario scenario = FaultScenario.create(broker, "eos-throw", PARTITIONS, 8_000);
        String out = scenario.out;
        TopicProcessorConfig config = config(broker.bootstrapServers(), unique("eos-throw"), scenario.in)
                .errorPolicy(ErrorPolicy.builder().maxRetries(3).retryBackoff(Duration.ofMillis(10),
                        Duration.ofMillis(100)).build()).build();
        AtomicInteger callsOfPartition2 = new AtomicInteger();
        MessageProcessor copier = new FaultCopier(out, 0);
        MessageProcessor failsOnce = (messages, sender) -> {
            if (messages.get(0).partition() == 2 && callsOfPartition2.incrementAndGet() == 5) {
                // half of the batch flushed into the open transaction, then a transient failure: the retry must
                // not produce that half again
                for (ConsumerRecord<byte[], byte[]> m : messages.subList(0, messages.size() / 2)) {
                    sender.send(new ProducerRecord<>(out, m.partition(), m.key(), m.value()));
                }
                sender.flush();
                throw new org.apache.kafka.common.errors.TimeoutException("injected transient failure");
            }
            copier.process(messages, sender);
        };

        try (RunningTopicProcessor run = RunningTopicProcessor.start(new TopicProcessor(config, p -> failsOnce))) {
            run.awaitConsumedAll(TIMEOUT);
        }

        assertThat(callsOfPartition2.get()).as("the failure was injected").isGreaterThan(5);
        scenario.ledger("(eos-a) transient failure after flush").printAndCheck(FaultInjectionIT.BATCH_SIZE,
                0, "read_committed, " + scenario.outputCount() + " records in the output log (aborted ones "
                        + "and transaction markers included)");
        assertThat(broker.committedOffsets(config.consumerGroupId())).isEqualTo(scenario.inputEnd());
    }

    @Test
    void aPausedStaticInstanceReplacedByAnotherCannotCommitAfterItResumes(KafkaBroker broker, @TempDir Path dir)
            throws Exception {
        FaultScenario scenario = FaultScenario.create(broker, "eos-zombie", PARTITIONS, 20_000);
        String name = unique("eos-zombie");
        TopicProcessorConfig config = config(broker.bootstrapServers(), name, scenario.in).build();

        Path log = dir.resolve("zombie.log");
        Process zombie = FaultProcessorMain.fork(broker, name, scenario, ProcessingGuarantee.EXACTLY_ONCE, 20,
                log);
        await().atMost(TIMEOUT).until(() -> !zombie.isAlive() || scenario.outputCount() >= 4_000);
        assertThat(zombie.isAlive()).as("zombie JVM alive before the pause; its log:%n%s",
                zombie.isAlive() ? "" : Files.readString(log)).isTrue();
        signal("STOP", zombie);
        Map<TopicPartition, Long> committedAtPause = broker.committedOffsets(config.consumerGroupId());
        try (RunningTopicProcessor replacement = RunningTopicProcessor.start(
                new TopicProcessor(config, p -> new FaultCopier(scenario.out, 0)))) {
            replacement.awaitConsumedAll(TIMEOUT);
            signal("CONT", zombie);
            assertThat(zombie.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("the zombie stops after resuming")
                    .isTrue();
            assertThat(replacement.hasEnded()).as("the replacement keeps running").isFalse();
        } finally {
            zombie.destroyForcibly();
        }
        String zombieLog = Files.readString(log);
        assertThat(zombie.exitValue()).as("zombie exit status; its log:%n%s", zombieLog).isEqualTo(1);
        assertThat(zombieLog).contains("the producer is fenced");
        assertThat(broker.committedOffsets(config.consumerGroupId())).as("offsets after the zombie resumed")
                .isEqualTo(scenario.inputEnd());

        scenario.ledger("(eos-d) zombie SIGSTOPped, replaced, SIGCONTed")
                .printAndCheck(FaultInjectionIT.BATCH_SIZE, 0, "zombie exited " + zombie.exitValue()
                        + ", committed at the pause " + committedAtPause);
    }

    private static void signal(String signal, Process process) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -%s", signal).isTrue();
    }
}
