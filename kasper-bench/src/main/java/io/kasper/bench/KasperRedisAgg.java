package io.kasper.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.kasper.MessageProcessor;
import io.kasper.TopicProcessor;
import io.kasper.TopicProcessorConfig;
import io.kasper.redis.RedisStore;
import io.kasper.redis.RedisStoreConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Kasper + RedisStore: per batch one getAll of the distinct words, update, one putAll, send each new aggregate. Under
 * exactly-once only the output and the input offsets are in the Kafka transaction; the Redis writes are not.
 */
public final class KasperRedisAgg {

    private KasperRedisAgg() {
    }

    /**
     * Starts the processor; the store's keys are {@code <prefix>/<word>}.
     *
     * @param exactlyOnce EXACTLY_ONCE with the bench's transactionCommitInterval instead of AT_LEAST_ONCE
     */
    public static RunningPipeline start(Env env, String name, String input, String output, String prefix,
            boolean exactlyOnce) {
        RedisStore store = store(env, name, prefix);
        TopicProcessorConfig config = KasperPipe.config(env.bootstrap(), name, input, env.options().partitions(),
                env.options().maxUncommittedBatches());
        MessageProcessor aggregate = aggregate(store, output);
        TopicProcessor processor = new TopicProcessor(exactlyOnce ? KasperPipe.exactlyOnce(config) : config,
                p -> aggregate);
        return new RunningPipeline("kasper-redis-" + name, stop -> processor.runLoop(), () -> {
            processor.close();
            store.close();
        });
    }

    /**
     * Starts {@link Pipelines#MEMBERS} group-managed processors of one group (the default group protocol), each with
     * its own loop thread and store connection: Kasper scaled out in one JVM the way the Spring pipeline's container
     * runs its consumer threads. The store's keys are {@code <prefix>/<word>}.
     */
    public static RunningPipeline startGroup(Env env, String name, String input, String output, String prefix) {
        List<RedisStore> stores = new ArrayList<>();
        List<TopicProcessor> processors = new ArrayList<>();
        TopicProcessorConfig config = KasperPipe.groupConfig(env, name, input).build();
        for (int i = 0; i < Pipelines.MEMBERS; i++) {
            RedisStore store = store(env, name + "-" + i, prefix);
            stores.add(store);
            MessageProcessor aggregate = aggregate(store, output);
            processors.add(new TopicProcessor(config, p -> aggregate));
        }
        return KasperPipe.runMembers("kasper-redis-group-" + name, processors, () -> stores.forEach(RedisStore::close));
    }

    private static RedisStore store(Env env, String processor, String prefix) {
        return RedisStore.create(RedisStoreConfig.builder().name("aggregates").uri(env.redisUri()).prefix(prefix)
                .processor(processor).build());
    }

    /** Per batch: one getAll of its distinct words, add the batch, one putAll, send each word's new aggregate. */
    private static MessageProcessor aggregate(RedisStore store, String output) {
        return (messages, sender) -> {
            Map<String, Aggregate> delta = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> m : messages) {
                delta.merge(new String(m.key(), UTF_8), Aggregate.ZERO.add(m.value()), Aggregate::plus);
            }
            Map<String, byte[]> current = store.getAll(delta.keySet());
            Map<String, byte[]> updated = new HashMap<>();
            int partition = messages.get(0).partition();
            delta.forEach((word, d) -> {
                byte[] value = Aggregate.decode(current.get(word)).plus(d).bytes();
                updated.put(word, value);
                sender.send(new ProducerRecord<>(output, partition, word.getBytes(UTF_8), value));
            });
            store.putAll(updated);
        };
    }
}
