package io.kasper.spring.example;

import io.kasper.Sender;
import io.kasper.TypedMessageProcessor;
import io.kasper.spring.boot.KasperProcessor;
import io.kasper.store.Codec;
import io.kasper.store.Store;
import io.kasper.store.TypedStore;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * The logic of the {@code word-count} processor of application.yml: counts the words of each batch of lines and adds
 * them to the counts in the {@code word-counts} Redis store, with one bulk read and one bulk write per batch.
 *
 * <p>Thread-safety: called from the processor's single loop thread.
 */
// tag::logic-bean[]
@Component
@KasperProcessor("word-count")                       // the key under kasper.processors
public class WordCountLogic implements TypedMessageProcessor<String, String> {

    private final TypedStore<Long> counts;

    public WordCountLogic(@Qualifier("word-counts") Store wordCounts) {   // the bean of kasper.stores.word-counts
        this.counts = new TypedStore<>(wordCounts, Codec.int64());
    }

    @Override
    public void process(List<ConsumerRecord<String, String>> lines, Sender sender) {
        Map<String, Long> inBatch = new HashMap<>();
        for (ConsumerRecord<String, String> line : lines) {
            for (String word : words(line.value())) {
                inBatch.merge(word, 1L, Long::sum);
            }
        }
        Map<String, Long> updated = new HashMap<>(counts.getAll(inBatch.keySet()));   // one bulk read
        inBatch.forEach((word, n) -> updated.merge(word, n, Long::sum));
        counts.putAll(updated);                                                       // one bulk write
    }

    static List<String> words(String line) {        // lower-case runs of letters and digits; a tombstone has none
        return line == null ? List.of() : Arrays.stream(line.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+"))
                .filter(word -> !word.isEmpty())
                .toList();
    }
}
// end::logic-bean[]
