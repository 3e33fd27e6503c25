package io.kasper.internal;

import io.kasper.KasperException;
import io.kasper.Sender;
import io.kasper.Traceparent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RetriableException;

/**
 * The {@link Sender} handed to one {@code process} call: buffers output messages and hands them to the producer when
 * the processor returns or calls {@link #flush()}, tracking every acknowledgement on the batch's {@link InFlightBatch}.
 * A flush waits at most what is left of the {@link OutageBudget}; once a flush has failed, the sender refuses
 * everything, so that the processor cannot go on as if its output were durable.
 *
 * <p>Thread-safety: not thread-safe; used by the loop thread only.
 */
final class BatchSender implements Sender {

    private final Producer<byte[], byte[]> producer;
    private final InFlightBatch inFlight;
    private final OutageBudget budget;
    /** The batch span's context for the output's {@code traceparent} header, or null when nothing is traced. */
    private final byte[] traceparent;
    private List<ProducerRecord<byte[], byte[]>> buffer;
    private boolean completed;
    /** What the failed flush threw; the sender refuses everything afterwards. */
    private KasperException flushFailure;
    /** Set when the failed flush used up the outage timeout: the batch fails without retries. */
    private boolean outage;

    BatchSender(Producer<byte[], byte[]> producer, InFlightBatch inFlight, OutageBudget budget) {
        this(producer, inFlight, budget, 10, null);
    }

    /**
     * Creates a sender whose buffer starts with room for {@code expected} messages: a processor usually sends about
     * one message per input message, so the buffer of a batch of thousands need not grow (and copy) step by step.
     * Every message that carries no {@code traceparent} header gets {@code traceparent} (the batch span's context)
     * when it is not null.
     */
    BatchSender(Producer<byte[], byte[]> producer, InFlightBatch inFlight, OutageBudget budget, int expected,
            String traceparent) {
        this.producer = producer;
        this.traceparent = traceparent == null ? null : traceparent.getBytes(StandardCharsets.US_ASCII);
        this.inFlight = inFlight;
        this.budget = budget;
        this.buffer = new ArrayList<>(Math.max(10, expected));
    }

    @Override
    public void send(ProducerRecord<byte[], byte[]> message) {
        Objects.requireNonNull(message, "message");
        checkUsable("send");
        buffer.add(message);
    }

    @Override
    public void flush() {
        checkUsable("flush");
        List<Future<RecordMetadata>> acks;
        try {
            acks = produceBuffered(true);
        } catch (KasperException e) {
            throw flushFailed(e);
        }
        if (acks.isEmpty()) {
            return;
        }
        long deadline = budget.waitDeadline(System.nanoTime());
        budget.blocking(System.nanoTime());
        try {
            awaitAcks(acks, deadline);
        } finally {
            budget.unblocked();
        }
        budget.answered(System.nanoTime());
    }

    private void awaitAcks(List<Future<RecordMetadata>> acks, long deadline) {
        for (Future<RecordMetadata> ack : acks) {
            try {
                ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                long now = System.nanoTime();
                budget.unanswered(now);
                outage = true;
                throw flushFailed(budget.outage("output flushed by " + inFlight.batch(), now));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw flushFailed(new KasperException("interrupted while flushing output of " + inFlight.batch(), e));
            } catch (ExecutionException e) {
                throw flushFailed(nacked(e.getCause()));
            }
        }
    }

    /**
     * Returns the failure of a flush whose output the producer gave up on: an outage once the producer's retries
     * (bounded by its {@code delivery.timeout.ms}) have used up the outage timeout, else a failure the error policy
     * may retry when the cause is retriable.
     */
    private KasperException nacked(Throwable cause) {
        if (cause instanceof RetriableException) {
            long now = System.nanoTime();
            budget.unanswered(now);
            if (budget.isSpent(now)) {
                outage = true;
                KasperException failure = budget.outage("output flushed by " + inFlight.batch(), now);
                failure.initCause(cause);
                return failure;
            }
        }
        return new KasperException("output of " + inFlight.batch() + " could not be produced: " + cause, cause);
    }

