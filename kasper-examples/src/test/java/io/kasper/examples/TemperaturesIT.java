package io.kasper.examples;

import static io.kasper.examples.ExampleTopics.settings;
import static io.kasper.examples.ExampleTopics.unique;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kasper.ErrorPolicy;
import io.kasper.test.KafkaBroker;
import io.kasper.test.KafkaBrokerExtension;
import io.kasper.test.RunningTopicProcessor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class TemperaturesIT {

    @Test
    void alertsOnHotReadingsDeadLettersTheOtherLinesAndReportsEachPartitionOnRevocation(KafkaBroker broker)
            throws Exception {
        String readings = unique("readings");
        String alerts = unique("alerts");
        String deadLetters = unique("readings-dlt");
        broker.createTopic(readings, 3);
        broker.createTopic(alerts, 3);
        broker.createTopic(deadLetters, 1);
        // line i goes to partition i % 3 as its (i / 3)-th record
        LineProducer.produce(broker.bootstrapServers(), readings, 3, Temperatures.sampleLines(12));
        ConcurrentLinkedQueue<String> printed = new ConcurrentLinkedQueue<>();
        String name = unique("temperatures");

        try (RunningTopicProcessor running = RunningTopicProcessor.start(
                Temperatures.create(settings(broker, name, 3), readings, alerts, deadLetters, printed::add))) {
            running.awaitConsumedAll(Duration.ofSeconds(60));
        }

        assertThat(printed).containsExactly(
                "partitions assigned: [0, 1, 2]",
                "partition 0: 2 readings, hottest Cairo 35.0 °C",
                "partition 1: 4 readings, hottest Delhi 38.5 °C",
                "partition 2: 3 readings, hottest Paris 22.0 °C");
        Map<String, String> alertsByCity = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : broker.readAll(alerts)) {
            alertsByCity.put(new String(r.key(), UTF_8), new String(r.value(), UTF_8));
        }
        assertThat(alertsByCity).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                "Cairo", "heat alert: Cairo 35.0 °C",
                "Delhi", "heat alert: Delhi 38.5 °C",
                "Singapore", "heat alert: Singapore 30.0 °C",
                "Sydney", "heat alert: Sydney 31.5 °C")));
        assertThat(broker.readAll(alerts)).hasSize(4);

        // the exception headers describe the first failure of the record's batch: one of its partition's poison lines
        Map<String, List<String>> failuresByPartition = Map.of(
                "0", List.of(failureOf("Oslo,-300"), failureOf("Reykjavik")),
                "2", List.of(failureOf("Wellington,windy")));
        List<String> deadLettered = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : broker.readAll(deadLetters)) {
            String partition = header(r, ErrorPolicy.HEADER_PARTITION);
            assertThat(header(r, ErrorPolicy.HEADER_EXCEPTION_CLASS)).isEqualTo(SerializationException.class.getName());
            assertThat(header(r, ErrorPolicy.HEADER_EXCEPTION_MESSAGE)).isIn(failuresByPartition.get(partition));
            assertThat(header(r, ErrorPolicy.HEADER_PROCESSOR)).isEqualTo(name);
            deadLettered.add("'" + new String(r.value(), UTF_8) + "' key " + new String(r.key(), UTF_8) + " from "
                    + header(r, ErrorPolicy.HEADER_TOPIC) + "-" + partition + "@"
                    + header(r, ErrorPolicy.HEADER_OFFSET));
        }
        assertThat(deadLettered).containsExactlyInAnyOrder(
                "'Wellington,windy' key 2 from " + readings + "-2@0",
                "'Oslo,-300' key 6 from " + readings + "-0@2",
                "'Reykjavik' key 9 from " + readings + "-0@3");
    }

    private static String failureOf(String line) {
        return catchThrowableOfType(() -> new ReadingDeserializer().deserialize("t", line.getBytes(UTF_8)),
                SerializationException.class).getMessage();
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String key) {
        Header header = record.headers().lastHeader(key);
        assertThat(header).as("header %s of %s", key, record).isNotNull();
        return new String(header.value(), UTF_8);
    }
}
