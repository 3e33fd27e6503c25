package io.kasper.it;

import static io.kasper.it.Fixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kasper.BatchFailedException;
import io.kasper.ErrorPolicy;
import io.kasper.GroupProtocol;
import io.kasper.MessageProcessor;
import io.kasper.PoisonMessageException;
import io.kasper.PoisonPolicy;
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
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Fault injection on a real broker, counting inputs against outputs for each fault and each
 * {@link ProcessingGuarantee}: an exception in {@code process}, output the broker refuses, the processor's JVM
 * SIGKILLed, rebalance churn under both group protocols, poison records set aside to a dead-letter topic. Each scenario
 * reads the output (and the dead-letter topic) as a {@code read_committed} consumer, prints a {@code FAULT} line (see
 * {@link FaultLedger}) and checks that no input is lost; under {@code AT_LEAST_ONCE} duplicates stay within one batch
 * per partition per fault (the scenarios run with {@code maxUncommittedBatches(1)}, the setting under which a fault can
 * make Kasper deliver at most one batch of a partition again), under {@code EXACTLY_ONCE} there are none. Broker and
 * Redis outages are in {@link BrokerOutageFaultIT} and {@link RedisOutageFaultIT}; the exactly-once cases without an
 * at-least-once counterpart (a retry after a flush, a fenced zombie) in {@link ExactlyOnceIT}.
 */
@ExtendWith(KafkaBrokerExtension.class)
class FaultInjectionIT {

    static final int BATCH_SIZE = 100;
    private static final int PARTITIONS = 4;
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    /** {@link #config(String, String, String, int, ProcessingGuarantee)} at least once. */
    static TopicProcessorConfig.Builder config(String bootstrap, String name, String in, int partitions) {
        return config(bootstrap, name, in, partitions, ProcessingGuarantee.AT_LEAST_ONCE);
    }

    /** The configuration of every static fault scenario: partitions 0..n-1, {@link #underGuarantee} settings. */
    static TopicProcessorConfig.Builder config(String bootstrap, String name, String in, int partitions,
            ProcessingGuarantee guarantee) {
        return underGuarantee(TopicProcessorConfig.builder().topicProcessorName(name).bootstrapServers(bootstrap)
                .inputTopics(in).inputPartitions(Fixtures.range(partitions)).batchSize(BATCH_SIZE)
                .batchWaitDuration(Duration.ofMillis(100)).closeTimeout(Duration.ofSeconds(20)), guarantee);
    }

    /**
     * Sets the guarantee: at-least-once with at most one uncommitted batch per partition (what bounds its duplicates
     * to one batch per fault); exactly-once with up to four batches per partition in one transaction.
     */
    static TopicProcessorConfig.Builder underGuarantee(TopicProcessorConfig.Builder builder,
            ProcessingGuarantee guarantee) {
        return builder.processingGuarantee(guarantee)
                .maxUncommittedBatches(guarantee == ProcessingGuarantee.EXACTLY_ONCE ? 4 : 1);
    }

    /** How many batches of duplicates per partition {@code faults} faults may cause under the guarantee. */
    static int duplicateBatches(ProcessingGuarantee guarantee, int faults) {
        return guarantee == ProcessingGuarantee.EXACTLY_ONCE ? 0 : faults;
    }

    /** Runs a fault-free processor of the same name until it has consumed everything, as an operator's restart. */
    static void restartAndFinish(TopicProcessorConfig config, MessageProcessor processor) throws Exception {
        try (RunningTopicProcessor run = RunningTopicProcessor.start(new TopicProcessor(config, p -> processor))) {
            run.awaitConsumedAll(TIMEOUT);
        }
    }

