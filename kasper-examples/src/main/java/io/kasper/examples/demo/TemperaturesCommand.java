package io.kasper.examples.demo;

import io.kasper.ErrorPolicy;
import io.kasper.TopicProcessor;
import io.kasper.examples.ExampleSettings;
import io.kasper.examples.LineProducer;
import io.kasper.examples.Temperatures;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import picocli.CommandLine.Command;

/** {@code temperatures}: heat alerts from readings, unparsable lines to a dead-letter topic, group-managed. */
@Command(name = "temperatures", mixinStandardHelpOptions = true,
        description = "Turns temperature readings into heat alerts and sends the lines that are not readings to a "
                + "dead-letter topic; the processor is group-managed and prints what each partition held.")
final class TemperaturesCommand extends DemoCommand {

    private static final int SHOWN = 3;

    private List<String> lines;

    @Override
    void prepare() {
        lines = Temperatures.sampleLines(options().lines(1_200));
    }

    @Override
    public List<String> topics() {
        return List.of(topic("readings"), topic("heat-alerts"), topic("readings-dlt"));
    }

    @Override
    public void feed(String bootstrapServers, int partitions, PrintWriter out) {
        out.println("Produced " + LineProducer.produce(bootstrapServers, topic("readings"), partitions, lines)
                + " lines of readings to " + topic("readings"));
    }

    @Override
    public TopicProcessor create(ExampleSettings settings, PrintWriter out) {
        return Temperatures.create(settings, topic("readings"), topic("heat-alerts"), topic("readings-dlt"),
                line -> {
                    out.println(line);
                    out.flush();
                });
    }

    @Override
    public boolean report(String bootstrapServers, PrintWriter out) {
        List<String> alerts = TopicReader.readAll(bootstrapServers, topic("heat-alerts")).stream()
                .map(ConsumerRecord::value).sorted().toList();
        List<ConsumerRecord<String, String>> deadLetters = TopicReader.readAll(bootstrapServers,
                topic("readings-dlt"));
        // the exception message header describes the first failure of the record's batch, maybe another record's
        deadLetters.stream().limit(SHOWN).forEach(r -> out.println("  dead letter '" + r.value() + "' from "
                + header(r, ErrorPolicy.HEADER_TOPIC) + "-" + header(r, ErrorPolicy.HEADER_PARTITION) + "@"
                + header(r, ErrorPolicy.HEADER_OFFSET) + " (" + header(r, ErrorPolicy.HEADER_EXCEPTION_CLASS) + ")"));
        List<String> expectedAlerts = lines.stream().map(Temperatures::parse).flatMap(Optional::stream)
                .map(Temperatures::alert).flatMap(Optional::stream).sorted().toList();
        List<String> expectedDeadLetters = lines.stream().filter(l -> Temperatures.parse(l).isEmpty()).sorted()
                .toList();
        boolean correct = alerts.equals(expectedAlerts)
                && deadLetters.stream().map(ConsumerRecord::value).sorted().toList().equals(expectedDeadLetters);
        out.println(lines.size() + " lines: " + alerts.size() + " heat alerts in " + topic("heat-alerts") + ", "
                + deadLetters.size() + " lines that are not readings in " + topic("readings-dlt") + ": "
                + (correct ? "OK, exactly the expected alerts and dead letters"
                        : "WRONG, expected " + expectedAlerts.size() + " alerts and " + expectedDeadLetters.size()
                                + " dead letters"));
        return correct;
    }

    private static String header(ConsumerRecord<String, String> record, String key) {
        Header header = record.headers().lastHeader(key);
        return header == null ? "?" : new String(header.value(), StandardCharsets.UTF_8);
    }
}
