package io.kasper.it;

import static io.kasper.it.Fixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kasper.KasperException;
import io.kasper.PartitionListener;
import io.kasper.ProcessorState;
import io.kasper.RecordingListener;
import io.kasper.TopicProcessor;
import io.kasper.TopicProcessorConfig;
import io.kasper.test.KafkaBroker;
import io.kasper.test.KafkaBrokerExtension;
import io.kasper.test.RunningTopicProcessor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A PartitionListener that throws when its partitions are revoked at close fails the processor, on a real broker. */
@ExtendWith(KafkaBrokerExtension.class)
class PartitionListenerFailureIT {

    private final List<String> calls = new CopyOnWriteArrayList<>();

    private final PartitionListener flushFails = RecordingListener.throwingOnRevoke(calls, "flush failed");

    private Throwable closeAndAwaitFailure(TopicProcessorConfig config) throws Exception {
        TopicProcessor processor = new TopicProcessor(config, p -> (messages, sender) -> { });
        try (RunningTopicProcessor run = RunningTopicProcessor.start(processor)) {
            await().atMost(Duration.ofSeconds(60)).until(processor::isReady);
            processor.close();
            Throwable failure = run.awaitFailure(Duration.ofSeconds(30));
            assertThat(processor.state()).isEqualTo(ProcessorState.FAILED);
            return failure;
        }
    }

    @Test
    void staticPartitionsRevokedAtCloseByAThrowingListenerMakeRunLoopThrow(KafkaBroker broker) throws Exception {
        String in = unique("listener-static");
        broker.createTopic(in, 2);
        String name = unique("listener-static");

        Throwable failure = closeAndAwaitFailure(Fixtures.config(broker, name, List.of(in), List.of(0, 1))
                .partitionListener(flushFails).build());

        assertThat(failure).isInstanceOf(KasperException.class)
                .hasMessage("TopicProcessor '" + name + "': PartitionListener.onPartitionsRevoked([0, 1]) threw: "
                        + "java.lang.IllegalStateException: flush failed")
                .hasCauseInstanceOf(IllegalStateException.class);
        assertThat(calls).containsExactly("assigned [0, 1]", "revoked [0, 1]");
    }

    @Test
    void groupPartitionsRevokedAtCloseByAThrowingListenerMakeRunLoopThrow(KafkaBroker broker) throws Exception {
        String in = unique("listener-group");
        broker.createTopic(in, 2);
        String name = unique("listener-group");

        Throwable failure = closeAndAwaitFailure(GroupMemberMain.groupConfig(broker.bootstrapServers(), name,
                List.of(in), 10).partitionListener(flushFails).build());

        assertThat(failure).isInstanceOf(KasperException.class)
                .hasMessage("TopicProcessor '" + name + "': PartitionListener.onPartitionsRevoked([0, 1]) threw: "
                        + "java.lang.IllegalStateException: flush failed")
                .hasCauseInstanceOf(IllegalStateException.class);
        assertThat(calls).containsExactly("assigned [0, 1]", "revoked [0, 1]");
    }
}
