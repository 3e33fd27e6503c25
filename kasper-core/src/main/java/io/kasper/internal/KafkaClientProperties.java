package io.kasper.internal;

import io.kasper.GroupProtocol;
import io.kasper.TopicProcessorConfig;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Derives the Kafka client properties of a topic processor: Kasper's defaults, then the user's pass-through
 * properties, then the settings the delivery guarantee depends on (under exactly-once, the transactional id). Every
 * client id starts with the instance id (see {@link ProcessorInstances}). Thread-safe (immutable).
 */
final class KafkaClientProperties {

    /** A socket buffer size of -1: the operating system's default, which Linux grows with the traffic. */
    static final int OS_DEFAULT_SOCKET_BUFFER = -1;

    /**
     * The admin client's first retry backoff, in ms (Kafka's default: 100). Kafka 4's admin client describes a group
     * with the consumer protocol's API first and, when the broker does not know the group under it (a new group, or a
     * classic one), asks again with the classic API after this backoff: every static processor's start checks its
     * group that way and paid the full 100 ms. Later retries still back off exponentially up to
     * {@code retry.backoff.max.ms} (1 s), so a cluster that keeps failing is not asked much more often.
     */
    static final long ADMIN_RETRY_BACKOFF_MS = 10;

    private final TopicProcessorConfig config;
    private final String clientIdPrefix;
    private final String transactionalId;

    KafkaClientProperties(TopicProcessorConfig config) {
        this.config = config;
        // Distinct client ids keep JMX registrations of several instances in one JVM apart.
        this.clientIdPrefix = ProcessorInstances.next(config.topicProcessorName());
        this.transactionalId = config.isExactlyOnce() ? transactionalId(config) : null;
    }

    /**
     * Returns the producer's {@code transactional.id} under exactly-once. Static mode: stable, from the processor
     * name and its sorted partitions ({@code kasper-<name>-partitions-0,1,2}), so that an instance restarted with the
     * same partitions fences its predecessor (two running instances with overlapping partitions are a mistake this
     * cannot catch when their sets differ). Group-managed mode: from the name and the {@code groupInstanceId}, else a
     * random UUID ({@code kasper-<name>-member-<id>}): zombies are fenced by the group generation passed to
     * {@code sendOffsetsToTransaction} (KIP-447), so the id only has to be unique among live instances.
     */
    static String transactionalId(TopicProcessorConfig config) {
        String prefix = "kasper-" + config.topicProcessorName();
        if (!config.isGroupManaged()) {
            return prefix + "-partitions-" + new TreeSet<>(config.inputPartitions()).stream().map(String::valueOf)
                    .collect(Collectors.joining(","));
        }
        return prefix + "-member-" + config.groupInstanceId().orElseGet(() -> UUID.randomUUID().toString());
    }

    /** Returns the producer's {@code transactional.id}, or null unless the processor runs exactly-once. */
    String transactionalId() {
        return transactionalId;
    }

    /** Returns the instance id: the prefix of the client ids and the {@code instance} tag of the meters. */
    String instanceId() {
        return clientIdPrefix;
    }

    Map<String, Object> admin() {
        Map<String, Object> props = new HashMap<>();
        props.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientIdPrefix + "-admin");
        props.put(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, ADMIN_RETRY_BACKOFF_MS);
        props.putAll(config.kafkaProperties());
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        return props;
    }

    Map<String, Object> consumer() {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientIdPrefix + "-consumer");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.max(500, Math.min(config.batchSize(), 10_000)));
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // What the consumer has fetched but poll() has not returned yet is outside the byte budget: keep it small
        // next to the budget (Kafka's defaults, 50 MiB and 1 MiB, unless a quarter of the budget is less).
        int fetchMax = (int) Math.max(1, Math.min(ConsumerConfig.DEFAULT_FETCH_MAX_BYTES,
                config.maxBufferedBytes() / 4));
        props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, fetchMax);
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                Math.min(ConsumerConfig.DEFAULT_MAX_PARTITION_FETCH_BYTES, fetchMax));
        // The consumer reads its socket only inside poll(): with Kafka's fixed 64 KiB buffer a fetch response stalls
        // while the loop processes and produces; the OS's self-tuning buffer lets it arrive meanwhile.
        props.put(ConsumerConfig.RECEIVE_BUFFER_CONFIG, OS_DEFAULT_SOCKET_BUFFER);
        props.putAll(config.kafkaProperties());
        props.putAll(config.consumerProperties());
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.consumerGroupId());
        if (config.isGroupManaged() && config.groupProtocol() == GroupProtocol.CONSUMER) {
            // The broker's range assignor gives a member the same partition numbers of every topic; the classic-only
            // settings (assignment strategy, session timeout, heartbeat interval) are refused by build().
            props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, GroupProtocol.CONSUMER.name().toLowerCase(Locale.ROOT));
            props.put(ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG,
                    TopicProcessorConfig.CO_PARTITIONING_REMOTE_ASSIGNOR);
            config.groupInstanceId().ifPresent(id -> props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, id));
        } else if (config.isGroupManaged()) {
            // The eager classic protocol with the RangeAssignor is what keeps partition p of all topics together.
            props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, GroupProtocol.CLASSIC.name().toLowerCase(Locale.ROOT));
            props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, TopicProcessorConfig.CO_PARTITIONING_ASSIGNOR);
            config.groupInstanceId().ifPresent(id -> props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, id));
        }
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return props;
    }

    Map<String, Object> producer() {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientIdPrefix + "-producer");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        // The producer retries output (idempotently, in order) for as long as the processor rides out an outage.
        long outageMillis = config.errorPolicy().brokerOutageTimeout().toMillis();
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, outageMillis));
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(30_000, outageMillis / 2));
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Math.min(60_000, outageMillis));
        if (config.isExactlyOnce()) {
            // short, like Kafka Streams': a crashed member's open transaction holds back read_committed readers
            // until the broker aborts it
            props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                    (int) TopicProcessorConfig.DEFAULT_TRANSACTION_TIMEOUT_MS);
        }
        props.putAll(config.kafkaProperties());
        props.putAll(config.producerProperties());
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        if (config.isExactlyOnce()) {
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return props;
    }
}