    private KasperException flushFailed(KasperException failure) {
        flushFailure = failure;
        return failure;
    }

    /** Returns what a failed {@link #flush()} threw, or null. */
    KasperException flushFailure() {
        return flushFailure;
    }

    /** Returns whether a flush failed because the cluster acknowledged nothing for the whole outage timeout. */
    boolean isOutage() {
        return outage;
    }

    /**
     * Produces what is still buffered and seals the batch; the sender accepts nothing afterwards.
     *
     * @throws KasperException what a failed flush threw, when the processor went on after it: the batch fails
     */
    void complete() {
        if (flushFailure != null) {
            throw flushFailure;
        }
        completed = true;
        try {
            produceBuffered(false);
        } finally {
            inFlight.seal();
        }
    }

    /** Discards the buffer after the processor threw; the sender accepts nothing afterwards. */
    void discard() {
        completed = true;
        buffer = new ArrayList<>();
    }

    /**
     * Hands the buffered messages to the producer, in order, and empties the buffer.
     *
     * <p>The batch expects the acknowledgements and counts the bytes once per call, not per message: the processor's
     * own pending count (released by {@link InFlightBatch#seal()}, always after this) keeps the batch from completing
     * while the count is ahead of the messages really sent.
     *
     * @param keepAcks whether to return the futures of the acknowledgements ({@link #flush()} waits on them)
     * @return the futures, or an empty list when {@code keepAcks} is false
     */
    private List<Future<RecordMetadata>> produceBuffered(boolean keepAcks) {
        List<ProducerRecord<byte[], byte[]>> toSend = buffer;
        int count = toSend.size();
        if (count == 0) {
            return List.of();
        }
        List<Future<RecordMetadata>> acks = keepAcks ? new ArrayList<>(count) : List.of();
        inFlight.expectAcks(count);
        int sent = 0;
        long bytes = 0;
        // send() blocks (up to max.block.ms) while the producer has no metadata, e.g. while no broker answers
        budget.blocking(System.nanoTime());
        try {
            for (; sent < count; sent++) {
                if (inFlight.failure() != null) {
                    // The batch fails anyway; each further send could block up to max.block.ms (e.g. on failed
                    // authentication or missing metadata) and keep close() waiting.
                    break;
                }
                ProducerRecord<byte[], byte[]> record = toSend.get(sent);
                if (traceparent != null && record.headers().lastHeader(Traceparent.HEADER) == null) {
                    record.headers().add(Traceparent.HEADER, traceparent);
                }
                bytes += RecordSizes.of(record);
                Future<RecordMetadata> ack;
                try {
                    ack = producer.send(record, inFlight);
                } catch (RuntimeException e) {
                    // e.g. the producer is closed or the record cannot be serialized: the batch fails like on a nack
                    sent++; // this message's expected acknowledgement is released by failed()
                    inFlight.failed(e);
                    throw new KasperException("output message to topic '" + record.topic() + "' of "
                            + inFlight.batch() + " could not be produced: " + e, e);
                }
                if (keepAcks) {
                    acks.add(ack);
                }
            }
        } finally {
            budget.unblocked();
            inFlight.outputSent(bytes, count - sent);
            toSend.clear(); // reused for what the processor sends after a flush
        }
        return acks;
    }

    private void checkUsable(String call) {
        if (completed) {
            throw new IllegalStateException("Sender of " + inFlight.batch()
                    + " used after MessageProcessor.process returned");
        }
        if (flushFailure != null) {
            throw new IllegalStateException("Sender." + call + " of " + inFlight.batch() + " called after flush() "
                    + "failed: this call of process fails and nothing of the batch is committed; let the exception of "
                    + "flush() propagate (" + flushFailure.getMessage() + ")");
        }
    }
}
