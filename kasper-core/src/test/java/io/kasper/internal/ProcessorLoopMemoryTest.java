package io.kasper.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kasper.KasperMetrics;
import io.kasper.MessageProcessor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The byte budget in the loop, on {@code MockConsumer} / {@code MockProducer}; {@code MemoryBudgetIT} proves it on a broker. */
class ProcessorLoopMemoryTest {

    private static final TopicPartition IN0 = new TopicPartition("in", 0);
    private static final TopicPartition IN1 = new TopicPartition("in", 1);

    @Test
    void pausesEveryPartitionAtTheBudgetAndStillProcessesEverything() throws Exception {
        MockClients clients = new MockClients();
        clients.consumer.updateBeginningOffsets(Map.of(IN0, 0L, IN1, 0L));
        clients.consumer.updateEndOffsets(Map.of(IN0, 30L, IN1, 30L));
        List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
        List<Set<TopicPartition>> pausedDuringProcess = Collections.synchronizedList(new ArrayList<>());
        MessageProcessor copy = (messages, sender) -> {
            batchSizes.add(messages.size());
            pausedDuringProcess.add(clients.consumer.paused());
            messages.forEach(m -> sender.send(new ProducerRecord<>("out", m.partition(), m.key(), m.value())));
        };
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        // 60 values of 50 bytes (3,000 bytes) against a budget of 1,000 bytes and batches of at most 200 bytes
        ProcessorLoop loop = clients.loop(MockClients.config("budget", "in").inputPartitions(0, 1).batchSize(1000)
                .batchWaitDuration(Duration.ofMillis(50)).maxBufferedBytes(1000).batchMaxBytes(200)
                .meterRegistry(registry).build(), Map.of(0, copy, 1, copy));

        CompletableFuture<Throwable> running = MockClients.start(loop);
        clients.consumer.schedulePollTask(() -> {
            for (int i = 0; i < 30; i++) {
                clients.consumer.addRecord(new ConsumerRecord<>("in", 0, i, null, new byte[50]));
                clients.consumer.addRecord(new ConsumerRecord<>("in", 1, i, null, new byte[50]));
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessorLoopTest.offset(clients, IN0) == 30L
                && ProcessorLoopTest.offset(clients, IN1) == 30L);
        double pauses = registry.get(KasperMetrics.MEMORY_PAUSES).functionCounter().count();
        Set<TopicPartition> pausedAtEnd = pausedNow(clients);
        double bufferedAtEnd = registry.get(KasperMetrics.MEMORY_BUFFERED).gauge().value();

        assertThat(MockClients.stop(loop, running)).isNull();
        System.out.printf("batch sizes %s, budget pauses %.0f, output %d%n", batchSizes, pauses,
                clients.producer.history().size());
        assertThat(clients.producer.history()).hasSize(60);
        Map<Integer, Integer> perPartition = new HashMap<>();
        clients.producer.history().forEach(r -> perPartition.merge(r.partition(), 1, Integer::sum));
        assertThat(perPartition).containsEntry(0, 30).containsEntry(1, 30);
        assertThat(pauses).isGreaterThanOrEqualTo(1);
        assertThat(pausedDuringProcess).as("batches processed while both partitions were paused")
                .anyMatch(paused -> paused.equals(Set.of(IN0, IN1)));
        assertThat(batchSizes).as("each batch within 200 bytes: at most 4 values of 50 bytes").allMatch(n -> n <= 4);
        assertThat(pausedAtEnd).as("resumed once below the budget").isEmpty();
        assertThat(bufferedAtEnd).isZero();
    }

    private static Set<TopicPartition> pausedNow(MockClients clients) {
        synchronized (clients.consumer) {
            return clients.consumer.paused();
        }
    }
}
