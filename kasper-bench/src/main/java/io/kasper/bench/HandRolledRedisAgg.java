package io.kasper.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The hand-rolled stateful loop: poll → per partition one MGET of the distinct keys, update, one MSET, send the new
 * aggregate of each changed key → producer.flush() → commit ({@link HandRolledLoop}, {@link LoopCommit}). Redis keys
 * are {@code <prefix>/<word>}.
 */
public final class HandRolledRedisAgg {

    private HandRolledRedisAgg() {
    }

    /** Starts the loop over every partition of {@code input}. */
    public static RunningPipeline start(Env env, String group, String input, String output, String prefix,
            LoopCommit commit) {
        return start(env, group, input, output, prefix, commit, 1);
    }

    /**
     * Starts the loop on {@code threads} threads, each a loop of its own (its own consumer, producer and Redis
     * connection) over its share of the partitions ({@link HandRolledPipe#share}).
     */
    public static RunningPipeline start(Env env, String group, String input, String output, String prefix,
            LoopCommit commit, int threads) {
        return new RunningPipeline("hand-rolled-redis", threads, member -> stop -> {
            RedisClient client = RedisClient.create(env.redisUri());
            try (StatefulRedisConnection<String, String> connection = client.connect();
                    KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(env.consumerProps(group));
                    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(env.producerProps())) {
                RedisCommands<String, String> redis = connection.sync();
                consumer.assign(HandRolledPipe.share(input, env.options().partitions(), member, threads));
                HandRolledLoop.run(stop, consumer, producer, commit, (records, onSent) -> {
                    for (TopicPartition tp : records.partitions()) {
                        Map<String, Aggregate> updated = update(redis, prefix, records.records(tp));
                        for (Map.Entry<String, Aggregate> e : updated.entrySet()) {
                            producer.send(new ProducerRecord<>(output, tp.partition(), e.getKey().getBytes(UTF_8),
                                    e.getValue().bytes()), onSent);
                        }
                    }
                });
            } finally {
                client.shutdown();
            }
        }, null);
    }

    /**
     * Reads the aggregates of the distinct words of one partition's records (one MGET), adds the records, writes them
     * back (one MSET) and returns the new aggregate of each word; also the per-partition step of {@link SpringRedisAgg}.
     */
    static Map<String, Aggregate> update(RedisCommands<String, String> redis, String prefix,
            List<ConsumerRecord<byte[], byte[]>> records) {
        Set<String> words = new LinkedHashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            words.add(new String(r.key(), UTF_8));
        }
        List<String> keys = new ArrayList<>(words.size());
        for (String w : words) {
            keys.add(prefix + "/" + w);
        }
        Map<String, Aggregate> current = new HashMap<>();
        for (KeyValue<String, String> kv : redis.mget(keys.toArray(String[]::new))) {
            current.put(kv.getKey().substring(prefix.length() + 1), Aggregate.decode(kv.getValueOrElse(null)));
        }
        for (ConsumerRecord<byte[], byte[]> r : records) {
            current.merge(new String(r.key(), UTF_8), Aggregate.ZERO.add(r.value()), Aggregate::plus);
        }
        Map<String, String> toWrite = new LinkedHashMap<>();
        current.forEach((w, a) -> toWrite.put(prefix + "/" + w, a.encode()));
        redis.mset(toWrite);
        return current;
    }

    /** Reads the aggregates of the given words under a prefix, as an independent Lettuce client. */
    public static Map<String, Aggregate> read(String redisUri, String prefix, Set<String> words) {
        RedisClient client = RedisClient.create(redisUri);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            Map<String, Aggregate> result = new HashMap<>();
            List<String> all = new ArrayList<>(words);
            for (int from = 0; from < all.size(); from += 10_000) {
                String[] keys = all.subList(from, Math.min(all.size(), from + 10_000)).stream()
                        .map(w -> prefix + "/" + w).toArray(String[]::new);
                for (KeyValue<String, String> kv : connection.sync().mget(keys)) {
                    if (kv.hasValue()) {
                        result.put(kv.getKey().substring(prefix.length() + 1), Aggregate.decode(kv.getValue()));
                    }
                }
            }
            return result;
        } finally {
            client.shutdown();
        }
    }
}
