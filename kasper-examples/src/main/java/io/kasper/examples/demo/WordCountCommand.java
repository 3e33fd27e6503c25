package io.kasper.examples.demo;

import io.kasper.TopicProcessor;
import io.kasper.examples.ExampleSettings;
import io.kasper.examples.LineProducer;
import io.kasper.examples.SampleText;
import io.kasper.examples.WordCount;
import io.kasper.store.TypedStore;
import java.io.PrintWriter;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code word-count}: counts the words of sample lines in a store and prints the most frequent ones. */
@Command(name = "word-count", mixinStandardHelpOptions = true,
        description = "Counts the words of sample text lines, keeping counts in a store, and prints the top words.")
final class WordCountCommand extends DemoCommand {

    /** Most frequent first; ties in alphabetical order, so the listing is deterministic. */
    static final Comparator<Map.Entry<String, Long>> BY_FREQUENCY =
            Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey());

    @Option(names = "--top", paramLabel = "N", defaultValue = "10",
            description = "How many of the most frequent words to print. Default: ${DEFAULT-VALUE}.")
    private int top;
    @Option(names = "--store", paramLabel = "KIND", defaultValue = "memory",
            description = "Where the counts live: memory, redis, opensearch or cassandra. Default: ${DEFAULT-VALUE}.")
    private DemoStore.Kind storeKind;
    @Option(names = {"--store-url", "--redis-url"}, paramLabel = "URL",
            description = "The store's server: redis://HOST:PORT/DB, http://HOST:PORT (OpenSearch) or HOST:PORT "
                    + "(Cassandra). Without it, a real server of that kind is started for the run.")
    private String storeUrl;
    private List<String> lines;
    private TypedStore<Long> store;

    @Override
    void prepare() {
        lines = SampleText.lines(options().lines(20_000));
    }

    /** Runs the example with the counts in a store of the chosen kind, closed after the run. */
    @Override
    int run(PrintWriter out) throws Exception {
        try (DemoStore demoStore = DemoStore.open(storeKind, storeUrl, "kasper-demo-" + options().runId(), out)) {
            store = demoStore.counts();
            return super.run(out);
        }
    }

    private String input() {
        return topic("lines");
    }

    private String output() {
        return topic("word-counts");
    }

    @Override
    public List<String> topics() {
        return List.of(input(), output());
    }

    @Override
    public void feed(String bootstrapServers, int partitions, PrintWriter out) {
        out.println("Produced " + LineProducer.produce(bootstrapServers, input(), partitions, lines)
                + " lines of sample text to " + input());
    }

    @Override
    public TopicProcessor create(ExampleSettings settings, PrintWriter out) {
        return WordCount.create(settings, input(), output(), store);
    }

    @Override
    public boolean report(String bootstrapServers, PrintWriter out) {
        Map<String, Long> counted = new HashMap<>();
        // the last record of a word is its current count
        TopicReader.readAll(bootstrapServers, output()).forEach(r -> counted.put(r.key(), Long.parseLong(r.value())));
        out.println("Top " + top + " words (read back from " + output() + "):");
        List<Map.Entry<String, Long>> ranked = counted.entrySet().stream().sorted(BY_FREQUENCY).limit(top).toList();
        for (int i = 0; i < ranked.size(); i++) {
            out.println(rankLine(i + 1, ranked.get(i).getKey(), ranked.get(i).getValue()));
        }
        Map<String, Long> expected = WordCount.countWords(lines);
        boolean correct = counted.equals(expected) && store.getAll(expected.keySet()).equals(expected);
        out.println("Check: " + counted.size() + " distinct words, "
                + counted.values().stream().mapToLong(Long::longValue).sum() + " words in total: "
                + (correct ? "OK, equal to a direct count of the input and to the store"
                        : "WRONG, they differ from a direct count of the input (" + expected.size() + " distinct)"));
        return correct;
    }

    /** Returns the printed line of one ranked word, e.g. {@code "   1. the              1234"}. */
    static String rankLine(int rank, String word, long count) {
        return String.format(Locale.ROOT, "%4d. %-15s %8d", rank, word, count);
    }
}
