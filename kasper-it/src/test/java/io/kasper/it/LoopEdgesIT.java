package io.kasper.it;

import static io.kasper.it.Fixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kasper.BatchFailedException;
import io.kasper.KasperException;
import io.kasper.MessageProcessor;
import io.kasper.PartitionListener;
import io.kasper.ProcessorState;
import io.kasper.TopicProcessor;
import io.kasper.test.KafkaBroker;
import io.kasper.test.KafkaBrokerExtension;
import io.kasper.test.RunningTopicProcessor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the loop does on its edges, on a real broker: JVM Errors from {@code process} or a {@link PartitionListener}
 * go through the same shutdown as a failure and are rethrown unwrapped; an interrupt still commits what completed; a
 * stop starts no further batch.
 */
@ExtendWith(KafkaBrokerExtension.class)
class LoopEdgesIT {

    @Test
    void aStackOverflowErrorInProcessFailsTheGroupMemberAfterCommittingTheEarlierBatchAndLeavingTheGroup(
            KafkaBroker broker) throws Exception {
        String in = unique("edges-soe-in");
        String out = unique("edges-soe-out");
        broker.createTopic(in, 1);
        broker.createTopic(out, 1);
        broker.produce(Fixtures.spread(in, 1, 20, "v"));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        String name = unique("edges-soe");
        AtomicInteger calls = new AtomicInteger();
        TopicProcessor processor = new TopicProcessor(GroupMemberMain.groupConfig(broker.bootstrapServers(), name,
                List.of(in), 10).meterRegistry(registry).build(), p -> (messages, sender) -> {
                    if (calls.incrementAndGet() == 2) {
                        recurse(0); // a recursive parser meeting deeply nested input
                    }
                    copy(out).process(messages, sender);
                });

        Throwable thrown;
        try (RunningTopicProcessor run = RunningTopicProcessor.start(processor)) {
            thrown = run.awaitFailure(Duration.ofSeconds(60));
        }

        assertThat(thrown).isInstanceOf(StackOverflowError.class);
        assertFailedAndReleased(processor, thrown, registry);
        KasperException failure = processor.failure().orElseThrow();
        assertThat(failure).isInstanceOf(BatchFailedException.class)
                .hasMessageStartingWith("TopicProcessor '" + name + "': MessageProcessor threw on batch of partition 0 (")
                .hasMessageEndingWith("); nothing of it was committed: java.lang.StackOverflowError");
        TopicPartition in0 = new TopicPartition(in, 0);
        long failedFrom = ((BatchFailedException) failure).offsets().get(in0).first();
        Map<TopicPartition, Long> committed = broker.committedOffsets(processor.config().consumerGroupId());
        List<String> output = broker.readAll(out).stream().map(Fixtures::value).toList();
        Collection<MemberDescription> members = members(broker, processor.config().consumerGroupId());
        System.out.println("StackOverflowError in the batch from offset " + failedFrom + ": committed " + committed
                + ", output " + output.size() + " messages, group members after runLoop threw: " + members.size());
        assertThat(failedFrom).as("the first batch completed").isPositive();
        assertThat(committed).as("up to the failed batch").isEqualTo(Map.of(in0, failedFrom));
        assertThat(output).isEqualTo(values("v", 0, failedFrom));
        assertThat(members).as("the group seat is released").isEmpty();
    }

