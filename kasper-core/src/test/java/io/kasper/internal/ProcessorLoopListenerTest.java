package io.kasper.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kasper.KasperException;
import io.kasper.MessageProcessor;
import io.kasper.PartitionListener;
import io.kasper.ProcessorState;
import io.kasper.RecordingListener;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The loop's calls of the PartitionListener in static mode, on mock clients. */
class ProcessorLoopListenerTest {

    private static final TopicPartition IN0 = new TopicPartition("in", 0);

    @Test
    void listenerThatThrowsWhenRevokedAtStopFailsTheLoopWithAKasperExceptionNamingTheMethod() throws Exception {
        List<String> calls = new CopyOnWriteArrayList<>();
        PartitionListener flushFails = RecordingListener.throwingOnRevoke(calls, "flush failed");
        MockClients clients = new MockClients();
        clients.consumer.updateBeginningOffsets(Map.of(IN0, 0L));
        clients.consumer.updateEndOffsets(Map.of(IN0, 0L));
        MessageProcessor none = (messages, sender) -> { };
        ProcessorLoop loop = clients.loop(MockClients.config("flush", "in").partitionListener(flushFails).build(),
                Map.of(0, none));

        CompletableFuture<Throwable> running = MockClients.start(loop);
        await().atMost(Duration.ofSeconds(10)).until(() -> loop.status().state() == ProcessorState.RUNNING);
        Throwable failure = MockClients.stop(loop, running);

        assertThat(failure).isInstanceOf(KasperException.class)
                .hasMessage("TopicProcessor 'flush': PartitionListener.onPartitionsRevoked([0]) threw: "
                        + "java.lang.IllegalStateException: flush failed")
                .hasCauseInstanceOf(IllegalStateException.class);
        assertThat(loop.status().state()).isEqualTo(ProcessorState.FAILED);
        assertThat(calls).containsExactly("assigned [0]", "revoked [0]");
        assertThat(clients.consumer.closed()).isTrue();
    }
}
