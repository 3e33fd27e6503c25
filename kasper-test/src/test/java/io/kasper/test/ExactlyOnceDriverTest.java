package io.kasper.test;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kasper.BatchFailedException;
import io.kasper.ErrorPolicy;
import io.kasper.MessageProcessor;
import io.kasper.PoisonMessageException;
import io.kasper.PoisonPolicy;
import io.kasper.ProcessingGuarantee;
import io.kasper.TopicProcessorConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/** The driver under exactly-once: output readable and offsets moved only by a transaction commit, aborts undone. */
class ExactlyOnceDriverTest {

    private static final Duration INTERVAL = Duration.ofMillis(100);

    private static TopicProcessorConfig.Builder config(ErrorPolicy policy) {
        return TopicProcessorConfig.builder().topicProcessorName("eos").bootstrapServers("unused:9092")
                .inputTopics("in").inputPartitions(0, 1).batchSize(2).batchWaitDuration(Duration.ofSeconds(1))
                .processingGuarantee(ProcessingGuarantee.EXACTLY_ONCE).transactionCommitInterval(INTERVAL)
                .errorPolicy(policy);
    }

    private static List<String> values(List<ProducerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> new String(r.value(), UTF_8)).toList();
    }

    private static void copy(List<ConsumerRecord<byte[], byte[]>> messages, io.kasper.Sender sender) {
        for (ConsumerRecord<byte[], byte[]> m : messages) {
            sender.send(new ProducerRecord<>("out", m.key(), m.value()));
        }
    }

    private static final MessageProcessor COPIER = ExactlyOnceDriverTest::copy;

    /** Pipes a full batch of partition 0, then one of partition 1 whose processing must fail. */
    private static AbstractThrowableAssert<?, ? extends Throwable> assertThatTheBatchOfPartition1Fails(
            TopicProcessorTestDriver driver) {
        driver.pipeInput("in", 0, "k", "a");
        driver.pipeInput("in", 0, "k", "b");
        driver.pipeInput("in", 1, "k", "c");
        return assertThatThrownBy(() -> driver.pipeInput("in", 1, "k", "d")).isInstanceOf(BatchFailedException.class)
                .hasMessageContaining("on batch of partition 1");
    }

    @Test
    void outputBecomesReadableAndOffsetsMoveOnlyWhenTheCommitIntervalHasPassed() {
        try (TopicProcessorTestDriver driver = new TopicProcessorTestDriver(config(ErrorPolicy.defaults()).build(),
                p -> COPIER)) {
            driver.pipeInput("in", 0, "k", "a");
            driver.pipeInput("in", 0, "k", "b"); // a full batch: processed now, into the open transaction
            driver.pipeInput("in", 1, "k", "c");
            driver.pipeInput("in", 1, "k", "d");

            assertThat(driver.processedBatches()).hasSize(2);
            assertThat(driver.readOutput("out")).as("output of the open transaction").isEmpty();
            assertThat(driver.committedOffsets()).isEmpty();

            driver.advanceTime(INTERVAL);

            assertThat(values(driver.readOutput("out"))).containsExactly("a", "b", "c", "d");
            assertThat(driver.committedOffsets()).isEqualTo(Map.of(new TopicPartition("in", 0), 2L,
                    new TopicPartition("in", 1), 2L));
        }
    }

    @Test
    void aPartitionWithMaxUncommittedBatchesCommitsTheTransactionWithoutWaitingForTheInterval() {
        try (TopicProcessorTestDriver driver = new TopicProcessorTestDriver(
                config(ErrorPolicy.defaults()).maxUncommittedBatches(2).build(), p -> COPIER)) {
            for (String v : List.of("a", "b", "c")) {
                driver.pipeInput("in", 0, "k", v);
            }
            assertThat(driver.readOutput("out")).isEmpty();

            driver.pipeInput("in", 0, "k", "d"); // the second batch of partition 0: no room for a third

            assertThat(values(driver.readOutput("out"))).containsExactly("a", "b", "c", "d");
            assertThat(driver.committedOffsets()).isEqualTo(Map.of(new TopicPartition("in", 0), 4L));
        }
    }

    @Test
    void heldCommitsCommitTheTransactionOnlyOnCommit() {
        try (TopicProcessorTestDriver driver = new TopicProcessorTestDriver(config(ErrorPolicy.defaults()).build(),
                p -> COPIER)) {
            driver.holdCommits();
            driver.pipeInput("in", 0, "k", "a");
            driver.pipeInput("in", 0, "k", "b");
            driver.advanceTime(INTERVAL.multipliedBy(10));
            assertThat(driver.readOutput("out")).isEmpty();
            assertThat(driver.uncommittedBatches(0)).isEqualTo(1);

            driver.commit();

            assertThat(values(driver.readOutput("out"))).containsExactly("a", "b");
            assertThat(driver.committedOffsets()).isEqualTo(Map.of(new TopicPartition("in", 0), 2L));
        }
    }

    @Test
    void aTransientFailureAfterAFlushAbortsTheTransactionAndEveryOutputIsReadableOnce() {
        AtomicInteger calls = new AtomicInteger();
        MessageProcessor failsOnceAfterFlush = (messages, sender) -> {
            copy(messages, sender);
            if (messages.get(0).partition() == 1 && calls.incrementAndGet() == 1) {
                sender.flush();
                throw new TimeoutException("injected transient failure after a flush");
            }
        };
        try (TopicProcessorTestDriver driver = new TopicProcessorTestDriver(config(ErrorPolicy.builder()
                .maxRetries(2).retryBackoff(Duration.ofMillis(10), Duration.ofMillis(10)).build()).build(),
                p -> failsOnceAfterFlush)) {
            driver.pipeInput("in", 0, "k", "a");
            driver.pipeInput("in", 0, "k", "b");
            driver.pipeInput("in", 1, "k", "c");
            driver.pipeInput("in", 1, "k", "d"); // fails after its flush: the whole transaction is aborted

            driver.advanceTime(INTERVAL);

            // partition 0's batch was in the aborted transaction too: both are processed again
            assertThat(driver.processedBatches()).hasSize(4);
            assertThat(values(driver.readOutput("out"))).containsExactlyInAnyOrder("a", "b", "c", "d");
            assertThat(driver.committedOffsets()).isEqualTo(Map.of(new TopicPartition("in", 0), 2L,
                    new TopicPartition("in", 1), 2L));
        }
    }

    @Test
    void retriesUsedUpByAbortsFailTheBatchAndNothingOfTheTransactionIsReadableNorCommitted() {
        MessageProcessor alwaysFailsAfterFlush = (messages, sender) -> {
            copy(messages, sender);
            if (messages.get(0).partition() == 1) {
                sender.flush();
                throw new TimeoutException("injected transient failure after a flush");
            }
        };
        TopicProcessorTestDriver driver = new TopicProcessorTestDriver(config(ErrorPolicy.builder().maxRetries(2)
                .retryBackoff(Duration.ofMillis(10), Duration.ofMillis(10)).build()).build(),
                p -> alwaysFailsAfterFlush);
        try (driver) {
            assertThatTheBatchOfPartition1Fails(driver)
                    .hasMessageContaining("MessageProcessor threw after 2 retries (each aborted the open transaction)")
                    .hasRootCauseInstanceOf(TimeoutException.class);
        }
        assertThat(driver.readOutput("out")).isEmpty();
        assertThat(driver.committedOffsets()).isEmpty();
    }

    @Test
    void aFailedBatchAbortsTheTransactionWithTheBatchesBeforeIt() {
        MessageProcessor failsOnPartition1 = (messages, sender) -> {
            copy(messages, sender);
            if (messages.get(0).partition() == 1) {
                throw new IllegalStateException("bug in process");
            }
        };
        TopicProcessorTestDriver driver = new TopicProcessorTestDriver(config(ErrorPolicy.defaults()).build(),
                p -> failsOnPartition1);
        try (driver) {
            assertThatTheBatchOfPartition1Fails(driver).hasRootCauseMessage("bug in process");
        }
        assertThat(driver.readOutput("out")).as("partition 0's batch was in the aborted transaction").isEmpty();
        assertThat(driver.committedOffsets()).isEmpty();
    }

    @Test
    void deadLettersAndSkippedPoisonAreCommittedOnceEvenWhenThePoisonFollowsAFlush() {
        AtomicInteger calls = new AtomicInteger();
        MessageProcessor flushesThenRejectsBad = (messages, sender) -> {
            List<ConsumerRecord<byte[], byte[]>> bad = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> m : messages) {
                if (new String(m.value(), UTF_8).startsWith("bad")) {
                    bad.add(m);
                } else {
                    sender.send(new ProducerRecord<>("out", m.key(), m.value()));
                }
            }
            if (calls.incrementAndGet() == 1) {
                sender.flush(); // the good output is in the transaction before the poison is found
            }
            if (!bad.isEmpty()) {
                throw new PoisonMessageException(bad, "value starts with 'bad'", null);
            }
        };
        for (PoisonPolicy policy : List.of(PoisonPolicy.DEAD_LETTER, PoisonPolicy.SKIP)) {
            calls.set(0);
            ErrorPolicy.Builder errors = ErrorPolicy.builder().poisonPolicy(policy);
            if (policy == PoisonPolicy.DEAD_LETTER) {
                errors.deadLetterTopic("dlt");
            }
            try (TopicProcessorTestDriver driver = new TopicProcessorTestDriver(config(errors.build()).build(),
                    p -> flushesThenRejectsBad)) {
                for (String v : List.of("a", "bad1", "b", "c")) {
                    driver.pipeInput("in", 0, "k", v);
                }
                driver.advanceTime(INTERVAL);

                assertThat(values(driver.readOutput("out"))).as(policy.name()).containsExactly("a", "b", "c");
                assertThat(values(driver.readOutput("dlt"))).as(policy.name())
                        .isEqualTo(policy == PoisonPolicy.DEAD_LETTER ? List.of("bad1") : List.of());
                assertThat(driver.committedOffsets()).isEqualTo(Map.of(new TopicPartition("in", 0), 4L));
            }
        }
    }

    @Test
    void closeCommitsTheOpenTransaction() {
        TopicProcessorTestDriver driver = new TopicProcessorTestDriver(config(ErrorPolicy.defaults()).build(),
                p -> COPIER);
        driver.pipeInput("in", 0, "k", "a");
        driver.pipeInput("in", 0, "k", "b");
        assertThat(driver.readOutput("out")).isEmpty();

        driver.close();

        assertThat(values(driver.readOutput("out"))).containsExactly("a", "b");
        assertThat(driver.committedOffsets()).isEqualTo(Map.of(new TopicPartition("in", 0), 2L));
    }
}
