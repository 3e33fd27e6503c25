package io.kasper.examples;

import io.kasper.MessageProcessor;
import io.kasper.ProcessingGuarantee;
import io.kasper.Sender;
import io.kasper.TopicProcessor;
import io.kasper.redis.RedisStore;
import io.kasper.redis.RedisStoreConfig;
import io.kasper.store.Codec;
import io.kasper.store.Store;
import io.kasper.store.TypedStore;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The idempotent-store example: counts the records of each key in a {@link Store} (Redis in {@link #create}) so that
 * the counts stay exact when a batch is processed again, and sends the current count of every key of a batch to an
 * output topic.
 *
 * <p>A store is not part of Kafka's transaction: under {@link ProcessingGuarantee#EXACTLY_ONCE} a batch processed
 * again after an aborted transaction or a crash has already written its state once. So the state carries, for each
 * input topic-partition, the offset of the last record it applied, written in the same {@code putAll} as the counts
 * (one Redis {@code MSET}, which is atomic); a record at or below that offset is skipped. The output is the current
 * count of every key of the batch, skipped records included, so output lost with an aborted transaction is sent again
 * from the state. Keys must be partitioned by key (Kafka's default), so that one partition owns each count.
 *
 * <p>Thread-safety: keeps no state of its own; a {@link TopicProcessor} calls {@code process} from its single loop
 * thread, so one instance serves every partition. Instances of other processes may share the store: each partition,
 * and so each key, is owned by one of them at a time.
 */
public final class IdempotentCount implements MessageProcessor {

    private final TypedStore<Long> state;
    private final String countsTopic;

    /**
     * Creates the processor.
     *
     * @param store where the counts and the applied offsets are kept
     * @param countsTopic receives {@code key -> count} (UTF-8 decimal) for every key of each batch
     */
    public IdempotentCount(Store store, String countsTopic) {
        this.state = new TypedStore<>(Objects.requireNonNull(store, "store"), Codec.int64());
        this.countsTopic = Objects.requireNonNull(countsTopic, "countsTopic");
    }

    /**
     * Builds an exactly-once topic processor of {@code inputTopic} whose counts are kept in Redis; call
     * {@code runLoop()} to start it, and close the store after the processor.
     *
     * @param settings cluster, processor name, partitions and metrics
     * @param inputTopic the topic whose records are counted by key
     * @param countsTopic the topic of current counts
     * @param store the store of counts and applied offsets, for example {@link #redisStore}
     * @return the processor, not yet running
     * @throws io.kasper.InvalidConfigException when the settings are invalid
     */
    public static TopicProcessor create(ExampleSettings settings, String inputTopic, String countsTopic,
            Store store) {
        IdempotentCount counter = new IdempotentCount(store, countsTopic);
        return new TopicProcessor(settings.configFor(inputTopic)
                .processingGuarantee(ProcessingGuarantee.EXACTLY_ONCE).build(), partition -> counter);
    }

    /**
     * Opens the Redis store of the counts.
     *
     * @param uri the Redis URI, e.g. {@code redis://127.0.0.1:6379/0}
     * @param prefix prefix of every key the example writes
     * @return the store; close it after the processor
     * @throws io.kasper.InvalidConfigException when the URI is invalid
     */
    public static RedisStore redisStore(String uri, String prefix) {
        return RedisStore.create(RedisStoreConfig.builder().name("idempotent-count").uri(uri).prefix(prefix)
                .build());
    }

    // tag::idempotent-store[]
    @Override
    public void process(List<ConsumerRecord<byte[], byte[]>> messages, Sender sender) {
        Set<String> keys = new LinkedHashSet<>();
        Set<String> positions = new LinkedHashSet<>();
        for (ConsumerRecord<byte[], byte[]> m : messages) {
            keys.add("count/" + key(m));
            positions.add("applied/" + m.topic() + "-" + m.partition());
        }
        Map<String, Long> updates = new HashMap<>(state.getAll(keys));       // one MGET
        Map<String, Long> applied = state.getAll(positions);                  // the last offset applied
        for (ConsumerRecord<byte[], byte[]> m : messages) {
            String position = "applied/" + m.topic() + "-" + m.partition();
            if (m.offset() <= applied.getOrDefault(position, -1L)) {
                continue;                                       // already in the state: a batch processed again
            }
            updates.merge("count/" + key(m), 1L, Long::sum);
            updates.put(position, m.offset());
        }
        state.putAll(updates);                         // counts and offsets in one MSET: both or neither
        for (String key : keys) {                      // skipped records too: their output may have been aborted
            sender.send(new ProducerRecord<>(countsTopic, key.substring("count/".length())
                    .getBytes(StandardCharsets.UTF_8), Long.toString(updates.getOrDefault(key, 0L))
                    .getBytes(StandardCharsets.UTF_8)));
        }
    }
    // end::idempotent-store[]

    private static String key(ConsumerRecord<byte[], byte[]> record) {
        return record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
    }
}
