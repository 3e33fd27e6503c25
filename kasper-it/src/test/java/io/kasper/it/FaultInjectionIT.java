package io.kasper.it;

import static io.kasper.it.Fixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kasper.BatchFailedException;
import io.kasper.GroupProtocol;
import io.kasper.MessageProcessor;
import io.kasper.TopicProcessor;
import io.kasper.TopicProcessorConfig;
import io.kasper.test.KafkaBroker;
import io.kasper.test.KafkaBrokerExtension;
import io.kasper.test.RunningTopicProcessor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Fault injection on a real broker, counting inputs against outputs for each fault: an exception in
 * {@code process}, output the broker refuses, the processor's JVM SIGKILLed, rebalance churn. Each scenario prints a
 * {@code FAULT} line (see {@link FaultLedger}) and checks that no input is lost and that duplicates stay within one
 * batch per partition per fault. The scenarios run with {@code maxUncommittedBatches(1)}, the setting under which a
 * fault can make Kasper deliver at most one batch of a partition again. Broker and Redis outages are in
 * {@link BrokerOutageFaultIT} and {@link RedisOutageFaultIT}.
 */
@ExtendWith(KafkaBrokerExtension.class)
class FaultInjectionIT {

    static final int BATCH_SIZE = 100;
    private static final int PARTITIONS = 4;
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    /** The configuration of every fault scenario: static partitions 0..n-1, at most one uncommitted batch each. */
    static TopicProcessorConfig.Builder config(String bootstrap, String name, String in, int partitions) {
        return TopicProcessorConfig.builder().topicProcessorName(name).bootstrapServers(bootstrap).inputTopics(in)
                .inputPartitions(Fixtures.range(partitions)).batchSize(BATCH_SIZE)
                .batchWaitDuration(Duration.ofMillis(100)).maxUncommittedBatches(1)
                .closeTimeout(Duration.ofSeconds(20));
    }

    /** Runs a fault-free processor of the same name until it has consumed everything, as an operator's restart. */
    static void restartAndFinish(TopicProcessorConfig config, MessageProcessor processor) throws Exception {
        try (RunningTopicProcessor run = RunningTopicProcessor.start(new TopicProcessor(config, p -> processor))) {
            run.awaitConsumedAll(TIMEOUT);
        }
    }

    @Test
    void exceptionInProcessFailsTheBatchAndARestartDeliversEverything(KafkaBroker broker) throws Exception {
        FaultScenario scenario = FaultScenario.create(broker, "fault-throw", PARTITIONS, 8_000);
        String out = scenario.out;
        TopicProcessorConfig config = config(broker.bootstrapServers(), unique("fault-throw"), scenario.in,
                PARTITIONS).build();
        AtomicInteger callsOfPartition2 = new AtomicInteger();
        MessageProcessor copier = new FaultCopier(out, 0);
        MessageProcessor failsOnce = (messages, sender) -> {
            if (messages.get(0).partition() == 2 && callsOfPartition2.incrementAndGet() == 5) {
                // half of the batch made durable, then a bug: that half is what a restart delivers twice
                for (ConsumerRecord<byte[], byte[]> m : messages.subList(0, messages.size() / 2)) {
                    sender.send(new ProducerRecord<>(out, m.partition(), m.key(), m.value()));
                }
                sender.flush();
                throw new IllegalStateException("injected failure in process()");
            }
            copier.process(messages, sender);
        };

        Throwable failure;
        try (RunningTopicProcessor run = RunningTopicProcessor.start(new TopicProcessor(config, p -> failsOnce))) {
            failure = run.awaitFailure(TIMEOUT);
        }
        assertThat(failure).isInstanceOf(BatchFailedException.class)
                .hasRootCauseInstanceOf(IllegalStateException.class);
        assertThat(((BatchFailedException) failure).partition()).isEqualTo(2);
        Map<TopicPartition, Long> committedAtFailure = broker.committedOffsets(config.consumerGroupId());
        restartAndFinish(config, copier);

        FaultLedger ledger = scenario.ledger("(a) exception in process");
        ledger.printAndCheck(BATCH_SIZE, 1, "committed at failure " + committedAtFailure);
        assertThat(ledger.duplicatesPerPartition()).as("only the failed batch's flushed half is delivered twice")
                .isEqualTo(Map.of(2, BATCH_SIZE / 2));
    }

