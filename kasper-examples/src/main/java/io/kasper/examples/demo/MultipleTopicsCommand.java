package io.kasper.examples.demo;

import io.kasper.TopicProcessor;
import io.kasper.examples.ExampleSettings;
import io.kasper.examples.LineProducer;
import io.kasper.examples.MultipleTopics;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import picocli.CommandLine.Command;

/** {@code multiple-topics}: joins a topic of names with a topic of greetings, partition by partition. */
@Command(name = "multiple-topics", mixinStandardHelpOptions = true,
        description = "Joins two co-partitioned topics (id -> name, id -> greeting) into greetings.")
final class MultipleTopicsCommand extends DemoCommand {

    private static final int SHOWN = 5;

    private int ids;

    @Override
    void prepare() {
        ids = options().lines(1_000);
    }

    @Override
    public List<String> topics() {
        return List.of(topic("names"), topic("greetings"), topic("greeted"));
    }

    @Override
    public void feed(String bootstrapServers, int partitions, PrintWriter out) {
        // greetings first: the join has to hold them until the names arrive
        LineProducer.produce(bootstrapServers, topic("greetings"), partitions, MultipleTopics.sampleGreetings(ids));
        LineProducer.produce(bootstrapServers, topic("names"), partitions, MultipleTopics.sampleNames(ids));
        out.println("Produced " + ids + " greetings, then " + ids + " names, keyed by ids 0.." + (ids - 1));
    }

    @Override
    public TopicProcessor create(ExampleSettings settings, PrintWriter out) {
        return MultipleTopics.create(settings, topic("names"), topic("greetings"), topic("greeted"));
    }

    @Override
    public boolean report(String bootstrapServers, PrintWriter out) {
        Map<Integer, String> greeted = new TreeMap<>();
        List<ConsumerRecord<String, String>> records = TopicReader.readAll(bootstrapServers, topic("greeted"));
        records.forEach(r -> greeted.put(Integer.parseInt(r.key()), r.value()));
        greeted.entrySet().stream().limit(SHOWN).forEach(e -> out.println("  id " + e.getKey() + ": " + e.getValue()));
        List<String> names = MultipleTopics.sampleNames(ids);
        List<String> greetings = MultipleTopics.sampleGreetings(ids);
        Map<Integer, String> expected = new TreeMap<>();
        for (int id = 0; id < ids; id++) {
            expected.put(id, MultipleTopics.greet(greetings.get(id), names.get(id)));
        }
        boolean correct = records.size() == ids && greeted.equals(expected);
        out.println(records.size() + " greetings in " + topic("greeted") + ": "
                + (correct ? "OK, exactly one correct greeting per id" : "WRONG, expected one per id"));
        return correct;
    }
}
