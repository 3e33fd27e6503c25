package io.kasper.examples;

import io.kasper.DeserializingProcessor;
import io.kasper.MessageProcessor;
import io.kasper.Sender;
import io.kasper.TopicProcessor;
import io.kasper.TypedMessageProcessor;
import io.kasper.store.TypedStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The word-count example: counts the words of input lines, keeping the counts in a {@link TypedStore}, and emits
 * every count a batch changed to an output topic keyed by the word.
 *
 * <p>It receives typed records: {@link #create} wraps it in a {@link DeserializingProcessor} with Kafka's
 * {@link StringDeserializer}, and it writes its output with a {@link StringSerializer}. Per batch it makes one bulk
 * read and one bulk write of the counts, the access pattern Kasper's centralized stores are made for. The output
 * topic is partitioned by word (Kafka's default partitioner), so the last record of a word is its current count,
 * and a compacted topic keeps exactly the counts.
 *
 * <p>Counting is not idempotent: a batch delivered again after a crash (at-least-once) is counted again. A
 * production version would store each partition's last counted offset alongside the counts and skip what it has
 * seen.
 *
 * <p>Thread-safety: {@code process} is called from one processor's loop thread; one instance may serve all
 * partitions of that processor. Share it across processors only with a thread-safe store and no overlapping words.
 */
public final class WordCount implements TypedMessageProcessor<String, String> {

    private static final Pattern NOT_A_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");

    private final TypedStore<Long> counts;
    private final String outputTopic;
    private final Serializer<String> serializer = new StringSerializer();

    /**
     * Creates the processor.
     *
     * @param counts holds the count of every word seen, e.g. {@code new TypedStore<>(store, Codec.int64())}
     * @param outputTopic receives {@code word -> count} (the count as decimal text) for every changed word
     */
    public WordCount(TypedStore<Long> counts, String outputTopic) {
        this.counts = Objects.requireNonNull(counts, "counts");
        this.outputTopic = Objects.requireNonNull(outputTopic, "outputTopic");
    }

    /**
     * Builds a topic processor that counts the words of {@code inputTopic}; call {@code runLoop()} to start it.
     *
     * @param settings cluster, name, partitions and metrics
     * @param inputTopic the topic of lines (UTF-8 text)
     * @param outputTopic the topic of counts
     * @param counts holds the counts
     * @return the processor, not yet running
     * @throws io.kasper.InvalidConfigException when a topic is missing or the settings are invalid
     * @throws io.kasper.KasperException when the cluster cannot be reached
     */
    public static TopicProcessor create(ExampleSettings settings, String inputTopic, String outputTopic,
            TypedStore<Long> counts) {
        // tag::typed-processor[]
        MessageProcessor processor = new DeserializingProcessor<>(new StringDeserializer(), new StringDeserializer(),
                new WordCount(counts, outputTopic));
        return new TopicProcessor(settings.configFor(inputTopic).build(), partition -> processor);
        // end::typed-processor[]
    }

    /**
     * Splits a line into words: maximal runs of letters and digits, lower-cased.
     *
     * @param line the text
     * @return its words, in order
     */
    public static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        for (String token : NOT_A_WORD.split(line.toLowerCase(Locale.ROOT))) {
            if (!token.isEmpty()) {
                words.add(token);
            }
        }
        return words;
    }

    /**
     * Counts the words of some lines directly, without Kafka: the reference result of the example.
     *
     * @param lines the text
     * @return word to the number of times it occurs
     */
    public static Map<String, Long> countWords(Collection<String> lines) {
        Map<String, Long> counts = new HashMap<>();
        for (String line : lines) {
            for (String word : words(line)) {
                counts.merge(word, 1L, Long::sum);
            }
        }
        return counts;
    }

    // tag::typed-process[]
    @Override
    public void process(List<ConsumerRecord<String, String>> lines, Sender sender) {
        List<String> text = new ArrayList<>(lines.size());
        for (ConsumerRecord<String, String> line : lines) {
            if (line.value() != null) {                     // a tombstone has no words
                text.add(line.value());
            }
        }
        Map<String, Long> inBatch = countWords(text);
        Map<String, Long> updated = new HashMap<>(counts.getAll(inBatch.keySet()));   // one bulk read
        inBatch.forEach((word, count) -> updated.merge(word, count, Long::sum));
        counts.putAll(updated);                                                       // one bulk write
        updated.forEach((word, count) -> sender.send(new ProducerRecord<>(outputTopic,
                serializer.serialize(outputTopic, word), serializer.serialize(outputTopic, Long.toString(count)))));
    }
    // end::typed-process[]
}
