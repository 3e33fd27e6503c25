package io.kasper.it;

import static io.kasper.it.Fixtures.unique;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kasper.GroupProtocol;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import io.kasper.test.RunningTopicProcessor;

/**
 * Orders enriched with customer names, keyed by customer id, in group-managed mode: one instance and three instances
 * under churn (one joins late, one leaves) compute the same result, under either group protocol. State lives in a store shared by the instances,
 * as it would in Redis; co-partitioning keeps each customer id on one instance at a time.
 */
@ExtendWith(KafkaBrokerExtension.class)
class GroupJoinIT {

    private static final int PARTITIONS = 8;
    private static final int CUSTOMERS = 500;
    private static final int ORDERS = 40_000;

    /** The centralized store: customer names and orders waiting for their customer. */
    private static final class Store {
        final Map<String, String> names = new ConcurrentHashMap<>();
        final Map<String, List<String>> waiting = new ConcurrentHashMap<>();
    }

    private static MessageProcessor enricher(Store store, String customers, String output) {
        return (List<ConsumerRecord<byte[], byte[]>> messages, Sender sender) -> {
            for (ConsumerRecord<byte[], byte[]> m : messages) {
                String customerId = new String(m.key(), UTF_8);
                String value = new String(m.value(), UTF_8);
                if (m.topic().equals(customers)) {
                    store.names.put(customerId, value);
                    List<String> orders = store.waiting.remove(customerId);
                    if (orders != null) {
                        orders.forEach(o -> emit(sender, output, m.partition(), customerId, o, value));
                    }
                } else {
                    String name = store.names.get(customerId);
                    if (name != null) {
                        emit(sender, output, m.partition(), customerId, value, name);
                    } else {
                        store.waiting.computeIfAbsent(customerId, k -> new ArrayList<>()).add(value);
                    }
                }
            }
        };
    }

    private static void emit(Sender sender, String output, int partition, String customerId, String order,
            String name) {
        sender.send(new ProducerRecord<>(output, partition, customerId.getBytes(UTF_8),
                (order + "|" + name).getBytes(UTF_8)));
    }

    private static int partitionOf(String customerId) {
        return Math.floorMod(customerId.hashCode(), PARTITIONS);
    }

    @ParameterizedTest
    @EnumSource(GroupProtocol.class)
    void oneInstanceAndThreeInstancesUnderChurnJoinToTheSameResult(GroupProtocol protocol, KafkaBroker broker)
            throws Exception {
        String orders = unique("g-orders");
        String customers = unique("g-customers");
        broker.createTopic(orders, PARTITIONS);
        broker.createTopic(customers, PARTITIONS);
        List<ProducerRecord<byte[], byte[]>> orderRecords = new ArrayList<>();
        for (int i = 0; i < ORDERS; i++) {
            String customerId = "c" + (i % CUSTOMERS);
            orderRecords.add(Fixtures.record(orders, partitionOf(customerId), customerId, "o" + i));
        }
        List<ProducerRecord<byte[], byte[]>> customerRecords = new ArrayList<>();
        for (int c = 0; c < CUSTOMERS; c++) {
            String customerId = "c" + c;
            customerRecords.add(Fixtures.record(customers, partitionOf(customerId), customerId, "name-of-" + c));
        }
        Map<TopicPartition, Long> firstHalfEnd = new HashMap<>();
        Map<TopicPartition, Long> end = new HashMap<>();
        for (ProducerRecord<byte[], byte[]> r : orderRecords.subList(0, ORDERS / 2)) {
            firstHalfEnd.merge(new TopicPartition(r.topic(), r.partition()), 1L, Long::sum);
        }
        for (ProducerRecord<byte[], byte[]> r : customerRecords) {
            firstHalfEnd.merge(new TopicPartition(r.topic(), r.partition()), 1L, Long::sum);
        }
        for (ProducerRecord<byte[], byte[]> r : orderRecords) {
            end.merge(new TopicPartition(r.topic(), r.partition()), 1L, Long::sum);
        }
        customerRecords.forEach(r -> end.merge(new TopicPartition(r.topic(), r.partition()), 1L, Long::sum));
        // half of the orders come before their customers, so the join must carry state across batches
        broker.produce(orderRecords.subList(0, ORDERS / 4));
        broker.produce(customerRecords);
        broker.produce(orderRecords.subList(ORDERS / 4, ORDERS / 2));

        String single = unique("g-single");
        broker.createTopic(single, PARTITIONS);
        String singleName = unique("g-join1");
        Store singleStore = new Store();
        TopicProcessor alone = new TopicProcessor(config(broker, singleName, orders, customers, protocol),
                p -> enricher(singleStore, customers, single));
        String churned = unique("g-churn");
        broker.createTopic(churned, PARTITIONS);
        String churnName = unique("g-join3");
        Store sharedStore = new Store();
        List<TopicProcessor> three = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            three.add(new TopicProcessor(config(broker, churnName, orders, customers, protocol),
                    p -> enricher(sharedStore, customers, churned)));
        }

        try (RunningTopicProcessor aloneRun = RunningTopicProcessor.start(alone);
                RunningTopicProcessor r1 = RunningTopicProcessor.start(three.get(0));
                RunningTopicProcessor r2 = RunningTopicProcessor.start(three.get(1))) {
            RunningTopicProcessor late = RunningTopicProcessor.start(three.get(2)); // joins while the first half is processed
            try (late) {
                awaitCommitted(broker, "kasper-topic-processor-" + churnName, firstHalfEnd);
                broker.produce(orderRecords.subList(ORDERS / 2, ORDERS));
                CompletableFuture<Void> leaving = CompletableFuture.runAsync(three.get(0)::close);
                awaitCommitted(broker, "kasper-topic-processor-" + churnName, end);
                awaitCommitted(broker, "kasper-topic-processor-" + singleName, end);
                leaving.get(60, TimeUnit.SECONDS);
                r1.awaitNormalEnd(Duration.ofSeconds(30));
            }
        }

        Map<String, String> expected = new HashMap<>();
        for (int i = 0; i < ORDERS; i++) {
            expected.put("o" + i, "name-of-" + (i % CUSTOMERS));
        }
        Map<String, String> aloneResult = result(broker.readAll(single));
        assertThat(aloneResult).isEqualTo(expected);
        assertThat(result(broker.readAll(churned))).as("three instances under churn").isEqualTo(aloneResult);
    }

    /** Order id to customer name; a redelivered order must carry the same name again. */
    private static Map<String, String> result(List<ConsumerRecord<byte[], byte[]>> output) {
        Map<String, String> result = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : output) {
            String[] parts = new String(r.value(), UTF_8).split("\\|");
            String previous = result.put(parts[0], parts[1]);
            assertThat(previous).as("order %s enriched consistently", parts[0]).isIn(null, parts[1]);
            assertThat(r.partition()).isEqualTo(partitionOf(new String(r.key(), UTF_8)));
        }
        return result;
    }

    private static io.kasper.TopicProcessorConfig config(KafkaBroker broker, String name, String orders,
            String customers, GroupProtocol protocol) {
        return GroupMemberMain.groupConfig(broker.bootstrapServers(), name, List.of(orders, customers), 500, protocol)
                .build();
    }

    private static void awaitCommitted(KafkaBroker broker, String group, Map<TopicPartition, Long> expected) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertThat(broker.committedOffsets(group)).isEqualTo(expected));
    }
}
