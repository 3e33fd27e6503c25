package io.kasper.spring.boot;

import io.kasper.GroupProtocol;
import io.kasper.PoisonPolicy;
import io.kasper.ProcessingGuarantee;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Kasper's settings under {@code kasper}: the topic processors and the stores of the application. A setting left out
 * takes the default of the Kasper builder it goes to ({@code TopicProcessorConfig}, {@code ErrorPolicy},
 * {@code RedisStoreConfig}, ...), and every value is checked by that builder, so an invalid one fails start-up with
 * Kasper's {@code InvalidConfigException} naming the field, the rule and the value.
 *
 * <p>Thread-safety: immutable, so thread-safe.
 *
 * @param processors the topic processors by key; each needs a bean annotated {@code @KasperProcessor("<key>")}
 * @param stores the stores by bean name; each sets exactly one of {@code redis}, {@code opensearch},
 *     {@code cassandra}
 */
@ConfigurationProperties("kasper")
public record KasperProperties(
        @DefaultValue Map<String, Processor> processors,
        @DefaultValue Map<String, Store> stores) {

    /**
     * One topic processor, {@code kasper.processors.<key>.*}.
     *
     * @param name the topic processor's name (logs, metric tags, consumer group); defaults to the key
     * @param bootstrapServers the Kafka cluster, {@code host:port[,host:port]}; defaults to
     *     {@code spring.kafka.bootstrap-servers} when that is set
     * @param topics the co-partitioned input topics
     * @param partitions the partitions this instance owns (static assignment); leave out with
     *     {@code group-managed: true}
     * @param groupManaged whether the consumer group assigns the partitions (default false: static {@code partitions})
     * @param groupProtocol the group protocol of a group-managed processor, {@code classic} (default) or
     *     {@code consumer}
     * @param groupInstanceId the {@code group.instance.id} (static membership) of a group-managed processor
     * @param batchSize the most messages of a batch
     * @param batchWait how long a batch waits for more messages after its first one
     * @param batchMaxBytes the most bytes of a batch
     * @param maxBufferedBytes the most bytes of input and output the processor holds
     * @param maxUncommittedBatches the most batches of a partition in flight before the loop waits for their acks
     * @param guarantee {@code at-least-once} (default) or {@code exactly-once}
     * @param transactionCommitInterval under exactly-once, how often the open transaction is committed
     * @param closeTimeout how long closing waits for acknowledgements and the final commit; keep it below
     *     {@code spring.lifecycle.timeout-per-shutdown-phase}
     * @param kafka Kafka properties for the consumer, the producer and the admin client (security, client ids ...)
     * @param consumer Kafka properties for the consumer only
     * @param producer Kafka properties for the producer only
     * @param keyDeserializer the Kafka {@code Deserializer} of keys for a {@code TypedMessageProcessor} bean
     *     (default {@code StringDeserializer})
     * @param valueDeserializer the Kafka {@code Deserializer} of values for a {@code TypedMessageProcessor} bean
     *     (default {@code StringDeserializer})
     * @param errorPolicy poison messages, retries and broker outages
     * @param shutdownOnFailure whether a failure of this processor closes the application context (default false:
     *     the failure is logged, the processor's health turns DOWN and the application's liveness state BROKEN)
     * @param autoStartup whether the processor starts with the application context (default true)
     */
    public record Processor(
            String name,
            String bootstrapServers,
            @DefaultValue List<String> topics,
            @DefaultValue List<Integer> partitions,
            @DefaultValue("false") boolean groupManaged,
            GroupProtocol groupProtocol,
            String groupInstanceId,
            Integer batchSize,
            Duration batchWait,
            Long batchMaxBytes,
            Long maxBufferedBytes,
            Integer maxUncommittedBatches,
            ProcessingGuarantee guarantee,
            Duration transactionCommitInterval,
            Duration closeTimeout,
            @DefaultValue Map<String, String> kafka,
            @DefaultValue Map<String, String> consumer,
            @DefaultValue Map<String, String> producer,
            Class<?> keyDeserializer,
            Class<?> valueDeserializer,
            @DefaultValue ErrorPolicy errorPolicy,
            @DefaultValue("false") boolean shutdownOnFailure,
            @DefaultValue("true") boolean autoStartup) {
    }

    /**
     * A processor's error policy, {@code kasper.processors.<key>.error-policy.*}.
     *
     * @param poisonPolicy what a poison message does: {@code fail} (default), {@code skip} or {@code dead-letter}
     * @param deadLetterTopic the topic of {@code dead-letter}
     * @param maxRetries how often a transiently failing batch is retried
     * @param retryBackoff the wait before the first retry; it doubles up to {@code max-retry-backoff}
     * @param maxRetryBackoff the longest wait between two retries
     * @param brokerOutageTimeout how long the processor rides out an unreachable cluster before failing
     */
    public record ErrorPolicy(
            PoisonPolicy poisonPolicy,
            String deadLetterTopic,
            Integer maxRetries,
            Duration retryBackoff,
            Duration maxRetryBackoff,
            Duration brokerOutageTimeout) {
    }

    /**
     * One store bean, {@code kasper.stores.<bean name>.*}: set exactly one of the three; its adapter module
     * ({@code kasper-redis}, {@code kasper-opensearch}, {@code kasper-cassandra}) must be on the classpath.
     *
     * @param redis a {@code RedisStore}
     * @param opensearch an {@code OpenSearchStore}
     * @param cassandra a {@code CassandraStore}
     */
    public record Store(Redis redis, OpenSearch opensearch, Cassandra cassandra) {
    }

    /**
     * A {@code RedisStore}, {@code kasper.stores.<bean name>.redis.*}.
     *
     * @param uri the Redis URI, {@code redis://host:port/db}
     * @param prefix the prefix of every key; defaults to the bean name
     * @param commandTimeout how long a command may take
     * @param connectTimeout how long connecting may take
     * @param maxKeysPerCommand the most keys of one bulk command
     * @param flushReplicas how many replicas a flush waits for
     */
    public record Redis(
            String uri,
            String prefix,
            Duration commandTimeout,
            Duration connectTimeout,
            Integer maxKeysPerCommand,
            Integer flushReplicas) {
    }

    /**
     * An {@code OpenSearchStore}, {@code kasper.stores.<bean name>.opensearch.*}.
     *
     * @param uri the cluster, {@code http://host:port}
     * @param username the basic-auth user, with {@code password}
     * @param password the basic-auth password
     * @param index the index
     * @param refresh an {@code OpenSearchRefresh} constant
     * @param requestTimeout how long a request may take
     * @param connectTimeout how long connecting may take
     * @param manageIndices whether the store creates its indices
     */
    public record OpenSearch(
            String uri,
            String username,
            String password,
            String index,
            String refresh,
            Duration requestTimeout,
            Duration connectTimeout,
            Boolean manageIndices) {
    }

    /**
     * A {@code CassandraStore}, {@code kasper.stores.<bean name>.cassandra.*}.
     *
     * @param contactPoints the contact points, {@code host:port}
     * @param localDatacenter the local datacenter
     * @param username the user, with {@code password}
     * @param password the password
     * @param keyspace the keyspace
     * @param table the table
     * @param createTable whether the store creates its table
     * @param readConsistency a driver {@code DefaultConsistencyLevel} for reads
     * @param writeConsistency a driver {@code DefaultConsistencyLevel} for writes
     * @param maxInFlight the most requests in flight
     * @param requestTimeout how long a request may take
     */
    public record Cassandra(
            @DefaultValue List<String> contactPoints,
            String localDatacenter,
            String username,
            String password,
            String keyspace,
            String table,
            Boolean createTable,
            String readConsistency,
            String writeConsistency,
            Integer maxInFlight,
            Duration requestTimeout) {
    }
}