    @Test
    void anOutOfMemoryErrorFromProcessFailsAStaticProcessorAfterCommittingTheEarlierBatch(KafkaBroker broker)
            throws Exception {
        String in = unique("edges-oom-in");
        String out = unique("edges-oom-out");
        broker.createTopic(in, 1);
        broker.createTopic(out, 1);
        broker.produce(Fixtures.spread(in, 1, 20, "v"));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AtomicReference<OutOfMemoryError> oom = new AtomicReference<>();
        AtomicInteger calls = new AtomicInteger();
        TopicProcessor processor = new TopicProcessor(Fixtures.config(broker, unique("edges-oom"), List.of(in),
                List.of(0)).batchSize(10).meterRegistry(registry).build(), p -> (messages, sender) -> {
                    if (calls.incrementAndGet() == 2) {
                        oom.set(new OutOfMemoryError("Java heap space (thrown by the test)"));
                        throw oom.get();
                    }
                    copy(out).process(messages, sender);
                });

        Throwable thrown;
        try (RunningTopicProcessor run = RunningTopicProcessor.start(processor)) {
            thrown = run.awaitFailure(Duration.ofSeconds(60));
        }

        assertThat(thrown).isSameAs(oom.get());
        assertFailedAndReleased(processor, thrown, registry);
        KasperException failure = processor.failure().orElseThrow();
        assertThat(failure).isInstanceOf(BatchFailedException.class)
                .hasMessageEndingWith("); nothing of it was committed: java.lang.OutOfMemoryError: Java heap space "
                        + "(thrown by the test)");
        TopicPartition in0 = new TopicPartition(in, 0);
        long failedFrom = ((BatchFailedException) failure).offsets().get(in0).first();
        Map<TopicPartition, Long> committed = broker.committedOffsets(processor.config().consumerGroupId());
        System.out.println("OutOfMemoryError in the batch from offset " + failedFrom + ": committed " + committed);
        assertThat(failedFrom).as("the first batch completed").isPositive();
        assertThat(committed).as("up to the failed batch").isEqualTo(Map.of(in0, failedFrom));
        assertThat(broker.readAll(out).stream().map(Fixtures::value).toList()).isEqualTo(values("v", 0, failedFrom));
    }

    @Test
    void anErrorFromAPartitionListenerFailsTheGroupMemberAndLeavesTheGroup(KafkaBroker broker) throws Exception {
        String in = unique("edges-listener-in");
        broker.createTopic(in, 1);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        PartitionListener recursing = new PartitionListener() {
            @Override
            public void onPartitionsAssigned(Set<Integer> partitionNumbers) {
                recurse(0); // loading per-partition state through a recursive structure
            }

            @Override
            public void onPartitionsRevoked(Set<Integer> partitionNumbers) {
            }
        };
        String name = unique("edges-listener");
        TopicProcessor processor = new TopicProcessor(GroupMemberMain.groupConfig(broker.bootstrapServers(), name,
                List.of(in), 10).partitionListener(recursing).meterRegistry(registry).build(),
                p -> (messages, sender) -> { });

        Throwable thrown;
        try (RunningTopicProcessor run = RunningTopicProcessor.start(processor)) {
            thrown = run.awaitFailure(Duration.ofSeconds(60));
        }

        assertThat(thrown).isInstanceOf(StackOverflowError.class);
        assertFailedAndReleased(processor, thrown, registry);
        assertThat(processor.failure().orElseThrow()).hasMessage("TopicProcessor '" + name
                + "': PartitionListener.onPartitionsAssigned([0]) threw: java.lang.StackOverflowError");
        Collection<MemberDescription> members = members(broker, processor.config().consumerGroupId());
        System.out.println("listener StackOverflowError: group members after runLoop threw: " + members.size());
        assertThat(members).as("the group seat is released").isEmpty();
    }

