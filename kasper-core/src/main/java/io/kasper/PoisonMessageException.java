package io.kasper;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Thrown by a {@link MessageProcessor} to mark one or more input records of its batch as poison: records that can
 * never be processed (malformed, undecodable, semantically invalid). The {@link ErrorPolicy}'s {@link PoisonPolicy}
 * decides what happens: fail the batch (default), skip the records, or send them to a dead-letter topic; in the last
 * two cases the processor is called again with the rest of the batch.
 *
 * <p>Records are identified by topic, partition and offset, so records of a different type (for instance after
 * deserialization, see {@link DeserializingProcessor}) identify the input records they came from.
 *
 * <p>Immutable and thread-safe.
 */
public class PoisonMessageException extends KasperException {

    private static final long serialVersionUID = 1L;

    /** The topic, partition and offset of one poison record. */
    private final List<RecordId> records;
    /** The failure of each record when they failed each in its own way, else empty. */
    private final Map<RecordId, Throwable> causes;

    /**
     * Marks one record as poison.
     *
     * @param record the poison record (any key and value type)
     * @param reason why it cannot be processed
     * @param cause the underlying failure, or null
     * @throws NullPointerException when {@code record} is null
     */
    public PoisonMessageException(ConsumerRecord<?, ?> record, String reason, Throwable cause) {
        this(List.of(Objects.requireNonNull(record, "record")), reason, cause);
    }

    /**
     * Marks several records of the batch as poison at once (cheaper than one exception per record: the rest of the
     * batch is processed again only once).
     *
     * @param records the poison records, at least one
     * @param reason why they cannot be processed
     * @param cause the underlying failure (for instance of the first record), or null
     * @throws IllegalArgumentException when {@code records} is empty
     */
    public PoisonMessageException(Collection<? extends ConsumerRecord<?, ?>> records, String reason,
            Throwable cause) {
        super(describe(records, reason), cause);
        List<RecordId> ids = new ArrayList<>();
        for (ConsumerRecord<?, ?> record : records) {
            ids.add(RecordId.of(record));
        }
        this.records = List.copyOf(ids);
        this.causes = Map.of();
    }

    /**
     * Marks several records of the batch as poison, each with its own failure: a dead-letter copy of each record
     * then carries its own exception class and message, not the first record's. The first failure becomes this
     * exception's cause.
     *
     * @param failures the poison records with the failure of each, at least one, in the order of the batch (the
     *     map's iteration order)
     * @param reason why they cannot be processed, in general terms (each failure is named in the dead-letter
     *     headers and logs)
     * @throws IllegalArgumentException when {@code failures} is empty
     * @throws NullPointerException when a failure is null
     */
    public PoisonMessageException(Map<? extends ConsumerRecord<?, ?>, ? extends Throwable> failures, String reason) {
        super(describe(failures.keySet(), reason), failures.values().stream().findFirst().orElse(null));
        List<RecordId> ids = new ArrayList<>();
        Map<RecordId, Throwable> each = new LinkedHashMap<>();
        failures.forEach((record, failure) -> {
            RecordId id = RecordId.of(record);
            ids.add(id);
            each.put(id, Objects.requireNonNull(failure, () -> "failure of " + id));
        });
        this.records = List.copyOf(ids);
        this.causes = Map.copyOf(each);
    }

    /**
     * Returns the topic, partition and offset of every poison record, in the order given.
     *
     * @return the topic, partition and offset of every poison record, in the order given
     */
    public List<RecordId> records() {
        return records;
    }

    /**
     * Returns why one of the poison records failed: its own failure when each record was given one, else this
     * exception's cause, else this exception.
     *
     * @param record a record named by this exception (any other gets the general answer)
     * @return the failure to report for the record, never null
     */
    public Throwable failureOf(RecordId record) {
        Throwable own = causes.get(record);
        if (own != null) {
            return own;
        }
        return getCause() != null ? getCause() : this;
    }

    private static String describe(Collection<? extends ConsumerRecord<?, ?>> records, String reason) {
        if (records == null || records.isEmpty()) {
            throw new IllegalArgumentException("a PoisonMessageException needs at least one record, got " + records);
        }
        StringBuilder text = new StringBuilder("poison message");
        text.append(records.size() == 1 ? " " : "s ");
        int shown = 0;
        for (ConsumerRecord<?, ?> record : records) {
            if (shown == 5) {
                text.append(", ... (").append(records.size()).append(" in all)");
                break;
            }
            text.append(shown++ == 0 ? "" : ", ").append(record.topic()).append('-').append(record.partition())
                    .append('@').append(record.offset());
        }
        return text.append(": ").append(reason).toString();
    }

    /**
     * The position of one input record.
     *
     * @param topicPartition its topic and partition
     * @param offset its offset
     */
    public record RecordId(TopicPartition topicPartition, long offset) {

        /**
         * Returns the position of a record.
         *
         * @param record any record
         * @return its topic, partition and offset
         */
        public static RecordId of(ConsumerRecord<?, ?> record) {
            return new RecordId(new TopicPartition(record.topic(), record.partition()), record.offset());
        }

        @Override
        public String toString() {
            return topicPartition + "@" + offset;
        }
    }
}
