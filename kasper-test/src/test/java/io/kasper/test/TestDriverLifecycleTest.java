package io.kasper.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kasper.BatchFailedException;
import io.kasper.KasperException;
import io.kasper.MessageProcessor;
import io.kasper.PartitionListener;
import io.kasper.TopicProcessorConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The driver tells the PartitionListener and honours maxUncommittedBatches as the TopicProcessor loop does. */
class TestDriverLifecycleTest {

    private static final TopicPartition IN0 = new TopicPartition("in", 0);
    private static final TopicPartition IN1 = new TopicPartition("in", 1);

    private final List<String> events = new ArrayList<>();

    /** Records every call; {@code failOn} names a method that throws. */
    private PartitionListener recorder(String failOn) {
        return new PartitionListener() {
            @Override
            public void onPartitionsAssigned(Set<Integer> partitionNumbers) {
                events.add("assigned " + partitionNumbers);
                if (failOn.equals("assigned")) {
                    throw new IllegalStateException("state store down");
                }
            }

            @Override
            public void onPartitionsRevoked(Set<Integer> partitionNumbers) {
                events.add("revoked " + partitionNumbers);
                if (failOn.equals("revoked")) {
                    throw new IllegalStateException("flush failed");
                }
            }
        };
    }

    private TopicProcessorConfig.Builder config(int batchSize) {
        return TopicProcessorConfig.builder().topicProcessorName("life").bootstrapServers("unused:9092")
                .inputTopics("in").inputPartitions(0, 1).batchSize(batchSize)
                .batchWaitDuration(Duration.ofSeconds(1));
    }

    /** Records "p<partition> <first>-<last>" per batch. */
    private MessageProcessor batchRecorder() {
        return (messages, sender) -> events.add(describe(messages));
    }

    private static String describe(List<ConsumerRecord<byte[], byte[]>> batch) {
        return "p" + batch.get(0).partition() + " " + batch.get(0).offset() + "-" + batch.get(batch.size() - 1).offset();
    }

    private static void pipe(TopicProcessorTestDriver driver, int partition, int count) {
        for (int i = 0; i < count; i++) {
            driver.pipeInput("in", partition, null, "v");
        }
    }

    @Test
    void listenerLoadsStateBeforeTheFirstBatchAndIsRevokedOnceAfterTheFinalCommit() {
        Map<Integer, Integer> state = new HashMap<>();
        PartitionListener loader = new PartitionListener() {
            @Override
            public void onPartitionsAssigned(Set<Integer> partitionNumbers) {
                partitionNumbers.forEach(p -> state.put(p, 0));
                events.add("assigned " + partitionNumbers);
            }

            @Override
            public void onPartitionsRevoked(Set<Integer> partitionNumbers) {
                events.add("revoked " + partitionNumbers + " state " + state);
            }
        };
        MessageProcessor counting = (messages, sender) -> {
            int partition = messages.get(0).partition();
            // throws a NullPointerException if the listener has not loaded the partition's state
            state.put(partition, state.get(partition) + messages.size());
            events.add(describe(messages));
        };
        TopicProcessorTestDriver driver = new TopicProcessorTestDriver(
                config(2).partitionListener(loader).build(), p -> counting);
        assertThat(events).containsExactly("assigned [0, 1]");

        pipe(driver, 0, 3);
        pipe(driver, 1, 2);
        driver.holdCommits();
        driver.advanceTime(Duration.ofSeconds(1));
        assertThat(driver.committedOffsets()).isEqualTo(Map.of(IN0, 2L, IN1, 2L));
        driver.close();
        driver.close();

        assertThat(events).containsExactly("assigned [0, 1]", "p0 0-1", "p1 0-1", "p0 2-2",
                "revoked [0, 1] state {0=3, 1=2}");
        assertThat(driver.committedOffsets()).as("close commits the held batch, as TopicProcessor.close() does")
                .isEqualTo(Map.of(IN0, 3L, IN1, 2L));
        assertThatThrownBy(() -> driver.pipeInput("in", 0, null, "late"))
                .isInstanceOf(IllegalStateException.class).hasMessage("the driver is closed");
    }

    @Test
    void listenerThatThrowsOnAssignmentFailsTheConstructorWithAKasperExceptionNamingTheMethod() {
        TopicProcessorConfig config = config(2).partitionListener(recorder("assigned")).build();

        assertThatThrownBy(() -> new TopicProcessorTestDriver(config, p -> batchRecorder()))
                .isInstanceOf(KasperException.class)
                .hasMessage("TopicProcessor 'life': PartitionListener.onPartitionsAssigned([0, 1]) threw: "
                        + "java.lang.IllegalStateException: state store down")
                .hasCauseInstanceOf(IllegalStateException.class);
        assertThat(events).as("the loop's shutdown tells the listener too").containsExactly("assigned [0, 1]",
                "revoked [0, 1]");
    }

