package io.kasper.it;

import static io.kasper.it.Fixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kasper.ErrorPolicy;
import io.kasper.GroupProtocol;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Fault injection under {@link ProcessingGuarantee#EXACTLY_ONCE} on a real broker: each scenario reads the output
 * with {@code isolation.level=read_committed} and prints a {@code FAULT} line (see {@link FaultLedger}) that must show
 * zero lost and zero duplicates.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ExactlyOnceIT {

    private static final int PARTITIONS = 4;
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    /** The exactly-once configuration of the static scenarios, in this JVM or a forked one. */
    static TopicProcessorConfig.Builder config(String bootstrap, String name, String in, int partitions) {
        return FaultInjectionIT.config(bootstrap, name, in, partitions).maxUncommittedBatches(4)
                .processingGuarantee(ProcessingGuarantee.EXACTLY_ONCE);
    }

    /** Reads every committed record of {@code topic}, as a read_committed consumer of the output would. */
    static List<ConsumerRecord<byte[], byte[]>> readCommitted(KafkaBroker broker, String topic) {
        Properties props = broker.clientProperties();
        props.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.setProperty(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
        List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(10))) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // under read_committed the end offsets are the last stable offsets: no transaction is open past them
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                assertThat(System.nanoTime()).as("read of %s within %s", topic, TIMEOUT).isLessThan(deadline);
                consumer.poll(Duration.ofMillis(200)).forEach(all::add);
            }
        }
        return all;
    }

    private static FaultLedger ledger(FaultScenario scenario, KafkaBroker broker, String what) {
        return FaultLedger.of(what, scenario.inputs).outputs(readCommitted(broker, scenario.out));
    }

    private static Map<TopicPartition, Long> inputEnd(FaultScenario scenario, int count) {
        Map<TopicPartition, Long> end = new HashMap<>();
        for (int p = 0; p < scenario.partitions; p++) {
            end.put(new TopicPartition(scenario.in, p), (long) count / scenario.partitions);
        }
        return end;
    }

    @Test
    void aTransientFailureAfterAFlushIsRetriedByAbortingAndEveryInputIsOutputOnce(KafkaBroker broker)
            throws Exception {
        FaultScenario scenario = FaultScenario.create(broker, "eos-throw", PARTITIONS, 8_000);
        String out = scenario.out;
        TopicProcessorConfig config = config(broker.bootstrapServers(), unique("eos-throw"), scenario.in, PARTITIONS)
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
        ledger(scenario, broker, "(eos-a) transient failure after flush").printAndCheck(FaultInjectionIT.BATCH_SIZE,
                0, "read_committed, " + scenario.outputCount() + " records in the output log (aborted ones "
                        + "and transaction markers included)");
        assertThat(broker.committedOffsets(config.consumerGroupId())).isEqualTo(inputEnd(scenario, 8_000));
    }

    @Test
    void processorJvmKilledMidStreamThenRestartedOutputsEveryInputOnce(KafkaBroker broker, @TempDir Path dir)
            throws Exception {
        FaultScenario scenario = FaultScenario.create(broker, "eos-kill", PARTITIONS, 20_000);
        String name = unique("eos-kill");
        TopicProcessorConfig config = config(broker.bootstrapServers(), name, scenario.in, PARTITIONS).build();

        Path log = dir.resolve("processor.log");
        Process jvm = fork(broker, name, scenario, log, 10);
        await().atMost(TIMEOUT).until(() -> !jvm.isAlive() || scenario.outputCount() >= 6_000);
        assertThat(jvm.isAlive()).as("processor JVM alive before the kill; its log:%n%s",
                jvm.isAlive() ? "" : Files.readString(log)).isTrue();
        jvm.destroyForcibly(); // SIGKILL: the open transaction stays open until the restart fences it
        assertThat(jvm.waitFor(30, TimeUnit.SECONDS)).isTrue();
        long outputAtKill = scenario.outputCount();
        Map<TopicPartition, Long> committedAtKill = broker.committedOffsets(config.consumerGroupId());
        FaultInjectionIT.restartAndFinish(config, new FaultCopier(scenario.out, 0));

        ledger(scenario, broker, "(eos-b) processor JVM SIGKILLed").printAndCheck(FaultInjectionIT.BATCH_SIZE, 0,
                outputAtKill + " records in the output log at the kill, committed at the kill " + committedAtKill);
    }

    @ParameterizedTest
    @EnumSource(GroupProtocol.class)
    void groupMembersJoiningAndLeavingMidStreamOutputEveryInputOnce(GroupProtocol protocol, KafkaBroker broker)
            throws Exception {
        int partitions = 6;
        int count = 30_000;
        FaultScenario scenario = FaultScenario.create(broker, "eos-churn", partitions, count);
        String out = scenario.out;
        TopicProcessorConfig config = GroupMemberMain.groupConfig(broker.bootstrapServers(), unique("eos-churn"),
                List.of(scenario.in), FaultInjectionIT.BATCH_SIZE, protocol)
                .processingGuarantee(ProcessingGuarantee.EXACTLY_ONCE).build();
        List<RunningTopicProcessor> members = new ArrayList<>();
        try {
            members.add(RunningTopicProcessor.start(new TopicProcessor(config, p -> new FaultCopier(out, 5))));
            // join, join, leave, leave: each a rebalance while every member is busy
            for (int step = 1; step <= 4; step++) {
                scenario.awaitOutput((long) count * step / 5);
                if (step <= 2) {
                    members.add(RunningTopicProcessor.start(new TopicProcessor(config, p -> new FaultCopier(out, 5))));
                } else {
                    members.remove(0).close();
                }
            }
            Map<TopicPartition, Long> end = inputEnd(scenario, count);
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(250))
                    .until(() -> broker.committedOffsets(config.consumerGroupId()).equals(end));
            assertThat(members.get(members.size() - 1).hasEnded()).isFalse();
        } finally {
            members.forEach(RunningTopicProcessor::close);
        }

        ledger(scenario, broker, "(eos-c) churn (2 joins, 2 leaves), " + protocol)
                .printAndCheck(FaultInjectionIT.BATCH_SIZE, 0, "4 rebalances, read_committed");
    }

    @Test
    void aPausedStaticInstanceReplacedByAnotherCannotCommitAfterItResumes(KafkaBroker broker, @TempDir Path dir)
            throws Exception {
        FaultScenario scenario = FaultScenario.create(broker, "eos-zombie", PARTITIONS, 20_000);
        String name = unique("eos-zombie");
        TopicProcessorConfig config = config(broker.bootstrapServers(), name, scenario.in, PARTITIONS).build();

        Path log = dir.resolve("zombie.log");
        Process zombie = fork(broker, name, scenario, log, 20);
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
                .isEqualTo(inputEnd(scenario, 20_000));

        ledger(scenario, broker, "(eos-d) zombie SIGSTOPped, replaced, SIGCONTed")
                .printAndCheck(FaultInjectionIT.BATCH_SIZE, 0, "zombie exited " + zombie.exitValue()
                        + ", committed at the pause " + committedAtPause);
    }

    private static Process fork(KafkaBroker broker, String name, FaultScenario scenario, Path log, long delayMillis)
            throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                FaultProcessorMain.class.getName(), broker.bootstrapServers(), name, scenario.in, scenario.out,
                Integer.toString(scenario.partitions), Long.toString(delayMillis),
                ProcessingGuarantee.EXACTLY_ONCE.name()).redirectErrorStream(true).redirectOutput(log.toFile())
                .start();
    }

    private static void signal(String signal, Process process) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -%s", signal).isTrue();
    }
}
