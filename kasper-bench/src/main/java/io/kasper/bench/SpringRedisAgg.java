package io.kasper.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The Spring for Apache Kafka stateful pipeline: a batch listener (see {@link SpringBatchContainer}) that does what
 * {@link HandRolledRedisAgg} does per poll: per partition one Lettuce MGET of the distinct words, update, one MSET,
 * send the new aggregate of each changed word; then the listener flushes and the container commits. Redis keys are
 * {@code <prefix>/<word>}; the container's consumer threads share one Lettuce connection (it is thread-safe).
 */
public final class SpringRedisAgg {

    private SpringRedisAgg() {
    }

    /** Starts the container on {@code input} under {@code group}. */
    public static RunningPipeline start(Env env, String group, String input, String output, String prefix) {
        RedisClient client = RedisClient.create(env.redisUri());
        StatefulRedisConnection<String, String> connection;
        try {
            connection = client.connect();
        } catch (RuntimeException e) {
            client.shutdown();
            throw e;
        }
        RedisCommands<String, String> redis = connection.sync();
        SpringBatchContainer.Batch aggregate = (records, out) -> {
            for (Map.Entry<Integer, List<ConsumerRecord<byte[], byte[]>>> p : byPartition(records).entrySet()) {
                Map<String, Aggregate> updated = HandRolledRedisAgg.update(redis, prefix, p.getValue());
                for (Map.Entry<String, Aggregate> e : updated.entrySet()) {
                    out.send(output, p.getKey(), e.getKey().getBytes(UTF_8), e.getValue().bytes());
                }
            }
        };
        return SpringBatchContainer.start(env, "spring-redis-agg", group, input, aggregate, () -> {
            connection.close();
            client.shutdown();
        });
    }

    /** Groups a poll's records by partition, in order (a batch listener gets them as one list). */
    private static Map<Integer, List<ConsumerRecord<byte[], byte[]>>> byPartition(
            List<ConsumerRecord<byte[], byte[]>> records) {
        Map<Integer, List<ConsumerRecord<byte[], byte[]>>> map = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            map.computeIfAbsent(r.partition(), k -> new ArrayList<>()).add(r);
        }
        return map;
    }
}
