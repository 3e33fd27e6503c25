package io.kasper.it;

import io.kasper.MessageProcessor;
import io.kasper.Sender;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The processor of the fault scenarios: copies every input value to the output topic, same partition number, and
 * takes {@code delayMillis} per batch so that a fault injected from outside lands while batches are being processed.
 */
final class FaultCopier implements MessageProcessor {

    private final String output;
    private final long delayMillis;

    FaultCopier(String output, long delayMillis) {
        this.output = output;
        this.delayMillis = delayMillis;
    }

    @Override
    public void process(List<ConsumerRecord<byte[], byte[]>> messages, Sender sender) throws InterruptedException {
        for (ConsumerRecord<byte[], byte[]> m : messages) {
            sender.send(new ProducerRecord<>(output, m.partition(), m.key(), m.value()));
        }
        if (delayMillis > 0) {
            Thread.sleep(delayMillis); // stands for real work, so that faults hit a processor that is busy
        }
    }
}
