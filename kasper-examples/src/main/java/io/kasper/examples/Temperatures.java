package io.kasper.examples;

import io.kasper.DeserializingProcessor;
import io.kasper.ErrorPolicy;
import io.kasper.MessageProcessor;
import io.kasper.PartitionListener;
import io.kasper.Sender;
import io.kasper.TopicProcessor;
import io.kasper.TopicProcessorConfig;
import io.kasper.TypedMessageProcessor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The temperatures example: turns readings ({@code "<city>,<degrees Celsius>"}) into heat alerts, sends the lines
 * that are not readings to a dead-letter topic, shares the partitions with the other instances of its consumer group
 * and reports per partition what it saw while it owned it.
 *
 * <ul>
 *   <li>Typed input: a {@link DeserializingProcessor} with a {@link StringDeserializer} for keys and a
 *       {@link ReadingDeserializer} for values hands this processor {@link Reading}s.</li>
 *   <li>Poison messages: a line the deserializer rejects cannot ever be processed; the {@link ErrorPolicy} sends it,
 *       unchanged and with headers naming its origin and the failure, to the dead-letter topic, and the rest of the
 *       batch is processed without it.</li>
 *   <li>Group-managed assignment: every instance with the same processor name joins one consumer group, which
 *       shares the partitions among them and moves them when instances come and go.</li>
 *   <li>{@link PartitionListener}: per-partition statistics start empty when a partition is assigned and are
 *       printed and dropped when it is revoked, so they always describe this instance's current ownership.</li>
 * </ul>
 *
 * <p>Thread-safety: not thread-safe; a {@link TopicProcessor} calls {@code process} and the listener methods from its
 * single loop thread, never at the same time, so one instance serves all partitions of one processor.
 */
public final class Temperatures implements TypedMessageProcessor<String, Reading>, PartitionListener {

    /** Readings at or above this many degrees Celsius raise a heat alert. */
    public static final double HEAT_ALERT_CELSIUS = 30.0;

    private static final List<String> SAMPLE = List.of("Auckland,14.5", "Sydney,31.5", "Wellington,windy",
            "Cairo,35.0", "Oslo,-3.5", "Lima,19.0", "Oslo,-300", "Delhi,38.5", "Paris,22.0", "Reykjavik",
            "Singapore,30.0", "Buenos Aires,12.5");

    private final String alertsTopic;
    private final Consumer<String> printer;
    private final Serializer<String> serializer = new StringSerializer();
    private final Map<Integer, PartitionStats> stats = new HashMap<>();

    /**
     * Creates the processor.
     *
     * @param alertsTopic receives {@code city -> "heat alert: <reading>"} for every reading at or above
     *     {@value #HEAT_ALERT_CELSIUS} °C
     * @param printer receives a line when partitions are assigned and one per partition when they are revoked
     */
    public Temperatures(String alertsTopic, Consumer<String> printer) {
        this.alertsTopic = Objects.requireNonNull(alertsTopic, "alertsTopic");
        this.printer = Objects.requireNonNull(printer, "printer");
    }

