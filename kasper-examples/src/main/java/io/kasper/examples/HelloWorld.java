package io.kasper.examples;

import io.kasper.MessageProcessor;
import io.kasper.Sender;
import io.kasper.TopicProcessor;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The hello-world example: prints every message it receives and forwards it unchanged to an output topic, on the
 * same partition.
 *
 * <p>Thread-safety: stateless apart from the printer; safe to share across partitions of one processor. Safe across
 * processors when the printer is thread-safe.
 */
public final class HelloWorld implements MessageProcessor {

    private final String outputTopic;
    private final Consumer<String> printer;

    /**
     * Creates the processor.
     *
     * @param outputTopic the topic that receives every input message; it needs at least the input's partitions
     * @param printer receives one line per message
     */
    public HelloWorld(String outputTopic, Consumer<String> printer) {
        this.outputTopic = Objects.requireNonNull(outputTopic, "outputTopic");
        this.printer = Objects.requireNonNull(printer, "printer");
    }

    /**
     * Builds a topic processor that runs this example on {@code inputTopic}; call {@code runLoop()} to start it.
     *
     * @param settings cluster, name, partitions and metrics
     * @param inputTopic the topic to read
     * @param outputTopic the topic to forward to
     * @param printer receives one line per message
     * @return the processor, not yet running
     * @throws io.kasper.InvalidConfigException when a topic is missing or the settings are invalid
     * @throws io.kasper.KasperException when the cluster cannot be reached
     */
    public static TopicProcessor create(ExampleSettings settings, String inputTopic, String outputTopic,
            Consumer<String> printer) {
        HelloWorld processor = new HelloWorld(outputTopic, printer);
        return new TopicProcessor(settings.configFor(inputTopic).build(), partition -> processor);
    }

    /**
     * Returns the line printed for a message.
     *
     * @param message a received message with a UTF-8 value
     * @return e.g. {@code "Hello from partition 2, offset 7: Call me Ishmael."}
     */
    public static String describe(ConsumerRecord<byte[], byte[]> message) {
        return "Hello from partition " + message.partition() + ", offset " + message.offset() + ": "
                + new String(message.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void process(List<ConsumerRecord<byte[], byte[]>> messages, Sender sender) {
        for (ConsumerRecord<byte[], byte[]> message : messages) {
            printer.accept(describe(message));
            sender.send(new ProducerRecord<>(outputTopic, message.partition(), message.key(), message.value()));
        }
    }
}
