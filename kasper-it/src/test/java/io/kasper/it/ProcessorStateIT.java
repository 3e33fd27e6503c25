package io.kasper.it;

import static io.kasper.it.Fixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kasper.BatchFailedException;
import io.kasper.KasperMetrics;
import io.kasper.PartitionListener;
import io.kasper.ProcessorState;
import io.kasper.TopicProcessor;
import io.kasper.TopicProcessorConfig;
import io.kasper.test.KafkaBroker;
import io.kasper.test.KafkaBrokerExtension;
import io.kasper.test.RunningTopicProcessor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The lifecycle states and readiness a health probe sees, on a real broker. */
@ExtendWith(KafkaBrokerExtension.class)
class ProcessorStateIT {

    @Test
    void goesFromCreatedThroughRunningToClosedAndIsReadyOnlyWhileRunning(KafkaBroker broker) throws Exception {
        String in = unique("state-in");
        broker.createTopic(in, 2);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        TopicProcessor processor = new TopicProcessor(Fixtures.config(broker, unique("state"), List.of(in),
                List.of(0, 1)).meterRegistry(registry).build(), p -> new FaultCopier("unused", 0));

        assertThat(processor.state()).isEqualTo(ProcessorState.CREATED);
        assertThat(processor.isReady()).isFalse();
        try (RunningTopicProcessor run = RunningTopicProcessor.start(processor)) {
            await().atMost(Duration.ofSeconds(30)).until(processor::isReady);
            assertThat(processor.state()).isEqualTo(ProcessorState.RUNNING);
            assertThat(registry.get(KasperMetrics.PROCESSOR_READY).gauge().value()).isEqualTo(1.0);
        }
        assertThat(processor.state()).isEqualTo(ProcessorState.CLOSED);
        assertThat(processor.isReady()).isFalse();
        assertThat(processor.failure()).isEmpty();
        assertThat(registry.find(KasperMetrics.PROCESSOR_READY).gauge()).as("removed on close").isNull();
    }

    @Test
    void aFailedProcessorIsFailedWithItsFailure(KafkaBroker broker) throws Exception {
        String in = unique("state-fail-in");
        broker.createTopic(in, 1);
        broker.produce(List.of(Fixtures.record(in, 0, "k", "v")));
        TopicProcessor processor = new TopicProcessor(Fixtures.config(broker, unique("state-fail"), List.of(in),
                List.of(0)).build(), p -> (messages, sender) -> {
                    throw new IllegalStateException("boom");
                });

        Throwable failure;
        try (RunningTopicProcessor run = RunningTopicProcessor.start(processor)) {
            failure = run.awaitFailure(Duration.ofSeconds(30));
        }

        assertThat(processor.state()).isEqualTo(ProcessorState.FAILED);
        assertThat(processor.state().isTerminal()).isTrue();
        assertThat(failure).isInstanceOf(BatchFailedException.class);
        assertThat(processor.failure()).hasValueSatisfying(f -> assertThat(f).isSameAs(failure));
        assertThat(processor.isReady()).isFalse();
    }

    @Test
    void aGroupMemberIsRebalancingWhileItsPartitionsAreRevokedAndRunningOnceAssigned(KafkaBroker broker)
            throws Exception {
        String in = unique("state-group-in");
        broker.createTopic(in, 4);
        AtomicReference<TopicProcessor> first = new AtomicReference<>();
        List<ProcessorState> seenOnRevoke = new CopyOnWriteArrayList<>();
        List<ProcessorState> seenOnAssign = new CopyOnWriteArrayList<>();
        // the rebalances caused by closing the members at the end are not what this test observes
        AtomicBoolean observing = new AtomicBoolean(true);
        PartitionListener probe = new PartitionListener() {
            @Override
            public void onPartitionsAssigned(Set<Integer> partitionNumbers) {
                if (observing.get()) {
                    seenOnAssign.add(first.get().state());
                }
            }

            @Override
            public void onPartitionsRevoked(Set<Integer> partitionNumbers) {
                if (observing.get()) {
                    seenOnRevoke.add(first.get().state());
                }
            }
        };
        String name = unique("state-group");
        TopicProcessorConfig.Builder config = GroupMemberMain.groupConfig(broker.bootstrapServers(), name,
                List.of(in), 100);
        first.set(new TopicProcessor(config.partitionListener(probe).build(), p -> new FaultCopier("unused", 0)));
        try (RunningTopicProcessor a = RunningTopicProcessor.start(first.get())) {
            await().atMost(Duration.ofSeconds(30)).until(first.get()::isReady);
            TopicProcessor second = new TopicProcessor(config.partitionListener(null).build(),
                    p -> new FaultCopier("unused", 0));
            try (RunningTopicProcessor b = RunningTopicProcessor.start(second)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> !seenOnRevoke.isEmpty()
                        && seenOnAssign.size() >= 2 && second.isReady() && first.get().isReady());
                observing.set(false);
            }
        }

        assertThat(seenOnRevoke.get(0)).isEqualTo(ProcessorState.REBALANCING);
        // the listener runs before the loop marks the new assignment as running
        assertThat(seenOnAssign).containsOnly(ProcessorState.STARTING, ProcessorState.REBALANCING);
    }
}
