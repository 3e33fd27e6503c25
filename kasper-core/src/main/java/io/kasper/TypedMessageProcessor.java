package io.kasper;

import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A {@link MessageProcessor} of deserialized records; wrap it in a {@link DeserializingProcessor}.
 *
 * <p>Thread-safety: as {@link MessageProcessor}.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
@FunctionalInterface
public interface TypedMessageProcessor<K, V> {

    /**
     * Processes one batch of deserialized records.
     *
     * @param messages the batch: never empty, unmodifiable, all of one partition number, without the records that
     *     could not be deserialized
     * @param sender buffers output messages; valid only until this call returns
     * @throws Exception as {@link MessageProcessor#process}; a {@link PoisonMessageException} naming typed records
     *     is handled by the {@link ErrorPolicy} as for raw records
     */
    void process(List<ConsumerRecord<K, V>> messages, Sender sender) throws Exception;
}
