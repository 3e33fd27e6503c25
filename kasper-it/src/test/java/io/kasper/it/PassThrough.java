package io.kasper.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.kasper.MessageProcessor;
import io.kasper.Sender;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Copies every input message to one output topic, same partition number, as {@code "<input value>|<owner>"}, and
 * reports a {@link Span} per call, so that tests can tell who processed what and when. A batch that mixes partition
 * numbers fails.
 */
final class PassThrough implements MessageProcessor {

    private final String output;
    private final String owner;
    private final Consumer<Span> spans;

    PassThrough(String output, String owner, Consumer<Span> spans) {
        this.output = output;
        this.owner = owner;
        this.spans = spans;
    }

    @Override
    public void process(List<ConsumerRecord<byte[], byte[]>> messages, Sender sender) {
        long start = Span.nowMicros();
        int partition = messages.get(0).partition();
        for (ConsumerRecord<byte[], byte[]> m : messages) {
            if (m.partition() != partition) { // fails the batch, and the test with it
                throw new IllegalStateException("a batch mixes partition numbers " + partition + " and "
                        + m.partition());
            }
            sender.send(new ProducerRecord<>(output, partition, m.key(),
                    (new String(m.value(), UTF_8) + "|" + owner).getBytes(UTF_8)));
        }
        spans.accept(new Span(owner, partition, start, Span.nowMicros(), messages.size()));
    }
}