    @Test
    void anInterruptOfTheLoopThreadStopsItAndStillCommitsTheCompletedBatch(KafkaBroker broker) throws Exception {
        String in = unique("edges-interrupt-in");
        String out = unique("edges-interrupt-out");
        broker.createTopic(in, 1);
        broker.createTopic(out, 1);
        broker.produce(Fixtures.spread(in, 1, 30, "v"));
        // one batch at a time: the second batch runs only after the first is committed, and only the final commit
        // can commit it
        AtomicInteger calls = new AtomicInteger();
        AtomicLong secondBatchEnd = new AtomicLong();
        TopicProcessor processor = new TopicProcessor(Fixtures.config(broker, unique("edges-interrupt"), List.of(in),
                List.of(0)).batchSize(10).maxUncommittedBatches(1).build(), p -> (messages, sender) -> {
                    copy(out).process(messages, sender);
                    if (calls.incrementAndGet() == 2) {
                        secondBatchEnd.set(messages.get(messages.size() - 1).offset() + 1);
                        Thread.currentThread().interrupt(); // e.g. an executor shutting down its threads
                    }
                });
        AtomicBoolean flagAfterRunLoop = new AtomicBoolean();
        CompletableFuture<Throwable> ended = new CompletableFuture<>();
        Thread loop = new Thread(() -> {
            try {
                processor.runLoop();
                ended.complete(null);
            } catch (Throwable t) {
                ended.complete(t);
            } finally {
                flagAfterRunLoop.set(Thread.currentThread().isInterrupted());
            }
        }, "edges-interrupt-loop");
        loop.start();

        assertThat(ended.get(60, TimeUnit.SECONDS)).as("an interrupt stops the loop without a failure").isNull();
        loop.join(10_000);
        Map<TopicPartition, Long> committed = broker.committedOffsets(processor.config().consumerGroupId());
        System.out.println("interrupt in the second batch (ends before offset " + secondBatchEnd.get() + "): process() "
                + "calls " + calls.get() + ", committed " + committed);
        assertThat(calls.get()).as("no batch after the interrupted one").isEqualTo(2);
        assertThat(committed).isEqualTo(Map.of(new TopicPartition(in, 0), secondBatchEnd.get()));
        assertThat(broker.readAll(out).stream().map(Fixtures::value).toList())
                .isEqualTo(values("v", 0, secondBatchEnd.get()));
        assertThat(flagAfterRunLoop.get()).as("interrupt flag after runLoop()").isTrue();
        assertThat(processor.state()).isEqualTo(ProcessorState.CLOSED);
        assertThat(processor.failure()).isEmpty();
    }

    @Test
    void aCloseWhileABatchRunsStartsNoOtherDueBatch(KafkaBroker broker) throws Exception {
        String in = unique("edges-stop-in");
        broker.createTopic(in, 4);
        broker.produce(Fixtures.spread(in, 4, 20, "v"));
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger firstPartition = new AtomicInteger(-1);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        MessageProcessor blocking = (messages, sender) -> {
            if (calls.incrementAndGet() == 1) {
                firstPartition.set(messages.get(0).partition());
                started.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        TopicProcessor processor = new TopicProcessor(Fixtures.config(broker, unique("edges-stop"), List.of(in),
                List.of(0, 1, 2, 3)).batchSize(5).build(), p -> blocking);

        try (RunningTopicProcessor run = RunningTopicProcessor.start(processor)) {
            assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Void> closing = CompletableFuture.runAsync(processor::close);
            await().atMost(Duration.ofSeconds(10)).until(() -> processor.state() == ProcessorState.CLOSING);
            release.countDown();
            closing.get(60, TimeUnit.SECONDS);
            run.awaitNormalEnd(Duration.ofSeconds(10));
        }

        Map<TopicPartition, Long> committed = broker.committedOffsets(processor.config().consumerGroupId());
        System.out.println("close while a batch runs: process() calls " + calls.get() + ", committed " + committed);
        assertThat(calls.get()).isEqualTo(1);
        assertThat(committed).isEqualTo(Map.of(new TopicPartition(in, firstPartition.get()), 5L));
        assertThat(processor.state()).isEqualTo(ProcessorState.CLOSED);
    }

    private static void assertFailedAndReleased(TopicProcessor processor, Throwable thrown,
            SimpleMeterRegistry registry) {
        assertThat(processor.state()).isEqualTo(ProcessorState.FAILED);
        assertThat(processor.isReady()).isFalse();
        assertThat(processor.failure()).hasValueSatisfying(f -> assertThat(f).hasCause(thrown));
        assertThat(registry.getMeters()).as("meters removed").isEmpty();
    }

    private static Collection<MemberDescription> members(KafkaBroker broker, String groupId) throws Exception {
        Properties props = broker.clientProperties();
        try (Admin admin = Admin.create(props)) {
            return admin.describeConsumerGroups(List.of(groupId)).all().get(30, TimeUnit.SECONDS).get(groupId)
                    .members();
        }
    }

    private static MessageProcessor copy(String out) {
        return (messages, sender) -> messages.forEach(
                m -> sender.send(new ProducerRecord<>(out, 0, m.key(), m.value())));
    }

    private static List<String> values(String prefix, long from, long to) {
        List<String> values = new ArrayList<>();
        for (long i = from; i < to; i++) {
            values.add(prefix + i);
        }
        return values;
    }

    private static int recurse(int depth) {
        return recurse(depth + 1) + 1;
    }
}