    @Test
    void listenerThatThrowsOnRevocationFailsCloseAfterTheFinalCommit() {
        TopicProcessorTestDriver driver = new TopicProcessorTestDriver(
                config(2).partitionListener(recorder("revoked")).build(), p -> batchRecorder());
        driver.holdCommits();
        pipe(driver, 1, 2);

        assertThatThrownBy(driver::close)
                .isInstanceOf(KasperException.class)
                .hasMessage("TopicProcessor 'life': PartitionListener.onPartitionsRevoked([0, 1]) threw: "
                        + "java.lang.IllegalStateException: flush failed")
                .hasCauseInstanceOf(IllegalStateException.class);
        assertThat(driver.committedOffsets()).isEqualTo(Map.of(IN1, 2L));
        assertThat(events).containsExactly("assigned [0, 1]", "p1 0-1", "revoked [0, 1]");
    }

    @Test
    void failedBatchCommitsTheBatchesBeforeItAndRevokesThePartitionsOnce() {
        MessageProcessor failsThird = (messages, sender) -> {
            events.add(describe(messages));
            if (messages.get(0).offset() == 4) {
                throw new IllegalArgumentException("bad batch");
            }
        };
        TopicProcessorTestDriver driver = new TopicProcessorTestDriver(
                config(2).partitionListener(recorder("")).build(), p -> failsThird);
        driver.holdCommits();
        pipe(driver, 0, 4);
        pipe(driver, 1, 2);
        assertThat(driver.committedOffsets()).isEmpty();
        driver.pipeInput("in", 0, null, "v");

        assertThatThrownBy(() -> driver.pipeInput("in", 0, null, "v"))
                .isInstanceOf(BatchFailedException.class)
                .hasMessageContaining("MessageProcessor threw on ")
                .hasCauseInstanceOf(IllegalArgumentException.class);
        assertThat(driver.committedOffsets()).isEqualTo(Map.of(IN0, 4L, IN1, 2L));
        driver.close();
        assertThat(events).containsExactly("assigned [0, 1]", "p0 0-1", "p0 2-3", "p1 0-1", "p0 4-5",
                "revoked [0, 1]");
    }

    @Test
    void withHeldCommitsEachPartitionProcessesAtMostMaxUncommittedBatchesAheadOfItsCommit() {
        TopicProcessorTestDriver driver = new TopicProcessorTestDriver(config(2).maxUncommittedBatches(2).build(),
                p -> batchRecorder());
        driver.holdCommits();

        pipe(driver, 0, 9); // 4 full batches and one message
        pipe(driver, 1, 2);
        driver.advanceTime(Duration.ofSeconds(5));
        System.out.println("held: processed " + events + ", uncommitted p0 " + driver.uncommittedBatches(0)
                + " p1 " + driver.uncommittedBatches(1));
        assertThat(events).containsExactly("p0 0-1", "p0 2-3", "p1 0-1");
        assertThat(driver.uncommittedBatches(0)).isEqualTo(2);
        assertThat(driver.uncommittedBatches(1)).isEqualTo(1);
        assertThat(driver.committedOffsets()).isEmpty();

        driver.commit();
        System.out.println("after 1st commit: processed " + events + ", committed " + driver.committedOffsets());
        assertThat(driver.committedOffsets()).isEqualTo(Map.of(IN0, 4L, IN1, 2L));
        assertThat(events).containsExactly("p0 0-1", "p0 2-3", "p1 0-1", "p0 4-5", "p0 6-7");
        assertThat(driver.uncommittedBatches(0)).isEqualTo(2);
        assertThat(driver.uncommittedBatches(1)).isZero();

        driver.commit();
        assertThat(events).as("the partial batch waited past its deadline: it closes once there is room")
                .endsWith("p0 8-8");
        driver.commit();
        assertThat(driver.committedOffsets()).isEqualTo(Map.of(IN0, 9L, IN1, 2L));
        assertThat(driver.uncommittedBatches(0)).isZero();
        assertThatThrownBy(() -> driver.uncommittedBatches(7))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("partition 7 is not one of inputPartitions [0, 1]");
        driver.close();
    }

    @Test
    void byDefaultEachBatchIsCommittedAtOnceSoMaxUncommittedBatchesNeverHoldsAPartitionBack() {
        try (TopicProcessorTestDriver driver = new TopicProcessorTestDriver(config(2).maxUncommittedBatches(1).build(),
                p -> batchRecorder())) {
            pipe(driver, 0, 6);

            assertThat(events).containsExactly("p0 0-1", "p0 2-3", "p0 4-5");
            assertThat(driver.uncommittedBatches(0)).isZero();
            assertThat(driver.committedOffsets()).isEqualTo(Map.of(IN0, 6L));
        }
    }
}
