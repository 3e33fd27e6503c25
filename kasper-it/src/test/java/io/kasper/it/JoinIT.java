package io.kasper.it;

import static io.kasper.it.Fixtures.config;
import static io.kasper.it.Fixtures.range;
import static io.kasper.it.Fixtures.unique;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kasper.MessageProcessor;
import io.kasper.Sender;
import io.kasper.TopicProcessor;
import io.kasper.test.KafkaBroker;
import io.kasper.test.KafkaBrokerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import io.kasper.test.RunningTopicProcessor;

/** Orders joined with customers, both keyed by customer id: the join Kasper's per-partition batches are made for. */
@ExtendWith(KafkaBrokerExtension.class)
class JoinIT {

    private static final int PARTITIONS = 8;
    private static final int CUSTOMERS = 200;
    private static final int ORDERS = 3_000;

    /** Keeps the customers of its partition and emits each order once its customer is known. */
    private static final class OrderEnricher implements MessageProcessor {
        private final String customersTopic;
        private final String output;
        private final Map<String, String> customerNames = new HashMap<>();
        private final Map<String, List<String>> waitingOrders = new HashMap<>();

        OrderEnricher(String customersTopic, String output) {
            this.customersTopic = customersTopic;
            this.output = output;
        }

        @Override
        public void process(List<ConsumerRecord<byte[], byte[]>> messages, Sender sender) {
            for (ConsumerRecord<byte[], byte[]> m : messages) {
                String customerId = new String(m.key(), UTF_8);
                String value = new String(m.value(), UTF_8);
                if (m.topic().equals(customersTopic)) {
                    customerNames.put(customerId, value);
                    for (String order : waitingOrders.getOrDefault(customerId, List.of())) {
                        emit(sender, m.partition(), customerId, order, value);
                    }
                    waitingOrders.remove(customerId);
                } else if (customerNames.containsKey(customerId)) {
                    emit(sender, m.partition(), customerId, value, customerNames.get(customerId));
                } else {
                    waitingOrders.computeIfAbsent(customerId, k -> new ArrayList<>()).add(value);
                }
            }
        }

        private void emit(Sender sender, int partition, String customerId, String order, String name) {
            sender.send(new ProducerRecord<>(output, partition, customerId.getBytes(UTF_8),
                    (order + "|" + name).getBytes(UTF_8)));
        }
    }

    private static int partitionOf(String customerId) {
        return Math.floorMod(customerId.hashCode(), PARTITIONS);
    }

    @Test
    void joinsCoPartitionedOrdersAndCustomersCompletelyAndCorrectly(KafkaBroker broker) throws Exception {
        String orders = unique("orders");
        String customers = unique("customers");
        String enriched = unique("enriched");
        broker.createTopic(orders, PARTITIONS);
        broker.createTopic(customers, PARTITIONS);
        broker.createTopic(enriched, PARTITIONS);
        List<ProducerRecord<byte[], byte[]>> orderRecords = new ArrayList<>();
        Map<String, String> expected = new HashMap<>();
        for (int i = 0; i < ORDERS; i++) {
            String customerId = "c" + (i % CUSTOMERS);
            orderRecords.add(Fixtures.record(orders, partitionOf(customerId), customerId, "o" + i));
            expected.put("o" + i, "name-of-" + customerId);
        }
        List<ProducerRecord<byte[], byte[]>> customerRecords = new ArrayList<>();
        for (int c = 0; c < CUSTOMERS; c++) {
            String customerId = "c" + c;
            customerRecords.add(Fixtures.record(customers, partitionOf(customerId), customerId, "name-of-" + customerId));
        }
        // half the orders before the customers, half after: both sides of the join must wait for the other
        broker.produce(orderRecords.subList(0, ORDERS / 2));
        broker.produce(customerRecords);
        broker.produce(orderRecords.subList(ORDERS / 2, ORDERS));

        TopicProcessor processor = new TopicProcessor(
                config(broker, unique("join"), List.of(orders, customers), range(PARTITIONS)).batchSize(250).build(),
                p -> new OrderEnricher(customers, enriched));
        try (RunningTopicProcessor run = RunningTopicProcessor.start(processor)) {
            await().atMost(Duration.ofSeconds(60)).until(processor::hasConsumedAllMessages);
        }

        Map<String, String> actual = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : broker.readAll(enriched)) {
            String[] parts = new String(r.value(), UTF_8).split("\\|");
            assertThat(actual.put(parts[0], parts[1])).as("order %s emitted once", parts[0]).isNull();
            assertThat(r.partition()).isEqualTo(partitionOf(new String(r.key(), UTF_8)));
        }
        assertThat(actual).isEqualTo(expected);
    }
}
