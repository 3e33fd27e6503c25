package io.kasper.internal;

import io.kasper.ErrorPolicy;
import io.kasper.KasperException;
import io.kasper.KasperObservations;
import io.kasper.PoisonMessageException;
import io.kasper.PoisonPolicy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Applies the {@link PoisonPolicy} to the records a {@link PoisonMessageException} names: picks them out of the batch,
 * and once the rest of the batch has been processed, logs and counts them ({@code SKIP}) or produces them to the
 * dead-letter topic on the batch's acknowledgement tracking ({@code DEAD_LETTER}), so that the batch's offsets are
 * committed only after the dead-letter copies are durable.
 *
 * <p>Thread-safety: not thread-safe; used by the loop thread.
 */
final class PoisonHandler {

    /** Poison records named one by one in a log line; the rest are counted. */
    private static final int LOGGED_PER_BATCH = 5;

    private final ProcessorLogContext context;
    private final ProcessorLogger log;
    private final ErrorPolicy policy;
    private final Producer<byte[], byte[]> producer;
    private final ProcessorMetrics metrics;

    PoisonHandler(ProcessorLogContext context, ErrorPolicy policy, Producer<byte[], byte[]> producer,
            ProcessorMetrics metrics) {
        this.context = context;
        this.log = context.logger(PoisonHandler.class);
        this.policy = policy;
        this.producer = producer;
        this.metrics = metrics;
    }

    /** A poison record and the failure that named it. */
    record Poisoned(ConsumerRecord<byte[], byte[]> record, PoisonMessageException reason) {
    }

    /** Returns whether poison records are set aside (SKIP, DEAD_LETTER) rather than failing the batch. */
    boolean setsAside() {
        return policy.poisonPolicy() != PoisonPolicy.FAIL;
    }

    /**
     * Moves the records of {@code remaining} that {@code poison} names to {@code poisoned} and returns the others,
     * both in batch order.
     *
     * @throws KasperException when it names none of them (a processor bug: it would loop forever otherwise)
     */
    List<ConsumerRecord<byte[], byte[]>> setAside(List<ConsumerRecord<byte[], byte[]>> remaining,
            PoisonMessageException poison, List<Poisoned> poisoned) {
        Set<PoisonMessageException.RecordId> ids = new HashSet<>(poison.records());
        List<ConsumerRecord<byte[], byte[]>> rest = new ArrayList<>(remaining.size());
        for (ConsumerRecord<byte[], byte[]> record : remaining) {
            if (ids.contains(PoisonMessageException.RecordId.of(record))) {
                poisoned.add(new Poisoned(record, poison));
            } else {
                rest.add(record);
            }
        }
        if (rest.size() == remaining.size()) {
            throw new KasperException("PoisonMessageException names " + poison.records()
                    + ", none of which is among the batch's " + remaining.size() + " unprocessed records", poison);
        }
        return Collections.unmodifiableList(rest);
    }

    /** Counts a poison record that fails its batch (policy FAIL). */
    void countFailing(PoisonMessageException poison) {
        for (PoisonMessageException.RecordId id : poison.records()) {
            metrics.poison(id.topicPartition(), PoisonPolicy.FAIL);
        }
    }

    /**
     * Skips or dead-letters the set-aside records of a batch whose other records were processed successfully.
     *
     * @param poisoned the records, in the order they were named
     * @param inFlight the batch's acknowledgement tracking; dead-letter sends are added to it
     * @param batchTraceparent the batch span's context, written as {@link KasperObservations#BATCH_TRACEPARENT_HEADER}
     *     of each dead-letter copy (which keeps the original's {@code traceparent}); null when nothing is traced
     * @throws KasperException when a dead-letter record cannot be handed to the producer
     */
    void dispose(List<Poisoned> poisoned, InFlightBatch inFlight, String batchTraceparent) {
        if (poisoned.isEmpty()) {
            return;
        }
        boolean deadLetter = policy.poisonPolicy() == PoisonPolicy.DEAD_LETTER;
        for (Poisoned p : poisoned) {
            ConsumerRecord<byte[], byte[]> record = p.record();
            if (deadLetter) {
                ProducerRecord<byte[], byte[]> copy = deadLetterRecord(record, p.reason(), batchTraceparent);
                inFlight.expectAck(RecordSizes.of(copy));
                try {
                    producer.send(copy, inFlight);
                } catch (RuntimeException e) {
                    inFlight.failed(e);
                    throw new KasperException("poison message " + PoisonMessageException.RecordId.of(record)
                            + " of " + inFlight.batch() + " could not be sent to dead-letter topic '"
                            + copy.topic() + "': " + e, e);
                }
            }
            metrics.poison(new TopicPartition(record.topic(), record.partition()), policy.poisonPolicy());
        }
        log(poisoned, inFlight.batch());
    }

    private void log(List<Poisoned> poisoned, Batch batch) {
        StringBuilder ids = new StringBuilder();
        for (int i = 0; i < poisoned.size() && i < LOGGED_PER_BATCH; i++) {
            Poisoned p = poisoned.get(i);
            ids.append(i == 0 ? "" : ", ").append(PoisonMessageException.RecordId.of(p.record())).append(" (")
                    .append(reasonOf(p)).append(')');
        }
        if (poisoned.size() > LOGGED_PER_BATCH) {
            ids.append(" and ").append(poisoned.size() - LOGGED_PER_BATCH).append(" more");
        }
        String action = policy.poisonPolicy() == PoisonPolicy.DEAD_LETTER
                ? "sent to dead-letter topic '" + policy.deadLetterTopic().orElseThrow() + "'" : "skipped";
        log.warn("{} poison message(s) of {} {}: {}", poisoned.size(), batch,
                action, ids);
    }

    private ProducerRecord<byte[], byte[]> deadLetterRecord(ConsumerRecord<byte[], byte[]> record,
            PoisonMessageException reason, String batchTraceparent) {
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        Throwable failure = reason.failureOf(PoisonMessageException.RecordId.of(record));
        header(headers, ErrorPolicy.HEADER_TOPIC, record.topic());
        header(headers, ErrorPolicy.HEADER_PARTITION, Integer.toString(record.partition()));
        header(headers, ErrorPolicy.HEADER_OFFSET, Long.toString(record.offset()));
        header(headers, ErrorPolicy.HEADER_TIMESTAMP, Long.toString(record.timestamp()));
        header(headers, ErrorPolicy.HEADER_EXCEPTION_CLASS, failure.getClass().getName());
        header(headers, ErrorPolicy.HEADER_EXCEPTION_MESSAGE, failure.getMessage() == null ? ""
                : failure.getMessage());
        header(headers, ErrorPolicy.HEADER_PROCESSOR, context.processorName());
        if (batchTraceparent != null) {
            header(headers, KasperObservations.BATCH_TRACEPARENT_HEADER, batchTraceparent);
        }
        return new ProducerRecord<>(policy.deadLetterTopic().orElseThrow(), null, null, record.key(), record.value(),
                headers);
    }

    private static void header(RecordHeaders headers, String key, String value) {
        headers.remove(key); // a record dead-lettered twice keeps only the latest origin
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String reasonOf(Poisoned poisoned) {
        Throwable failure = poisoned.reason().failureOf(PoisonMessageException.RecordId.of(poisoned.record()));
        return failure == poisoned.reason() ? failure.getMessage() : failure.toString();
    }
}
