package io.kasper.it;

import static io.kasper.it.Fixtures.config;
import static io.kasper.it.Fixtures.range;
import static io.kasper.it.Fixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kasper.TopicProcessor;
import io.kasper.TopicProcessorConfig;
import io.kasper.test.KafkaBroker;
import io.kasper.test.KafkaBrokerExtension;
import io.kasper.test.TopicProcessorTestDriver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import io.kasper.test.RunningTopicProcessor;

/** The test driver forms the same batches as a TopicProcessor on a real broker, for the same input. */
@ExtendWith(KafkaBrokerExtension.class)
class TestDriverEquivalenceIT {

    private static List<String> describe(List<ConsumerRecord<byte[], byte[]>> batch) {
        List<String> ids = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : batch) {
            ids.add(r.topic() + "/" + r.partition() + "@" + r.offset() + "=" + Fixtures.value(r));
        }
        return ids;
    }

    private static List<List<String>> byPartitionThenOrder(List<List<ConsumerRecord<byte[], byte[]>>> batches) {
        // partitions are processed independently, so only the order within a partition is defined
        List<List<ConsumerRecord<byte[], byte[]>>> sorted = new ArrayList<>(batches);
        sorted.sort(Comparator.comparingInt(b -> b.get(0).partition()));
        List<List<String>> result = new ArrayList<>();
        sorted.forEach(b -> result.add(describe(b)));
        return result;
    }

    @Test
    void driverBatchesEqualTopicProcessorBatchesForTheSameInput(KafkaBroker broker) throws Exception {
        String topic = unique("equiv");
        broker.createTopic(topic, 4);
        List<ProducerRecord<byte[], byte[]>> input = Fixtures.spread(topic, 4, 1_250, "v");
        broker.produce(input);
        TopicProcessorConfig config = config(broker, unique("equiv"), List.of(topic), range(4)).batchSize(100)
                .batchWaitDuration(Duration.ofMillis(500)).build();

        List<List<ConsumerRecord<byte[], byte[]>>> real = Collections.synchronizedList(new ArrayList<>());
        TopicProcessor processor = new TopicProcessor(config, p -> (messages, sender) -> real.add(List.copyOf(messages)));
        try (RunningTopicProcessor run = RunningTopicProcessor.start(processor)) {
            await().atMost(Duration.ofSeconds(60)).until(processor::hasConsumedAllMessages);
        }

        List<List<ConsumerRecord<byte[], byte[]>>> driven;
        try (TopicProcessorTestDriver driver = new TopicProcessorTestDriver(config, p -> (messages, sender) -> { })) {
            for (ProducerRecord<byte[], byte[]> r : input) {
                driver.pipeInput(r.topic(), r.partition(), r.key(), r.value());
            }
            driver.advanceTime(config.batchWaitDuration());
            driven = driver.processedBatches();
        }

        assertThat(driven).hasSize(4 * 4); // per partition: 3 full batches of 100 and a tail of 12 or 13
        assertThat(byPartitionThenOrder(driven)).isEqualTo(byPartitionThenOrder(real));
    }
}