    @ParameterizedTest
    @EnumSource(ProcessingGuarantee.class)
    void exceptionInProcessFailsTheBatchAndARestartDeliversEverything(ProcessingGuarantee guarantee,
            KafkaBroker broker) throws Exception {
        FaultScenario scenario = FaultScenario.create(broker, "fault-throw", PARTITIONS, 8_000);
        String out = scenario.out;
        TopicProcessorConfig config = config(broker.bootstrapServers(), unique("fault-throw"), scenario.in,
                PARTITIONS, guarantee).build();
        AtomicInteger callsOfPartition2 = new AtomicInteger();
        MessageProcessor copier = new FaultCopier(out, 0);
        MessageProcessor failsOnce = (messages, sender) -> {
            if (messages.get(0).partition() == 2 && callsOfPartition2.incrementAndGet() == 5) {
                // half of the batch flushed, then a bug: at-least-once delivers that half again after the restart,
                // exactly-once aborts it with the transaction
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
                .hasRootCauseInstanceOf(IllegalStateException.class)
                .hasRootCauseMessage("injected failure in process()");
        assertThat(((BatchFailedException) failure).partition()).isEqualTo(2);
        Map<TopicPartition, Long> committedAtFailure = broker.committedOffsets(config.consumerGroupId());
        restartAndFinish(config, copier);

        FaultLedger ledger = scenario.ledger("(a) exception in process, " + guarantee);
        ledger.printAndCheck(BATCH_SIZE, duplicateBatches(guarantee, 1), "committed at failure "
                + committedAtFailure);
        assertThat(ledger.duplicatesPerPartition()).as("only the failed batch's flushed half is delivered twice")
                .isEqualTo(guarantee == ProcessingGuarantee.EXACTLY_ONCE ? Map.of() : Map.of(2, BATCH_SIZE / 2));
    }

    @ParameterizedTest
    @EnumSource(ProcessingGuarantee.class)
    void outputTheBrokerRefusesFailsTheProcessorWithoutCommittingItAndARestartDeliversEverything(
            ProcessingGuarantee guarantee, KafkaBroker broker) throws Exception {
        FaultScenario scenario = FaultScenario.create(broker, "fault-refuse", PARTITIONS, 20_000);
        TopicProcessorConfig config = config(broker.bootstrapServers(), unique("fault-refuse"), scenario.in,
                PARTITIONS, guarantee).build();
        ConfigResource outTopic = new ConfigResource(ConfigResource.Type.TOPIC, scenario.out);

        Throwable failure;
        long failedAfterMillis;
        long outputBeforeFault;
        try (Admin admin = Admin.create(broker.clientProperties());
                RunningTopicProcessor run = RunningTopicProcessor.start(
                        new TopicProcessor(config, p -> new FaultCopier(scenario.out, 10)))) {
            outputBeforeFault = scenario.awaitOutput(5_000);
            // From now on the output topic accepts no record batch of this scenario (one record makes a batch of
            // 90 bytes or more): every produce fails with MESSAGE_TOO_LARGE. It still accepts the 78-byte
            // transaction markers: without them no transaction on the topic could end, and every later produce
            // would be answered CONCURRENT_TRANSACTIONS until delivery.timeout.ms instead of being refused.
            admin.incrementalAlterConfigs(Map.of(outTopic, List.of(new AlterConfigOp(
                    new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "85"), AlterConfigOp.OpType.SET)))).all()
                    .get(10, TimeUnit.SECONDS);
            long faultNanos = System.nanoTime();
            failure = run.awaitFailure(TIMEOUT);
            failedAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - faultNanos);
            admin.incrementalAlterConfigs(Map.of(outTopic, List.of(new AlterConfigOp(
                    new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, ""), AlterConfigOp.OpType.DELETE))))
                    .all().get(10, TimeUnit.SECONDS);
        }
        // Under exactly-once the refusal may reach the processor through a later send instead of an
        // acknowledgement: the producer's transaction is then in an error state whose cause is the refusal.
        assertThat(failure).isInstanceOf(BatchFailedException.class)
                .hasMessageContaining(guarantee == ProcessingGuarantee.EXACTLY_ONCE ? "could not be produced"
                        : "output could not be produced")
                .hasRootCauseInstanceOf(RecordTooLargeException.class);
        Map<TopicPartition, Long> committedAtFailure = broker.committedOffsets(config.consumerGroupId());
        restartAndFinish(config, new FaultCopier(scenario.out, 0));

