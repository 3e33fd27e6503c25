package io.kasper.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kasper.MessageProcessor;
import io.kasper.ProcessorState;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The loop's logic on {@code MockConsumer} / {@code MockProducer}; the broker ITs prove it again for real. */
class ProcessorLoopTest {

    private static final TopicPartition IN0 = new TopicPartition("in", 0);

    @Test
    void producesEachBatchsOutputThenCommitsAfterItsLastRecord() throws Exception {
        MockClients clients = new MockClients();
        clients.consumer.updateBeginningOffsets(Map.of(IN0, 0L));
        clients.consumer.updateEndOffsets(Map.of(IN0, 3L));
        MessageProcessor copy = (messages, sender) -> messages.forEach(
                m -> sender.send(new ProducerRecord<>("out", m.key(), m.value())));
        ProcessorLoop loop = clients.loop(MockClients.config("copy", "in").build(), Map.of(0, copy));

        CompletableFuture<Throwable> running = MockClients.start(loop);
        await().atMost(Duration.ofSeconds(10)).until(() -> loop.status().state() == ProcessorState.RUNNING);
        clients.consumer.schedulePollTask(() -> {
            for (int i = 0; i < 3; i++) {
                clients.consumer.addRecord(MockClients.record("in", 0, i, "v" + i));
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> offset(clients, IN0) == 3L);

        assertThat(MockClients.stop(loop, running)).isNull();
        assertThat(clients.producer.history()).extracting(r -> new String(r.value())).containsExactly("v0", "v1", "v2");
        assertThat(loop.status().state()).isEqualTo(ProcessorState.CLOSED);
        assertThat(clients.consumer.closed()).isTrue();
    }

    static long offset(MockClients clients, TopicPartition tp) {
        synchronized (clients.consumer) {
            OffsetAndMetadata committed = clients.consumer.committed(Set.of(tp)).get(tp);
            return committed == null ? -1 : committed.offset();
        }
    }
}
