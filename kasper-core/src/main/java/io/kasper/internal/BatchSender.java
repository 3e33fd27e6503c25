package io.kasper.internal;

import io.kasper.KasperException;
import io.kasper.Sender;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * The {@link Sender} handed to one {@code process} call: buffers output messages and hands them to the producer when
 * the processor returns or calls {@link #flush()}, tracking every acknowledgement on the batch's {@link InFlightBatch}.
 *
 * <p>Thread-safety: not thread-safe; used by the loop thread only.
 */
final class BatchSender implements Sender {

    private final Producer<byte[], byte[]> producer;
    private final InFlightBatch inFlight;
    private List<ProducerRecord<byte[], byte[]>> buffer = new ArrayList<>();
    private boolean completed;

    BatchSender(Producer<byte[], byte[]> producer, InFlightBatch inFlight) {
        this.producer = producer;
        this.inFlight = inFlight;
    }

    @Override
    public void send(ProducerRecord<byte[], byte[]> message) {
        Objects.requireNonNull(message, "message");
        checkOpen();
        buffer.add(message);
    }

    @Override
    public void flush() {
        checkOpen();
        List<Future<RecordMetadata>> acks = produceBuffered();
        for (Future<RecordMetadata> ack : acks) {
            try {
                ack.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KasperException("interrupted while flushing output of " + inFlight.batch(), e);
            } catch (ExecutionException e) {
                throw new KasperException("output of " + inFlight.batch() + " could not be produced: "
                        + e.getCause(), e.getCause());
            }
        }
    }

    /** Produces what is still buffered and seals the batch; the sender accepts nothing afterwards. */
    void complete() {
        completed = true;
        try {
            produceBuffered();
        } finally {
            inFlight.seal();
        }
    }

    /** Discards the buffer after the processor threw; the sender accepts nothing afterwards. */
    void discard() {
        completed = true;
        buffer = new ArrayList<>();
    }

    private List<Future<RecordMetadata>> produceBuffered() {
        List<ProducerRecord<byte[], byte[]>> toSend = buffer;
        buffer = new ArrayList<>();
        List<Future<RecordMetadata>> acks = new ArrayList<>(toSend.size());
        for (ProducerRecord<byte[], byte[]> record : toSend) {
            if (inFlight.failure() != null) {
                // The batch fails anyway; each further send could block up to max.block.ms (e.g. on failed
                // authentication or missing metadata) and keep close() waiting.
                break;
            }
            inFlight.expectAck(RecordSizes.of(record));
            try {
                acks.add(producer.send(record, inFlight));
            } catch (RuntimeException e) {
                // e.g. the producer is closed or the record cannot be serialized: the batch fails like on a nack
                inFlight.failed(e);
                throw new KasperException("output message to topic '" + record.topic() + "' of "
                        + inFlight.batch() + " could not be produced: " + e, e);
            }
        }
        return acks;
    }

    private void checkOpen() {
        if (completed) {
            throw new IllegalStateException("Sender of " + inFlight.batch()
                    + " used after MessageProcessor.process returned");
        }
    }
}
