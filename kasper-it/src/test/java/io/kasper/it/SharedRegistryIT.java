package io.kasper.it;

import static io.kasper.it.Fixtures.config;
import static io.kasper.it.Fixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kasper.KasperMetrics;
import io.kasper.MessageProcessor;
import io.kasper.TopicProcessor;
import io.kasper.store.memory.InMemoryStore;
import io.kasper.test.KafkaBroker;
import io.kasper.test.KafkaBrokerExtension;
import io.kasper.test.RunningTopicProcessor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Three static topic processors of one name in one JVM, each owning two of six partitions and each with its own
 * store of one name, record into one {@code MeterRegistry}: every instance counts exactly its own partitions under its
 * own {@code kasper.instance}, and closing one removes its meters only while the others keep reporting.
 */
@ExtendWith(KafkaBrokerExtension.class)
class SharedRegistryIT {

    private static final int PARTITIONS = 6;
    private static final int INSTANCES = 3;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void instancesOfOneNameKeepTheirOwnMetersAndCloseOnlyTheirOwn(KafkaBroker broker) throws Exception {
        String in = unique("shared-in");
        String out = unique("shared-out");
        broker.createTopic(in, PARTITIONS);
        broker.createTopic(out, PARTITIONS);
        Map<Integer, Integer> produced = new TreeMap<>();
        broker.produce(records(in, produced, 100, ""));
        String name = unique("shared");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();

        List<InMemoryStore> stores = new ArrayList<>();
        List<RunningTopicProcessor> runs = new ArrayList<>();
        try {
            for (int i = 0; i < INSTANCES; i++) {
                InMemoryStore store = new InMemoryStore("seen", registry, name);
                stores.add(store);
                TopicProcessor processor = new TopicProcessor(config(broker, name, List.of(in),
                        List.of(2 * i, 2 * i + 1)).batchSize(100).meterRegistry(registry).build(),
                        p -> copyAndRemember(out, store));
                runs.add(RunningTopicProcessor.start(processor));
            }
            for (RunningTopicProcessor run : runs) {
                run.awaitConsumedAll(TIMEOUT);
            }
            List<String> ids = runs.stream().map(run -> run.processor().instanceId()).toList();
            System.out.printf("SharedRegistryIT: produced per partition %s, instances %s, stores %s%n", produced, ids,
                    stores.stream().map(InMemoryStore::instanceId).toList());

            assertThat(ids).doesNotHaveDuplicates().allSatisfy(id -> assertThat(id).startsWith("kasper-" + name + "-"));
            for (int i = 0; i < INSTANCES; i++) {
                String id = ids.get(i);
                Map<String, Double> incoming = byPartition(registry, KasperMetrics.MESSAGES_INCOMING, id);
                Map<String, Double> outgoing = byPartition(registry, KasperMetrics.MESSAGES_OUTGOING, id);
                double storedKeys = registry.get(KasperMetrics.STORE_KEYS)
                        .tags(KasperMetrics.TAG_INSTANCE, stores.get(i).instanceId(), KasperMetrics.TAG_OPERATION,
                                "putAll").summary().totalAmount();
                System.out.printf("SharedRegistryIT: %s incoming %s, outgoing %s, ready %.0f; store %s putAll keys "
                        + "%.0f%n", id, incoming, outgoing, ready(registry, id), stores.get(i).instanceId(), storedKeys);
                Map<String, Double> expected = Map.of(
                        Integer.toString(2 * i), (double) produced.get(2 * i),
                        Integer.toString(2 * i + 1), (double) produced.get(2 * i + 1));
                assertThat(incoming).isEqualTo(expected);
                assertThat(outgoing).isEqualTo(expected);
                assertThat(storedKeys).isEqualTo(produced.get(2 * i) + produced.get(2 * i + 1));
                assertThat(ready(registry, id)).isEqualTo(1.0);
            }
            assertThat(registry.find(KasperMetrics.PROCESSOR_READY).tag(KasperMetrics.TAG_PROCESSOR, name).gauges())
                    .hasSize(INSTANCES);

            runs.get(0).close();
            stores.get(0).close();

            List<String> left = kasperMeterInstances(registry);
            System.out.printf("SharedRegistryIT: after closing %s and its store, instances with meters: %s%n",
                    ids.get(0), left);
            assertThat(left).containsExactlyInAnyOrder(ids.get(1), ids.get(2), stores.get(1).instanceId(),
                    stores.get(2).instanceId());
            assertThat(ready(registry, ids.get(1))).isEqualTo(1.0);
            assertThat(ready(registry, ids.get(2))).isEqualTo(1.0);

            // The survivors keep counting into their registered meters: more input for every partition of instance 1.
            Map<Integer, Integer> more = new TreeMap<>();
            broker.produce(records(in, more, 50, "more-").stream()
                    .filter(r -> r.partition() == 2 || r.partition() == 3).toList());
            double expectedTwo = produced.get(2) + more.get(2);
            await().atMost(TIMEOUT).until(() ->
                    byPartition(registry, KasperMetrics.MESSAGES_INCOMING, ids.get(1)).get("2") == expectedTwo
                    && behind(registry, ids.get(1)) == 0);
            System.out.printf("SharedRegistryIT: %s after more input: incoming %s, behind %.0f%n", ids.get(1),
                    byPartition(registry, KasperMetrics.MESSAGES_INCOMING, ids.get(1)), behind(registry, ids.get(1)));
            assertThat(byPartition(registry, KasperMetrics.MESSAGES_INCOMING, ids.get(1))).isEqualTo(Map.of(
                    "2", expectedTwo, "3", (double) produced.get(3) + more.get(3)));
            assertThat(byPartition(registry, KasperMetrics.MESSAGES_INCOMING, ids.get(2))).isEqualTo(Map.of(
                    "4", (double) produced.get(4), "5", (double) produced.get(5)));
        } finally {
            for (RunningTopicProcessor run : runs) {
                run.close();
            }
            stores.forEach(InMemoryStore::close);
        }

        System.out.printf("SharedRegistryIT: after closing all, %d kasper meters left%n",
                kasperMeterInstances(registry).size());
        assertThat(registry.getMeters()).extracting(Meter::getId)
                .noneMatch(id -> id.getName().startsWith("kasper."));
    }

