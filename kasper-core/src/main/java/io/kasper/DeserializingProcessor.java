package io.kasper;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * A {@link MessageProcessor} that deserializes every key and value with the given Kafka deserializers and hands the
 * typed records to a {@link TypedMessageProcessor}.
 *
 * <p>Records whose key or value cannot be deserialized (the deserializer throws, or returns null for a non-null
 * value) are poison: the whole batch is deserialized first, then one {@link PoisonMessageException} naming every such
 * record, each with its own failure, is thrown before the typed processor sees anything, and the {@link ErrorPolicy}'s {@link PoisonPolicy}
 * decides (fail the batch, skip them, or dead-letter them and process the rest).
 *
 * <p>Thread-safety: as thread-safe as the deserializers and the typed processor; a {@link TopicProcessor} calls it
 * from one thread.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class DeserializingProcessor<K, V> implements MessageProcessor {

    private final Deserializer<K> keyDeserializer;
    private final Deserializer<V> valueDeserializer;
    private final TypedMessageProcessor<K, V> processor;

    /**
     * Creates the processor.
     *
     * @param keyDeserializer deserializes keys (a null key stays null)
     * @param valueDeserializer deserializes values (a null value, a tombstone, stays null)
     * @param processor receives the typed records
     * @throws NullPointerException when an argument is null
     */
    public DeserializingProcessor(Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer,
            TypedMessageProcessor<K, V> processor) {
        this.keyDeserializer = Objects.requireNonNull(keyDeserializer, "keyDeserializer");
        this.valueDeserializer = Objects.requireNonNull(valueDeserializer, "valueDeserializer");
        this.processor = Objects.requireNonNull(processor, "processor");
    }

    /**
     * Deserializes the batch and processes the typed records.
     *
     * @throws PoisonMessageException naming every record that could not be deserialized
     * @throws Exception what the typed processor throws
     */
    @Override
    public void process(List<ConsumerRecord<byte[], byte[]>> messages, Sender sender) throws Exception {
        List<ConsumerRecord<K, V>> typed = new ArrayList<>(messages.size());
        // ConsumerRecord keeps Object's identity equality, so each record is its own key
        Map<ConsumerRecord<byte[], byte[]>, RuntimeException> poison = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> m : messages) {
            try {
                K key = m.key() == null ? null : keyDeserializer.deserialize(m.topic(), m.headers(), m.key());
                V value = m.value() == null ? null
                        : valueDeserializer.deserialize(m.topic(), m.headers(), m.value());
                if (m.value() != null && value == null) {
                    throw new IllegalArgumentException(valueDeserializer.getClass().getSimpleName()
                            + " returned null for a value of " + m.value().length + " bytes");
                }
                typed.add(new ConsumerRecord<>(m.topic(), m.partition(), m.offset(), m.timestamp(),
                        m.timestampType(), m.serializedKeySize(), m.serializedValueSize(), key, value, m.headers(),
                        m.leaderEpoch()));
            } catch (RuntimeException e) {
                poison.put(m, e);
            }
        }
        if (!poison.isEmpty()) {
            throw new PoisonMessageException(poison, "cannot be deserialized: " + poison.values().iterator().next()
                    + (poison.size() > 1 ? " (the first; each record's own failure goes to the dead-letter headers)"
                            : ""));
        }
        processor.process(Collections.unmodifiableList(typed), sender);
    }

    /**
     * Returns the wrapped typed processor.
     *
     * @return the wrapped typed processor
     */
    public TypedMessageProcessor<K, V> processor() {
        return processor;
    }

    @Override
    public String toString() {
        return "DeserializingProcessor{" + processor + "}";
    }
}
