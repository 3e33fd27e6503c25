package io.kasper;

import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Collects the output messages of one batch.
 *
 * <p>{@link #send} only buffers; when {@link MessageProcessor#process} returns, Kasper produces the buffered messages
 * (acks=all) and commits the batch's input offsets only after every one of them is acknowledged.
 *
 * <p>Output that {@link #flush()} made durable stays in its topic whatever happens to the batch afterwards: when the
 * call of {@code process} then fails and the {@link ErrorPolicy} processes the batch again (a transient failure, or
 * a poison message under SKIP or DEAD_LETTER), the next call produces that output again, and a restart after a
 * failure does too. Delivery is at-least-once.
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
     * @throws IllegalStateException when used after {@code process} returned, or after {@link #flush()} failed in
     *     this call of {@code process}
     */
    void send(ProducerRecord<byte[], byte[]> message);

    /**
     * Produces the messages buffered so far now and waits until each is acknowledged.
     *
     * <p>Useful to bound memory in a batch that emits many messages, or to make output durable before a side effect.
     * The wait is bounded by the {@link ErrorPolicy#brokerOutageTimeout()}: while the cluster answers, a flush waits
     * at most that long; once the processor has found the cluster silent, only what is left of it. A flush that runs
     * out of it counts as a broker outage: the batch fails without retries, nothing of it is committed, and
     * {@code runLoop()} throws a {@link BatchFailedException}. Other failures of the output follow the error policy
     * like any exception of {@code process} (a retriable one is retried, the output flushed so far is then produced
     * again). After a flush failed, this call of {@code process} cannot go on: {@link #send} and {@code flush} throw
     * {@link IllegalStateException}, and the call fails even when it returns normally.
     *
     * @throws KasperException when a message cannot be produced, or is not acknowledged within what is left of the
     *     {@code brokerOutageTimeout}; let it propagate
     * @throws IllegalStateException when used after {@code process} returned, or after an earlier flush of this call
     *     failed
     */
    void flush();
}