    /**
     * Builds a group-managed topic processor of {@code readingsTopic}; call {@code runLoop()} to start it. Start it
     * several times with the same settings (threads or processes) to share the partitions.
     *
     * @param settings cluster, processor name (also names the consumer group) and metrics; its partitions are not
     *     used, the group assigns them
     * @param readingsTopic the topic of readings
     * @param alertsTopic the topic of heat alerts
     * @param deadLetterTopic the topic of lines that are not readings; it must exist
     * @param printer receives the listener's lines
     * @return the processor, not yet running
     * @throws io.kasper.InvalidConfigException when a topic is missing or the settings are invalid
     * @throws io.kasper.KasperException when the cluster cannot be reached
     */
    public static TopicProcessor create(ExampleSettings settings, String readingsTopic, String alertsTopic,
            String deadLetterTopic, Consumer<String> printer) {
        Temperatures temperatures = new Temperatures(alertsTopic, printer);
        // tag::temperatures-config[]
        TopicProcessorConfig config = TopicProcessorConfig.builder()
                .topicProcessorName(settings.processorName())
                .bootstrapServers(settings.bootstrapServers())
                .inputTopics(readingsTopic)
                .groupManaged()                                  // the consumer group shares the partitions
                .partitionListener(temperatures)                 // told when partitions come and go
                .errorPolicy(ErrorPolicy.builder()
                        .deadLetterTopic(deadLetterTopic)        // lines that are not readings go there
                        .build())
                .batchSize(500)
                .batchWaitDuration(Duration.ofMillis(200))
                .meterRegistry(settings.meterRegistry())
                .build();
        MessageProcessor processor = new DeserializingProcessor<>(new StringDeserializer(),
                new ReadingDeserializer(), temperatures);
        return new TopicProcessor(config, partition -> processor);
        // end::temperatures-config[]
    }

    /**
     * Returns sample input lines, {@code count} of them, cycling through a dozen lines of which three are not
     * readings ({@code "Wellington,windy"}, {@code "Oslo,-300"}, {@code "Reykjavik"}).
     *
     * @param count how many
     * @return the lines, in order
     */
    public static List<String> sampleLines(int count) {
        List<String> lines = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            lines.add(SAMPLE.get(i % SAMPLE.size()));
        }
        return lines;
    }

    /**
     * Returns the alert a reading raises, if any: the reference result of the example.
     *
     * @param reading a reading
     * @return {@code "heat alert: <reading>"} when it is at or above {@value #HEAT_ALERT_CELSIUS} °C, else empty
     */
    public static Optional<String> alert(Reading reading) {
        return reading.celsius() >= HEAT_ALERT_CELSIUS ? Optional.of("heat alert: " + reading) : Optional.empty();
    }

    /**
     * Parses a line as {@link ReadingDeserializer} does, without Kafka.
     *
     * @param line a line of input
     * @return the reading, or empty when the line is poison
     */
    public static Optional<Reading> parse(String line) {
        try {
            return Optional.of(new ReadingDeserializer().deserialize("", line.getBytes(StandardCharsets.UTF_8)));
        } catch (SerializationException e) {
            return Optional.empty();
        }
    }

    @Override
    public void process(List<ConsumerRecord<String, Reading>> readings, Sender sender) {
        for (ConsumerRecord<String, Reading> record : readings) {
            Reading reading = record.value();
            if (reading == null) {                               // a tombstone is no reading
                continue;
            }
            stats.computeIfAbsent(record.partition(), p -> new PartitionStats()).add(reading);
            alert(reading).ifPresent(text -> sender.send(new ProducerRecord<>(alertsTopic,
                    serializer.serialize(alertsTopic, reading.city()), serializer.serialize(alertsTopic, text))));
        }
    }

    // tag::partition-listener[]
    @Override
    public void onPartitionsAssigned(Set<Integer> partitionNumbers) {
        partitionNumbers.forEach(p -> stats.put(p, new PartitionStats()));
        printer.accept("partitions assigned: " + new TreeSet<>(partitionNumbers));
    }

    @Override
    public void onPartitionsRevoked(Set<Integer> partitionNumbers) {
        for (int p : new TreeSet<>(partitionNumbers)) {
            PartitionStats revoked = stats.remove(p);
            printer.accept("partition " + p + ": " + (revoked == null ? new PartitionStats() : revoked));
        }
    }
    // end::partition-listener[]

    /** What one partition's readings held while this instance owned it. */
    private static final class PartitionStats {

        private int readings;
        private Reading hottest;

        void add(Reading reading) {
            readings++;
            if (hottest == null || reading.celsius() > hottest.celsius()) {
                hottest = reading;
            }
        }

        @Override
        public String toString() {
            return readings == 0 ? "no readings" : readings + " reading" + (readings == 1 ? "" : "s")
                    + ", hottest " + hottest;
        }
    }
}
