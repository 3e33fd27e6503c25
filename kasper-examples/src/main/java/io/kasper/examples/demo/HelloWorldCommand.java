package io.kasper.examples.demo;

import io.kasper.TopicProcessor;
import io.kasper.examples.ExampleSettings;
import io.kasper.examples.HelloWorld;
import io.kasper.examples.LineProducer;
import io.kasper.examples.SampleText;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code hello-world}: prints every message and forwards it to an output topic. */
@Command(name = "hello-world", mixinStandardHelpOptions = true,
        description = "Prints every input message and forwards it unchanged to an output topic.")
final class HelloWorldCommand extends DemoCommand {

    private List<String> lines;

    @Override
    void prepare() {
        lines = SampleText.lines(options().lines(12));
    }

    private String input() {
        return topic("hello-in");
    }

    private String output() {
        return topic("hello-out");
    }

    @Override
    public List<String> topics() {
        return List.of(input(), output());
    }

    @Override
    public void feed(String bootstrapServers, int partitions, PrintWriter out) {
        out.println("Produced " + LineProducer.produce(bootstrapServers, input(), partitions, lines) + " lines to "
                + input());
    }

    @Override
    public TopicProcessor create(ExampleSettings settings, PrintWriter out) {
        return HelloWorld.create(settings, input(), output(), out::println);
    }

    @Override
    public boolean report(String bootstrapServers, PrintWriter out) {
        List<String> forwarded = TopicReader.readAll(bootstrapServers, output()).stream().map(r -> r.value())
                .sorted().toList();
        boolean correct = forwarded.equals(lines.stream().sorted().toList());
        out.println(forwarded.size() + " messages forwarded to " + output() + ": "
                + (correct ? "OK, the same as the input" : "WRONG, they differ from the input"));
        return correct;
    }
}