        scenario.ledger("(b) produce refused by the broker, " + guarantee)
                .printAndCheck(BATCH_SIZE, duplicateBatches(guarantee, 1), "failed " + failedAfterMillis
                        + " ms after the fault, " + outputBeforeFault + " records in the output log before it, "
                        + "committed at failure " + committedAtFailure);
    }

    @ParameterizedTest
    @EnumSource(ProcessingGuarantee.class)
    void processorJvmKilledMidBatchLosesNothingAndRedeliversAtMostOneBatchPerPartition(ProcessingGuarantee guarantee,
            KafkaBroker broker, @TempDir Path dir) throws Exception {
        FaultScenario scenario = FaultScenario.create(broker, "fault-kill", PARTITIONS, 20_000);
        String name = unique("fault-kill");
        TopicProcessorConfig config = config(broker.bootstrapServers(), name, scenario.in, PARTITIONS, guarantee)
                .build();

        Path log = dir.resolve("processor.log");
        Process jvm = FaultProcessorMain.fork(broker, name, scenario, guarantee, 10, log);
        await().atMost(TIMEOUT).until(() -> !jvm.isAlive() || scenario.outputCount() >= 6_000);
        assertThat(jvm.isAlive()).as("processor JVM alive before the kill; its log:%n%s",
                jvm.isAlive() ? "" : Files.readString(log)).isTrue();
        // SIGKILL: no close(), no final commit; under exactly-once the open transaction stays open until the
        // restart fences it
        jvm.destroyForcibly();
        assertThat(jvm.waitFor(30, TimeUnit.SECONDS)).isTrue();
        long outputAtKill = scenario.outputCount();
        Map<TopicPartition, Long> committedAtKill = broker.committedOffsets(config.consumerGroupId());
        restartAndFinish(config, new FaultCopier(scenario.out, 0));

        scenario.ledger("(c) processor JVM SIGKILLed, " + guarantee)
                .printAndCheck(BATCH_SIZE, duplicateBatches(guarantee, 1), outputAtKill + " records in the output "
                        + "log at the kill (exit " + jvm.exitValue() + "), committed at the kill " + committedAtKill);
    }

    @ParameterizedTest
    @CsvSource({"CLASSIC, AT_LEAST_ONCE", "CONSUMER, AT_LEAST_ONCE", "CLASSIC, EXACTLY_ONCE",
            "CONSUMER, EXACTLY_ONCE"})
    void rebalanceChurnLosesNothing(GroupProtocol protocol, ProcessingGuarantee guarantee, KafkaBroker broker)
            throws Exception {
        int partitions = 6;
        int count = 30_000;
        FaultScenario scenario = FaultScenario.create(broker, "fault-churn", partitions, count);
        String out = scenario.out;
        TopicProcessorConfig config = underGuarantee(GroupMemberMain.groupConfig(broker.bootstrapServers(),
                unique("fault-churn"), List.of(scenario.in), BATCH_SIZE, protocol), guarantee).build();
        List<RunningTopicProcessor> members = new ArrayList<>();
        int events = 0;
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
                events++;
            }
            RunningTopicProcessor last = members.get(members.size() - 1);
            Map<TopicPartition, Long> end = scenario.inputEnd();
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(250))
                    .until(() -> broker.committedOffsets(config.consumerGroupId()).equals(end));
            assertThat(last.hasEnded()).isFalse();
        } finally {
            closeAll(members);
        }

        scenario.ledger("(f) rebalance churn, " + protocol + ", " + guarantee)
                .printAndCheck(BATCH_SIZE, duplicateBatches(guarantee, events), events
                        + " rebalances (2 joins, 2 leaves)");
    }

    @ParameterizedTest
    @EnumSource(ProcessingGuarantee.class)
    void poisonRecordsGoToTheDeadLetterTopicOnceAndTheRestToTheOutput(ProcessingGuarantee guarantee,
            KafkaBroker broker) throws Exception {
        FaultScenario scenario = FaultScenario.create(broker, "fault-poison", PARTITIONS, 8_000);
        String out = scenario.out;
        String dlt = unique("fault-poison-dlt");
        broker.createTopic(dlt, 1);
        TopicProcessorConfig config = config(broker.bootstrapServers(), unique("fault-poison"), scenario.in,
                PARTITIONS, guarantee).errorPolicy(ErrorPolicy.builder().poisonPolicy(PoisonPolicy.DEAD_LETTER)
                .deadLetterTopic(dlt).build()).build();
        AtomicBoolean flushed = new AtomicBoolean();
        AtomicInteger poisonCalls = new AtomicInteger();
        MessageProcessor rejectsPoison = (messages, sender) -> {
            List<ConsumerRecord<byte[], byte[]>> poison = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> m : messages) {
                if (isPoison(m)) {
                    poison.add(m);
                } else {
                    sender.send(new ProducerRecord<>(out, m.partition(), m.key(), m.value()));
                }
            }
            if (!poison.isEmpty()) {
                poisonCalls.incrementAndGet();
                if (messages.get(0).partition() == 1 && flushed.compareAndSet(false, true)) {
                    // the good records of this call made durable before the poison is set aside: at-least-once
                    // produces them again in the call without the poison, exactly-once aborts and rewinds
                    sender.flush();
                }
                throw new PoisonMessageException(poison, "injected poison", null);
            }
        };

        try (RunningTopicProcessor run = RunningTopicProcessor.start(
                new TopicProcessor(config, p -> rejectsPoison))) {
            run.awaitConsumedAll(TIMEOUT);
        }

        List<ConsumerRecord<byte[], byte[]>> good = new ArrayList<>();
        List<ConsumerRecord<byte[], byte[]>> poison = new ArrayList<>();
        scenario.inputs.forEach(m -> (isPoison(m) ? poison : good).add(m));
        assertThat(flushed).as("the flush before a poison was injected").isTrue();
        FaultLedger.of("(g) poison to the DLT, " + guarantee, good).outputs(broker.readCommitted(out))
                .printAndCheck(BATCH_SIZE, duplicateBatches(guarantee, 1), poisonCalls.get() + " calls with poison, "
                        + "one of them after a flush");
        FaultLedger.of("(g) poison to the DLT, DLT, " + guarantee, poison).outputs(broker.readCommitted(dlt))
                .printAndCheck(BATCH_SIZE, 0, poison.size() + " poison records");
    }

    /** One input in 50 of each partition is poison. */
    private static boolean isPoison(ConsumerRecord<byte[], byte[]> record) {
        return record.offset() % 50 == 7;
    }

    private static void closeAll(Collection<RunningTopicProcessor> members) {
        for (RunningTopicProcessor member : members) {
            member.close();
        }
    }
}
