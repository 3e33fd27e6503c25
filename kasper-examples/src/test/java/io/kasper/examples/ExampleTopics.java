package io.kasper.examples;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.kasper.test.KafkaBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Names and read-back helpers shared by the example tests. */
final class ExampleTopics {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private ExampleTopics() {
    }

    /** Returns a name no other test of this run uses: the broker is shared by the whole run. */
    static String unique(String prefix) {
        return prefix + "-" + SEQUENCE.incrementAndGet() + "-" + Long.toString(System.nanoTime() % 1_000_000, 36);
    }

    static ExampleSettings settings(KafkaBroker broker, String name, int partitions) {
        return new ExampleSettings(broker.bootstrapServers(), name, partitions, new SimpleMeterRegistry());
    }

    /** Returns key to value of every record of the topic; a later record of a key replaces an earlier one. */
    static Map<String, String> latestByKey(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<String, String> latest = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            latest.put(new String(r.key(), UTF_8), new String(r.value(), UTF_8));
        }
        return latest;
    }
}