    /** Copies every message to the same partition of {@code out} and puts its key into the instance's store. */
    private static MessageProcessor copyAndRemember(String out, InMemoryStore store) {
        return (messages, sender) -> {
            Map<String, byte[]> keys = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> m : messages) {
                sender.send(new ProducerRecord<>(out, m.partition(), m.key(), m.value()));
                keys.put(new String(m.key(), java.nio.charset.StandardCharsets.UTF_8), new byte[0]);
            }
            store.putAll(keys);
        };
    }

    /** {@code base * (p + 1)} records for partition p, distinct keys, counts put into {@code counts}. */
    private static List<ProducerRecord<byte[], byte[]>> records(String topic, Map<Integer, Integer> counts, int base,
            String prefix) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            int n = base * (p + 1);
            counts.put(p, n);
            for (int i = 0; i < n; i++) {
                records.add(Fixtures.record(topic, p, prefix + "k" + p + "-" + i, "v" + i));
            }
        }
        return records;
    }

    private static Map<String, Double> byPartition(SimpleMeterRegistry registry, String meter, String instance) {
        Map<String, Double> counts = new TreeMap<>();
        for (Counter counter : registry.find(meter).tag(KasperMetrics.TAG_INSTANCE, instance).counters()) {
            counts.merge(counter.getId().getTag(KasperMetrics.TAG_PARTITION), counter.count(), Double::sum);
        }
        return counts;
    }

    private static double ready(SimpleMeterRegistry registry, String instance) {
        return registry.get(KasperMetrics.PROCESSOR_READY).tag(KasperMetrics.TAG_INSTANCE, instance).gauge().value();
    }

    private static double behind(SimpleMeterRegistry registry, String instance) {
        return registry.find(KasperMetrics.MESSAGES_BEHIND).tag(KasperMetrics.TAG_INSTANCE, instance).gauges()
                .stream().mapToDouble(g -> g.value()).sum();
    }

    private static List<String> kasperMeterInstances(SimpleMeterRegistry registry) {
        return registry.getMeters().stream().map(Meter::getId).filter(id -> id.getName().startsWith("kasper."))
                .map(id -> id.getTag(KasperMetrics.TAG_INSTANCE)).distinct().toList();
    }
}