    @Test
    void outputTheBrokerRefusesFailsTheProcessorWithoutCommittingItAndARestartDeliversEverything(
            KafkaBroker broker) throws Exception {
        FaultScenario scenario = FaultScenario.create(broker, "fault-refuse", PARTITIONS, 20_000);
        TopicProcessorConfig config = config(broker.bootstrapServers(), unique("fault-refuse"), scenario.in,
                PARTITIONS).build();
        ConfigResource outTopic = new ConfigResource(ConfigResource.Type.TOPIC, scenario.out);

        Throwable failure;
        long failedAfterMillis;
        long outputBeforeFault;
        try (Admin admin = Admin.create(broker.clientProperties());
                RunningTopicProcessor run = RunningTopicProcessor.start(
                        new TopicProcessor(config, p -> new FaultCopier(scenario.out, 10)))) {
            outputBeforeFault = scenario.awaitOutput(5_000);
            // From now on the output topic accepts no record batch: every produce fails with MESSAGE_TOO_LARGE.
            admin.incrementalAlterConfigs(Map.of(outTopic, List.of(new AlterConfigOp(
                    new ConfigEntry("max.message.bytes", "16"), AlterConfigOp.OpType.SET)))).all()
                    .get(10, TimeUnit.SECONDS);
            long faultNanos = System.nanoTime();
            failure = run.awaitFailure(TIMEOUT);
            failedAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - faultNanos);
            admin.incrementalAlterConfigs(Map.of(outTopic, List.of(new AlterConfigOp(
                    new ConfigEntry("max.message.bytes", ""), AlterConfigOp.OpType.DELETE)))).all()
                    .get(10, TimeUnit.SECONDS);
        }
        assertThat(failure).isInstanceOf(BatchFailedException.class)
                .hasMessageContaining("output could not be produced")
                .hasRootCauseInstanceOf(RecordTooLargeException.class);
        Map<TopicPartition, Long> committedAtFailure = broker.committedOffsets(config.consumerGroupId());
        restartAndFinish(config, new FaultCopier(scenario.out, 0));

        scenario.ledger("(b) produce refused by the broker")
                .printAndCheck(BATCH_SIZE, 1, "failed " + failedAfterMillis + " ms after the fault, "
                        + outputBeforeFault + " outputs before it, committed at failure " + committedAtFailure);
    }

    @Test
    void processorJvmKilledMidBatchLosesNothingAndRedeliversAtMostOneBatchPerPartition(KafkaBroker broker,
            @TempDir Path dir) throws Exception {
        FaultScenario scenario = FaultScenario.create(broker, "fault-kill", PARTITIONS, 20_000);
        String name = unique("fault-kill");
        TopicProcessorConfig config = config(broker.bootstrapServers(), name, scenario.in, PARTITIONS).build();

        Path log = dir.resolve("processor.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process jvm = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                FaultProcessorMain.class.getName(), broker.bootstrapServers(), name, scenario.in, scenario.out,
                Integer.toString(PARTITIONS), "10").redirectErrorStream(true).redirectOutput(log.toFile()).start();
        await().atMost(TIMEOUT).until(() -> !jvm.isAlive() || scenario.outputCount() >= 6_000);
        assertThat(jvm.isAlive()).as("processor JVM alive before the kill; its log:%n%s",
                jvm.isAlive() ? "" : Files.readString(log)).isTrue();
        jvm.destroyForcibly(); // SIGKILL: no close(), no final commit
        assertThat(jvm.waitFor(30, TimeUnit.SECONDS)).isTrue();
        long outputAtKill = scenario.outputCount();
        Map<TopicPartition, Long> committedAtKill = broker.committedOffsets(config.consumerGroupId());
        restartAndFinish(config, new FaultCopier(scenario.out, 0));

        scenario.ledger("(c) processor JVM SIGKILLed")
                .printAndCheck(BATCH_SIZE, 1, outputAtKill + " outputs at the kill (exit "
                        + jvm.exitValue() + "), committed at the kill " + committedAtKill);
    }

    @ParameterizedTest
    @EnumSource(GroupProtocol.class)
    void rebalanceChurnLosesNothing(GroupProtocol protocol, KafkaBroker broker) throws Exception {
        int partitions = 6;
        FaultScenario scenario = FaultScenario.create(broker, "fault-churn", partitions, 30_000);
        String in = scenario.in;
        String out = scenario.out;
        String name = unique("fault-churn");
        TopicProcessorConfig config = GroupMemberMain.groupConfig(broker.bootstrapServers(), name, List.of(in),
                BATCH_SIZE, protocol).maxUncommittedBatches(1).build();
        List<RunningTopicProcessor> members = new ArrayList<>();
        int events = 0;
        try {
            members.add(RunningTopicProcessor.start(new TopicProcessor(config, p -> new FaultCopier(out, 5))));
            // join, join, leave, leave: each a rebalance while every member is busy
            for (int step = 1; step <= 4; step++) {
                scenario.awaitOutput(30_000L * step / 5);
                if (step <= 2) {
                    members.add(RunningTopicProcessor.start(new TopicProcessor(config, p -> new FaultCopier(out, 5))));
                } else {
                    members.remove(0).close();
                }
                events++;
            }
            RunningTopicProcessor last = members.get(members.size() - 1);
            Map<TopicPartition, Long> end = new java.util.HashMap<>();
            for (int p = 0; p < partitions; p++) {
                end.put(new TopicPartition(in, p), 30_000L / partitions);
            }
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(250))
                    .until(() -> broker.committedOffsets(config.consumerGroupId()).equals(end));
            assertThat(last.hasEnded()).isFalse();
        } finally {
            closeAll(members);
        }

        scenario.ledger("(f) rebalance churn (2 joins, 2 leaves), " + protocol)
                .printAndCheck(BATCH_SIZE, events, events + " rebalances");
    }

    private static void closeAll(Collection<RunningTopicProcessor> members) {
        for (RunningTopicProcessor member : members) {
            member.close();
        }
    }
}
