package io.kasper.examples;

import io.kasper.DeserializingProcessor;
import io.kasper.Sender;
import io.kasper.TopicProcessor;
import io.kasper.TypedMessageProcessor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The multiple-topics example: a partition-wise join of two co-partitioned topics.
 *
 * <p>Topic "names" holds {@code id -> name}, topic "greetings" holds {@code id -> greeting}, both keyed by the same
 * ids and partitioned the same way, so one batch of partition p holds both sides of every id of partition p. Once
 * both sides of an id are known, the processor emits {@code id -> "<greeting>, <name>!"} on the same partition. Each
 * side may arrive first; the other waits in memory (a real application would keep it in a store). Keys and values
 * are UTF-8 text: {@link #create} wraps the processor in a {@link DeserializingProcessor} with Kafka's
 * {@link StringDeserializer}, and the greetings are written with a {@link StringSerializer}.
 *
 * <p>Thread-safety: not thread-safe; use one instance per partition (the factory in {@link #create} does).
 */
public final class MultipleTopics implements TypedMessageProcessor<String, String> {

    private static final List<String> NAMES = List.of("Alice", "Ishmael", "Elizabeth", "Sydney", "Queequeg",
            "Darcy", "Lucie", "Rabbit", "Jane");
    private static final List<String> GREETINGS = List.of("Hello", "Kia ora", "Bonjour", "Hola", "Ciao",
            "Guten Tag", "Hej");

    private final String namesTopic;
    private final String greetingsTopic;
    private final String outputTopic;
    private final Map<String, String> names = new HashMap<>();
    private final Map<String, String> greetings = new HashMap<>();
    private final Serializer<String> serializer = new StringSerializer();

    /**
     * Creates the processor of one partition.
     *
     * @param namesTopic the topic of {@code id -> name}
     * @param greetingsTopic the topic of {@code id -> greeting}
     * @param outputTopic the topic that receives {@code id -> "<greeting>, <name>!"}
     */
    public MultipleTopics(String namesTopic, String greetingsTopic, String outputTopic) {
        this.namesTopic = Objects.requireNonNull(namesTopic, "namesTopic");
        this.greetingsTopic = Objects.requireNonNull(greetingsTopic, "greetingsTopic");
        this.outputTopic = Objects.requireNonNull(outputTopic, "outputTopic");
    }

    /**
     * Builds a topic processor that joins the two topics; call {@code runLoop()} to start it.
     *
     * @param settings cluster, name, partitions and metrics
     * @param namesTopic the topic of {@code id -> name}
     * @param greetingsTopic the topic of {@code id -> greeting}, with the same partition count
     * @param outputTopic the topic that receives the greetings
     * @return the processor, not yet running
     * @throws io.kasper.InvalidConfigException when a topic is missing or the partition counts differ
     * @throws io.kasper.KasperException when the cluster cannot be reached
     */
    public static TopicProcessor create(ExampleSettings settings, String namesTopic, String greetingsTopic,
            String outputTopic) {
        return new TopicProcessor(settings.configFor(namesTopic, greetingsTopic).build(),
                partition -> new DeserializingProcessor<>(new StringDeserializer(), new StringDeserializer(),
                        new MultipleTopics(namesTopic, greetingsTopic, outputTopic)));
    }

    /**
     * Returns sample names for ids {@code 0..count-1}, one per id, in id order.
     *
     * @param count how many
     * @return the names
     */
    public static List<String> sampleNames(int count) {
        return cycle(NAMES, count);
    }

    /**
     * Returns sample greetings for ids {@code 0..count-1}, one per id, in id order.
     *
     * @param count how many
     * @return the greetings
     */
    public static List<String> sampleGreetings(int count) {
        return cycle(GREETINGS, count);
    }

    /**
     * Returns the output the join must produce for one id.
     *
     * @param greeting the id's greeting
     * @param name the id's name
     * @return {@code "<greeting>, <name>!"}
     */
    public static String greet(String greeting, String name) {
        return greeting + ", " + name + "!";
    }

    @Override
    public void process(List<ConsumerRecord<String, String>> messages, Sender sender) {
        for (ConsumerRecord<String, String> message : messages) {
            String id = message.key();
            if (message.topic().equals(namesTopic)) {
                names.put(id, message.value());
            } else if (message.topic().equals(greetingsTopic)) {
                greetings.put(id, message.value());
            }
            String name = names.get(id);
            String greeting = greetings.get(id);
            if (name != null && greeting != null) {
                // each id has one name and one greeting: once greeted, neither side is needed again
                names.remove(id);
                greetings.remove(id);
                sender.send(new ProducerRecord<>(outputTopic, message.partition(),
                        serializer.serialize(outputTopic, id),
                        serializer.serialize(outputTopic, greet(greeting, name))));
            }
        }
    }

    private static List<String> cycle(List<String> values, int count) {
        List<String> result = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            result.add(values.get(i % values.size()));
        }
        return result;
    }
}
