package io.kasper;

import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Collects the output messages of one batch.
 *
 * <p>{@link #send} only buffers; when {@link MessageProcessor#process} returns, Kasper produces the buffered messages
 * (acks=all) and commits the batch's input offsets only after every one of them is acknowledged.
 *
 * <p>Thread-safety: not thread-safe; use it from the thread that called {@code process}, and only until
 * {@code process} returns.
 */
public interface Sender {

    /**
     * Buffers a message for production when the batch completes.
     *
     * @param message the output message; its topic must exist
     * @throws NullPointerException when {@code message} is null
     * @throws IllegalStateException when used after {@code process} returned
     */
    void send(ProducerRecord<byte[], byte[]> message);

    /**
     * Produces the messages buffered so far now and waits until each is acknowledged.
     *
     * <p>Useful to bound memory in a batch that emits many messages, or to make output durable before a side effect.
     *
     * @throws KasperException when a message cannot be produced; the batch then fails and nothing of it is committed
     * @throws IllegalStateException when used after {@code process} returned
     */
    void flush();
}
