package io.kasper;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.core.instrument.Metrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * The immutable configuration of a {@link TopicProcessor}, built with {@link #builder()}.
 *
 * <pre>{@code
 * TopicProcessorConfig config = TopicProcessorConfig.builder()
 *     .topicProcessorName("twitter-reach")
 *     .bootstrapServers("localhost:9092")
 *     .inputTopics("tweets", "twitter-followers")
 *     .inputPartitions(0, 1, 2, 3)
 *     .batchSize(10_000)
 *     .batchWaitDuration(Duration.ofSeconds(5))
 *     .build();
 * }</pre>
 *
 * <p>Kafka client properties pass through: {@link Builder#kafkaProperty} applies to the consumer, the producer and the
 * admin client, {@link Builder#consumerProperty} and {@link Builder#producerProperty} to one client only, and they
 * override Kasper's defaults, except where that would break the at-least-once promise (see {@link Builder#build()}).
 *
 * <p>Metrics go to {@link Metrics#globalRegistry} unless {@link Builder#meterRegistry} names another registry, as for
 * the stores' configs; the global registry records nothing until the application adds a registry to it.
 * Observations (for tracing, see {@link KasperObservations}) go to {@link Builder#observationRegistry}, none by
 * default.
 *
 * <p>{@link #toBuilder()} gives a builder holding every setting, to derive a config that differs in a few.
 * {@link #equals(Object)} compares every setting; the meter and observation registries and the partition listener by
 * identity.
 *
 * <p>Thread-safety: immutable, so thread-safe.
 */
public final class TopicProcessorConfig {

    /** Default {@code batchSize}: messages per batch. */
    public static final int DEFAULT_BATCH_SIZE = 1000;
    /** Default {@code batchWaitDuration}: the longest a message waits for its batch to fill up. */
    public static final Duration DEFAULT_BATCH_WAIT_DURATION = Duration.ofSeconds(5);
    /** Default {@code closeTimeout}: how long closing waits for outstanding acknowledgements and the final commit. */
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(30);
    /**
     * Default {@code maxUncommittedBatches}: batches of one partition processed but not yet committed. Also the most
     * batches of a partition that a fault (crash, broker outage, failed produce) can make Kasper deliver again.
     */
    public static final int DEFAULT_MAX_UNCOMMITTED_BATCHES = 4;
    /**
     * Share of the JVM's maximum heap ({@link Runtime#maxMemory()}) that {@code maxBufferedBytes} defaults to: a
     * quarter, leaving the rest to the application, the Kafka clients' own buffers and garbage not yet collected.
     */
    public static final double DEFAULT_MAX_BUFFERED_HEAP_FRACTION = 0.25;
    /** {@code maxBufferedBytes} when the JVM reports no maximum heap ({@code Runtime.maxMemory()} unlimited). */
    public static final long DEFAULT_MAX_BUFFERED_BYTES_WITHOUT_HEAP_LIMIT = 256L * 1024 * 1024;
    /**
     * {@code batchMaxBytes} defaults to {@code maxBufferedBytes} divided by this, so that several batches (being
     * filled, processed and acknowledged) fit in the budget.
     */
    public static final int DEFAULT_BATCH_MAX_BYTES_DIVISOR = 8;
    /** Prefix of the consumer group id; the topic processor name follows it. */
    public static final String CONSUMER_GROUP_PREFIX = "kasper-topic-processor-";
    /**
     * The only partition assignor allowed in group-managed mode: with equal partition counts and identical
     * subscriptions it gives partition p of every input topic to the same member (see the README, "Scaling out").
     */
    public static final String CO_PARTITIONING_ASSIGNOR = "org.apache.kafka.clients.consumer.RangeAssignor";
    /**
     * The broker-side assignor ({@code group.remote.assignor}) Kasper asks for under {@link GroupProtocol#CONSUMER}:
     * with equal partition counts it gives a member the same partition numbers of every subscribed topic, and it is
     * sticky.
     */
    public static final String CO_PARTITIONING_REMOTE_ASSIGNOR = "range";
    /**
     * Default {@code groupProtocol}: {@link GroupProtocol#CLASSIC}, which every broker supports; brokers older than
     * Kafka 4.0 lack {@link GroupProtocol#CONSUMER}.
     */
    public static final GroupProtocol DEFAULT_GROUP_PROTOCOL = GroupProtocol.CLASSIC;
    /** Default {@code processingGuarantee}: {@link ProcessingGuarantee#AT_LEAST_ONCE}. */
    public static final ProcessingGuarantee DEFAULT_PROCESSING_GUARANTEE = ProcessingGuarantee.AT_LEAST_ONCE;
    /**
     * Default {@code transactionCommitInterval} under {@link ProcessingGuarantee#EXACTLY_ONCE}: 100 ms, like Kafka
     * Streams' default commit interval under exactly-once.
     */
    public static final Duration DEFAULT_TRANSACTION_COMMIT_INTERVAL = Duration.ofMillis(100);
    /**
     * The producer's {@code transaction.timeout.ms} under {@link ProcessingGuarantee#EXACTLY_ONCE} when none is set:
     * {@value} ms, like Kafka Streams' under exactly-once (Kafka's own default is 60 s).
     */
    public static final long DEFAULT_TRANSACTION_TIMEOUT_MS = 10_000;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

    private final String topicProcessorName;
    private final String bootstrapServers;
    private final List<String> inputTopics;
    private final List<Integer> inputPartitions;
    private final int batchSize;
    private final Duration batchWaitDuration;
    private final Duration closeTimeout;
    private final MeterRegistry meterRegistry;
    private final ObservationRegistry observationRegistry;
    private final Map<String, Object> kafkaProperties;
    private final Map<String, Object> consumerProperties;
    private final Map<String, Object> producerProperties;
    private final boolean groupManaged;
    private final GroupProtocol groupProtocol;
    private final ProcessingGuarantee processingGuarantee;
    private final Duration transactionCommitInterval;
    /** As given to the builder, null for the default: {@link #toBuilder()} keeps it unset. */
    private final Duration givenTransactionCommitInterval;
    private final String groupInstanceId;
    private final PartitionListener partitionListener;
    private final ErrorPolicy errorPolicy;
    private final int maxUncommittedBatches;
    private final long batchMaxBytes;
    private final long maxBufferedBytes;
    /** As given to the builder, null for the default: {@link #toBuilder()} keeps the defaults derived. */
    private final Long givenBatchMaxBytes;
    private final Long givenMaxBufferedBytes;

    private TopicProcessorConfig(Builder b, long maxBufferedBytes, long batchMaxBytes) {
        this.topicProcessorName = b.topicProcessorName;
        this.bootstrapServers = b.bootstrapServers != null ? b.bootstrapServers
                : String.valueOf(b.kafkaProperties.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG));
        this.inputTopics = List.copyOf(b.inputTopics);
        this.inputPartitions = b.inputPartitions == null ? List.of() : List.copyOf(b.inputPartitions);
        this.batchSize = b.batchSize;
        this.batchWaitDuration = b.batchWaitDuration;
        this.closeTimeout = b.closeTimeout;
        this.meterRegistry = b.meterRegistry;
        this.observationRegistry = b.observationRegistry;
        this.kafkaProperties = Collections.unmodifiableMap(new LinkedHashMap<>(b.kafkaProperties));
        this.consumerProperties = Collections.unmodifiableMap(new LinkedHashMap<>(b.consumerProperties));
        this.producerProperties = Collections.unmodifiableMap(new LinkedHashMap<>(b.producerProperties));
        this.groupManaged = b.groupManaged;
        this.groupProtocol = b.groupProtocol != null ? b.groupProtocol : DEFAULT_GROUP_PROTOCOL;
        this.processingGuarantee = b.processingGuarantee;
        this.givenTransactionCommitInterval = b.transactionCommitInterval;
        this.transactionCommitInterval = b.transactionCommitInterval != null ? b.transactionCommitInterval
                : DEFAULT_TRANSACTION_COMMIT_INTERVAL;
        this.groupInstanceId = b.groupInstanceId;
        this.partitionListener = b.partitionListener;
        this.errorPolicy = b.errorPolicy;
        this.maxUncommittedBatches = b.maxUncommittedBatches;
        this.maxBufferedBytes = maxBufferedBytes;
        this.batchMaxBytes = batchMaxBytes;
        this.givenMaxBufferedBytes = b.maxBufferedBytes;
        this.givenBatchMaxBytes = b.batchMaxBytes;
    }

    /**
     * Returns the default {@code maxBufferedBytes} of this JVM: {@link #DEFAULT_MAX_BUFFERED_HEAP_FRACTION} of
     * {@link Runtime#maxMemory()} (the {@code -Xmx}), or {@link #DEFAULT_MAX_BUFFERED_BYTES_WITHOUT_HEAP_LIMIT} when
     * the heap has no limit. Thread-safe.
     *
     * @return the default {@code maxBufferedBytes} of this JVM: {@link #DEFAULT_MAX_BUFFERED_HEAP_FRACTION} of {@link Runtime#maxMemory()} (the {@code -Xmx}), or {@link #DEFAULT_MAX_BUFFERED_BYTES_WITHOUT_HEAP_LIMIT} when the heap has no limit
     */
    public static long defaultMaxBufferedBytes() {
        long heap = Runtime.getRuntime().maxMemory();
        return heap == Long.MAX_VALUE ? DEFAULT_MAX_BUFFERED_BYTES_WITHOUT_HEAP_LIMIT
                : Math.max(1, (long) (heap * DEFAULT_MAX_BUFFERED_HEAP_FRACTION));
    }

    /**
     * Returns the default {@code batchMaxBytes} for a budget: {@code maxBufferedBytes / }{@link
     * #DEFAULT_BATCH_MAX_BYTES_DIVISOR}, at least 1. Thread-safe.
     *
     * @param maxBufferedBytes the processor's byte budget
     * @return the byte limit of a batch
     */
    public static long defaultBatchMaxBytes(long maxBufferedBytes) {
        return Math.max(1, maxBufferedBytes / DEFAULT_BATCH_MAX_BYTES_DIVISOR);
    }

    /**
     * Returns a new builder with every field at its default.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns a new builder holding every setting of this config, to build a config that differs in a few of them.
     * Settings left at a derived default ({@code batchMaxBytes}, {@code maxBufferedBytes}) stay unset, so they follow
     * the settings they derive from.
     *
     * @return the builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.topicProcessorName = topicProcessorName;
        b.bootstrapServers = bootstrapServers;
        b.inputTopics = new ArrayList<>(inputTopics);
        b.inputPartitions = new ArrayList<>(inputPartitions);
        b.batchSize = batchSize;
        b.batchWaitDuration = batchWaitDuration;
        b.closeTimeout = closeTimeout;
        b.meterRegistry = meterRegistry;
        b.observationRegistry = observationRegistry;
        b.groupManaged = groupManaged;
        b.groupInstanceId = groupInstanceId;
        if (groupProtocol != DEFAULT_GROUP_PROTOCOL) { // only a group-managed config can hold another protocol
            b.groupProtocol = groupProtocol;
            b.groupProtocolSet = true;
        }
        b.processingGuarantee = processingGuarantee;
        b.transactionCommitInterval = givenTransactionCommitInterval;
        b.partitionListener = partitionListener;
        b.errorPolicy = errorPolicy;
        b.maxUncommittedBatches = maxUncommittedBatches;
        b.batchMaxBytes = givenBatchMaxBytes;
        b.maxBufferedBytes = givenMaxBufferedBytes;
        b.kafkaProperties.putAll(kafkaProperties);
        b.consumerProperties.putAll(consumerProperties);
        b.producerProperties.putAll(producerProperties);
        return b;
    }

    /**
     * Returns the name used in logs, metric tags and the consumer group id.
     *
     * @return the name used in logs, metric tags and the consumer group id
     */
    public String topicProcessorName() {
        return topicProcessorName;
    }

    /**
     * Returns the consumer group id that holds the committed offsets: {@code kasper-topic-processor-<name>}.
     *
     * @return the consumer group id that holds the committed offsets: {@code kasper-topic-processor-<name>}
     */
    public String consumerGroupId() {
        return CONSUMER_GROUP_PREFIX + topicProcessorName;
    }

    /**
     * Returns the Kafka bootstrap servers.
     *
     * @return the Kafka bootstrap servers
     */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * Returns the input topics, in the order given.
     *
     * @return the input topics, in the order given
     */
    public List<String> inputTopics() {
        return inputTopics;
    }

    /**
     * Returns the input partition numbers, in the order given; empty in group-managed mode.
     *
     * @return the input partition numbers, in the order given; empty in group-managed mode
     */
    public List<Integer> inputPartitions() {
        return inputPartitions;
    }

    /**
     * Returns whether partitions are assigned by the consumer group (instances of the same name share the partitions)
     * rather than listed in {@link #inputPartitions()}.
     *
     * @return whether partitions are assigned by the consumer group (instances of the same name share the partitions) rather than listed in {@link #inputPartitions()}
     */
    public boolean isGroupManaged() {
        return groupManaged;
    }

    /**
     * Returns the consumer group protocol of a group-managed processor; {@link #DEFAULT_GROUP_PROTOCOL} unless set
     * (also in static mode, where no group protocol runs).
     *
     * @return the consumer group protocol of a group-managed processor; {@link #DEFAULT_GROUP_PROTOCOL} unless set (also in static mode, where no group protocol runs)
     */
    public GroupProtocol groupProtocol() {
        return groupProtocol;
    }

    /**
     * Returns the static group membership id ({@code group.instance.id}), if one was set.
     *
     * @return the static group membership id ({@code group.instance.id}), if one was set
     */
    public Optional<String> groupInstanceId() {
        return Optional.ofNullable(groupInstanceId);
    }

    /**
     * Returns the listener told about assigned and revoked partition numbers, if one was set.
     *
     * @return the listener told about assigned and revoked partition numbers, if one was set
     */
    public Optional<PartitionListener> partitionListener() {
        return Optional.ofNullable(partitionListener);
    }

    /**
     * Returns the number of messages at which a batch closes.
     *
     * @return the number of messages at which a batch closes
     */
    public int batchSize() {
        return batchSize;
    }

    /**
     * Returns how long the oldest message of a batch may wait before the batch closes.
     *
     * @return how long the oldest message of a batch may wait before the batch closes
     */
    public Duration batchWaitDuration() {
        return batchWaitDuration;
    }

    /**
     * Returns what the processor guarantees about its Kafka output.
     *
     * @return {@link ProcessingGuarantee#AT_LEAST_ONCE} (the default) or {@link ProcessingGuarantee#EXACTLY_ONCE}
     */
    public ProcessingGuarantee processingGuarantee() {
        return processingGuarantee;
    }

    /**
     * Returns whether the processor runs under {@link ProcessingGuarantee#EXACTLY_ONCE}.
     *
     * @return whether output and offsets are committed in Kafka transactions
     */
    public boolean isExactlyOnce() {
        return processingGuarantee == ProcessingGuarantee.EXACTLY_ONCE;
    }

    /**
     * Returns how long a transaction stays open under {@link ProcessingGuarantee#EXACTLY_ONCE} before it commits
     * (it commits earlier when a partition reaches {@code maxUncommittedBatches}); meaningless under
     * {@link ProcessingGuarantee#AT_LEAST_ONCE}.
     *
     * @return the transaction commit interval, {@link #DEFAULT_TRANSACTION_COMMIT_INTERVAL} unless set
     */
    public Duration transactionCommitInterval() {
        return transactionCommitInterval;
    }

    /**
     * Returns how long closing waits for outstanding acknowledgements and the final commit.
     *
     * @return how long closing waits for outstanding acknowledgements and the final commit
     */
    public Duration closeTimeout() {
        return closeTimeout;
    }

    /**
     * Returns how failures are handled: poison messages, transient failures, broker outages.
     *
     * @return how failures are handled: poison messages, transient failures, broker outages
     */
    public ErrorPolicy errorPolicy() {
        return errorPolicy;
    }

    /**
     * Returns how many batches of one partition may be processed but not yet committed; processing of that partition
     * waits beyond it. 1 means each batch is committed before the next one of its partition is processed.
     *
     * @return how many batches of one partition may be processed but not yet committed; processing of that partition waits beyond it
     */
    public int maxUncommittedBatches() {
        return maxUncommittedBatches;
    }

    /**
     * Returns the bytes at which a batch closes: it holds messages whose key + value + header bytes stay within it (a
     * single larger message makes a batch of one).
     *
     * @return the bytes at which a batch closes: it holds messages whose key + value + header bytes stay within it (a single larger message makes a batch of one)
     */
    public long batchMaxBytes() {
        return batchMaxBytes;
    }

    /**
     * Returns the processor's byte budget: fetched but not yet completed input plus output not yet acknowledged.
     * Every partition is paused while it is reached (see {@link Builder#maxBufferedBytes(long)}).
     *
     * @return the processor's byte budget: fetched but not yet completed input plus output not yet acknowledged
     */
    public long maxBufferedBytes() {
        return maxBufferedBytes;
    }

    /**
     * Returns the registry that receives Kasper's metrics ({@link Metrics#globalRegistry} when none was given).
     *
     * @return the registry that receives Kasper's metrics ({@link Metrics#globalRegistry} when none was given)
     */
    public MeterRegistry meterRegistry() {
        return meterRegistry;
    }

    /**
     * Returns the registry that receives the batch and commit observations ({@link ObservationRegistry#NOOP} when
     * none was given).
     *
     * @return the registry that receives Kasper's observations
     */
    public ObservationRegistry observationRegistry() {
        return observationRegistry;
    }

    /**
     * Returns the properties given to every Kafka client.
     *
     * @return the properties given to every Kafka client
     */
    public Map<String, Object> kafkaProperties() {
        return kafkaProperties;
    }

    /**
     * Returns the properties given to the consumer only.
     *
     * @return the properties given to the consumer only
     */
    public Map<String, Object> consumerProperties() {
        return consumerProperties;
    }

    /**
     * Returns the properties given to the producer only.
     *
     * @return the properties given to the producer only
     */
    public Map<String, Object> producerProperties() {
        return producerProperties;
    }

    @Override
    public String toString() {
        return "TopicProcessorConfig{name=" + topicProcessorName + ", bootstrapServers=" + bootstrapServers
                + ", inputTopics=" + inputTopics + ", " + (groupManaged ? "groupManaged, groupProtocol=" + groupProtocol
                + (groupInstanceId == null ? "" : ", groupInstanceId=" + groupInstanceId) : "inputPartitions=" + inputPartitions)
                + ", batchSize=" + batchSize + ", batchMaxBytes=" + batchMaxBytes + ", maxBufferedBytes="
                + maxBufferedBytes + ", batchWaitDuration=" + batchWaitDuration + ", maxUncommittedBatches=" + maxUncommittedBatches
                + (isExactlyOnce() ? ", EXACTLY_ONCE, transactionCommitInterval=" + transactionCommitInterval : "")
                + ", " + errorPolicy + "}";
    }

    /**
     * Builds a {@link TopicProcessorConfig}. Every setter returns the builder; {@link #build()} validates everything.
     *
     * <p>Thread-safety: not thread-safe; use one builder from one thread.
     */
    public static final class Builder {

        private String topicProcessorName;
        private String bootstrapServers;
        private List<String> inputTopics = List.of();
        private List<Integer> inputPartitions = List.of();
        private int batchSize = DEFAULT_BATCH_SIZE;
        private Duration batchWaitDuration = DEFAULT_BATCH_WAIT_DURATION;
        private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
        private MeterRegistry meterRegistry = Metrics.globalRegistry;
        private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;
        private boolean groupManaged;
        private GroupProtocol groupProtocol;
        private boolean groupProtocolSet;
        private String groupInstanceId;
        private ProcessingGuarantee processingGuarantee = DEFAULT_PROCESSING_GUARANTEE;
        private Duration transactionCommitInterval;
        private PartitionListener partitionListener;
        private ErrorPolicy errorPolicy = ErrorPolicy.defaults();
        private int maxUncommittedBatches = DEFAULT_MAX_UNCOMMITTED_BATCHES;
        private Long batchMaxBytes;
        private Long maxBufferedBytes;
        private final Map<String, Object> kafkaProperties = new LinkedHashMap<>();
        private final Map<String, Object> consumerProperties = new LinkedHashMap<>();
        private final Map<String, Object> producerProperties = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Sets the name used in logs, metric tags and the consumer group id {@code kasper-topic-processor-<name>}.
         * Required; letters, digits, '.', '_' and '-' only.
         *
         * @param name the topic processor name
         * @return this builder
         */
        public Builder topicProcessorName(String name) {
            this.topicProcessorName = name;
            return this;
        }

        /**
         * Sets the Kafka bootstrap servers, e.g. {@code "broker1:9092,broker2:9092"}. Required, unless given as the
         * {@code bootstrap.servers} Kafka property.
         *
         * @param servers comma-separated host:port pairs
         * @return this builder
         */
        public Builder bootstrapServers(String servers) {
            this.bootstrapServers = servers;
            return this;
        }

        /**
         * Sets the input topics. They must exist and have the same partition count.
         *
         * @param topics one or more topic names
         * @return this builder
         */
        public Builder inputTopics(String... topics) {
            this.inputTopics = topics == null ? null : Arrays.asList(topics);
            return this;
        }

        /**
         * Sets the input topics. They must exist and have the same partition count.
         *
         * @param topics one or more topic names
         * @return this builder
         */
        public Builder inputTopics(List<String> topics) {
            this.inputTopics = topics == null ? null : new ArrayList<>(topics);
            return this;
        }

        /**
         * Sets the partition numbers this instance processes (static assignment). Other instances with the same name
         * must be given other partitions. A static processor commits from outside any consumer group, which the broker
         * accepts only while its group ({@link TopicProcessorConfig#consumerGroupId()}) has no active members: no
         * group-managed instance or other consumer may use the same name.
         *
         * @param partitions one or more partition numbers, each at least 0
         * @return this builder
         */
        public Builder inputPartitions(int... partitions) {
            List<Integer> list = new ArrayList<>();
            if (partitions != null) {
                for (int p : partitions) {
                    list.add(p);
                }
            }
            this.inputPartitions = list;
            return this;
        }

        /**
         * Sets the partition numbers this instance processes (static assignment).
         *
         * @param partitions one or more partition numbers, each at least 0
         * @return this builder
         */
        public Builder inputPartitions(List<Integer> partitions) {
            this.inputPartitions = partitions == null ? null : new ArrayList<>(partitions);
            return this;
        }

        /**
         * Lets the consumer group assign the partitions (instead of {@link #inputPartitions}): every instance with the
         * same {@code topicProcessorName} joins the group {@code kasper-topic-processor-<name>} and they share the
         * partitions, which move between instances when one joins, leaves or fails. Partition p of every input topic
         * always goes to the same instance (see {@link #groupProtocol(GroupProtocol)}).
         *
         * @return this builder
         */
        public Builder groupManaged() {
            this.groupManaged = true;
            return this;
        }

        /**
         * Sets the consumer group protocol of a group-managed processor (group-managed mode only). Default
         * {@link GroupProtocol#CLASSIC}. Under {@link GroupProtocol#CONSUMER} Kasper sets {@code group.protocol=consumer}
         * and {@code group.remote.assignor=range}, and {@link #build()} rejects the classic-only consumer properties
         * {@code session.timeout.ms}, {@code heartbeat.interval.ms} and {@code partition.assignment.strategy} (the
         * broker's {@code group.consumer.*} settings replace them); the brokers must be Kafka 4.0 or newer with the
         * protocol enabled, which the {@link TopicProcessor} constructor checks.
         *
         * @param protocol the protocol, not null
         * @return this builder
         */
        public Builder groupProtocol(GroupProtocol protocol) {
            this.groupProtocol = protocol;
            this.groupProtocolSet = true;
            return this;
        }

        /**
         * Sets what the processor guarantees about its Kafka output, in either assignment mode. Default
         * {@link ProcessingGuarantee#AT_LEAST_ONCE}. Under {@link ProcessingGuarantee#EXACTLY_ONCE} the output of the
         * batches completed within a {@link #transactionCommitInterval(Duration)} (dead letters included) and their
         * input offsets are committed in one Kafka transaction; the producer gets a {@code transactional.id} derived
         * from the processor name and, in static mode, its partitions, or, in group-managed mode, the instance (see
         * the README, "Processing guarantees"). {@link #build()} then rejects {@code isolation.level=read_uncommitted}
         * and {@code enable.idempotence=false}, and a {@code transaction.timeout.ms} not above the commit interval
         * plus the error policy's total retry backoff.
         *
         * @param guarantee the guarantee, not null
         * @return this builder
         */
        public Builder processingGuarantee(ProcessingGuarantee guarantee) {
            this.processingGuarantee = guarantee;
            return this;
        }

        /**
         * Sets how long a transaction stays open before its output and offsets are committed, under
         * {@link ProcessingGuarantee#EXACTLY_ONCE} only. Output becomes readable to {@code read_committed} consumers
         * only when its transaction commits, so this adds up to the interval to the end-to-end latency; shorter
         * intervals commit more often and cost throughput. A transaction also commits as soon as a partition has
         * {@code maxUncommittedBatches} batches in it. Default
         * {@link TopicProcessorConfig#DEFAULT_TRANSACTION_COMMIT_INTERVAL} (100 ms).
         *
         * @param interval positive
         * @return this builder
         */
        public Builder transactionCommitInterval(Duration interval) {
            this.transactionCommitInterval = interval;
            return this;
        }

        /**
         * Sets the static group membership id ({@code group.instance.id}) of this instance, group-managed mode only: a
         * restarted instance with the same id gets its partitions back without a rebalance, provided it returns
         * within {@code session.timeout.ms}. Each live instance needs its own id.
         *
         * @param id a non-blank id, unique among the instances of the group
         * @return this builder
         */
        public Builder groupInstanceId(String id) {
            this.groupInstanceId = id;
            return this;
        }

        /**
         * Sets the listener told which partition numbers this instance owns (optional).
         *
         * @param listener the listener, or null for none
         * @return this builder
         */
        public Builder partitionListener(PartitionListener listener) {
            this.partitionListener = listener;
            return this;
        }

        /**
         * Sets the number of messages at which a batch closes. Default {@value TopicProcessorConfig#DEFAULT_BATCH_SIZE}.
         *
         * @param size at least 1
         * @return this builder
         */
        public Builder batchSize(int size) {
            this.batchSize = size;
            return this;
        }

        /**
         * Sets the bytes at which a batch closes, whatever its message count: a batch holds messages whose key +
         * value + header bytes add up to at most this; a single larger message makes a batch of one. Default
         * {@code maxBufferedBytes / }{@value TopicProcessorConfig#DEFAULT_BATCH_MAX_BYTES_DIVISOR} (see
         * {@link TopicProcessorConfig#defaultBatchMaxBytes(long)}).
         *
         * @param bytes at least 1 and at most {@code maxBufferedBytes}
         * @return this builder
         */
        public Builder batchMaxBytes(long bytes) {
            this.batchMaxBytes = bytes;
            return this;
        }

        /**
         * Sets the processor's byte budget: input fetched but not yet completed (waiting for its batch, being
         * processed, or in a batch whose output awaits acknowledgement) plus output handed to the producer and not
         * yet acknowledged, counted as key + value + header bytes. When it is reached, every partition is paused and a
         * new batch is processed only when no output awaits acknowledgement, closed at once even if not full; fetching
         * resumes once the held bytes are back at three quarters of the budget. The consumer's own fetch buffers are
         * outside it, so Kasper lowers {@code fetch.max.bytes} (and {@code max.partition.fetch.bytes}) to a quarter
         * of the budget unless you set them. It is per processor: several processors in one JVM each take their
         * own. Default {@value TopicProcessorConfig#DEFAULT_MAX_BUFFERED_HEAP_FRACTION} of the maximum heap (see
         * {@link TopicProcessorConfig#defaultMaxBufferedBytes()}).
         *
         * @param bytes at least 1
         * @return this builder
         */
        public Builder maxBufferedBytes(long bytes) {
            this.maxBufferedBytes = bytes;
            return this;
        }

        /**
         * Sets how long the oldest message of a batch may wait before the batch closes even if not full. Default
         * {@link TopicProcessorConfig#DEFAULT_BATCH_WAIT_DURATION} (5 s).
         *
         * @param duration positive
         * @return this builder
         */
        public Builder batchWaitDuration(Duration duration) {
            this.batchWaitDuration = duration;
            return this;
        }

        /**
         * Sets how failures are handled: poison messages (fail, skip or dead-letter), retries of transient failures,
         * the broker outage timeout. Default {@link ErrorPolicy#defaults()}. In group-managed mode one batch may block
         * the loop for its flushes (up to {@link ErrorPolicy#brokerOutageTimeout()}) plus the backoffs of its retries
         * ({@link ErrorPolicy#totalBackoff()}); {@link #build()} requires both together to stay below half of the
         * consumer's {@code max.poll.interval.ms}, so that the group does not hand the partition to another member
         * while this one still works on it.
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder errorPolicy(ErrorPolicy policy) {
            this.errorPolicy = policy;
            return this;
        }

        /**
         * Sets how many batches of one partition may be processed but not yet committed (their output awaits
         * acknowledgement, or their commit is under way). Higher keeps a partition busy while acknowledgements travel;
         * 1 bounds what a crash or outage can make Kasper deliver again to one batch per partition. Default
         * {@value TopicProcessorConfig#DEFAULT_MAX_UNCOMMITTED_BATCHES}.
         *
         * @param batches at least 1
         * @return this builder
         */
        public Builder maxUncommittedBatches(int batches) {
            this.maxUncommittedBatches = batches;
            return this;
        }

        /**
         * Sets how long closing waits for outstanding acknowledgements and the final commit. Default
         * {@link TopicProcessorConfig#DEFAULT_CLOSE_TIMEOUT} (30 s).
         *
         * @param timeout positive
         * @return this builder
         */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = timeout;
            return this;
        }

        /**
         * Sets the Micrometer registry that receives Kasper's metrics. Default {@link Metrics#globalRegistry}, which
         * records nothing until the application adds a registry to it ({@code Metrics.addRegistry(...)}). Either way
         * the processor removes its own meters when it closes.
         *
         * @param registry the registry, not null
         * @return this builder
         */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = registry;
            return this;
        }

        /**
         * Sets the Micrometer registry that receives an observation per batch attempt and per commit (see
         * {@link KasperObservations}); with a tracing handler on it (Micrometer Tracing, e.g. the OpenTelemetry
         * bridge, and {@code kasper-tracing}'s handler for span links) each becomes a span. Default
         * {@link ObservationRegistry#NOOP}: nothing is observed, and no record is looked at for trace headers.
         *
         * @param registry the registry, not null
         * @return this builder
         */
        public Builder observationRegistry(ObservationRegistry registry) {
            this.observationRegistry = registry;
            return this;
        }

        /**
         * Sets a property of every Kafka client (consumer, producer, admin).
         *
         * @param key a Kafka client property name
         * @param value its value
         * @return this builder
         */
        public Builder kafkaProperty(String key, Object value) {
            this.kafkaProperties.put(key, value);
            return this;
        }

        /**
         * Sets properties of every Kafka client (consumer, producer, admin).
         *
         * @param properties Kafka client property names and values
         * @return this builder
         */
        public Builder kafkaProperties(Map<String, ?> properties) {
            this.kafkaProperties.putAll(properties);
            return this;
        }

        /**
         * Sets a property of the consumer only; it overrides {@link #kafkaProperty} and Kasper's defaults.
         *
         * @param key a consumer property name
         * @param value its value
         * @return this builder
         */
        public Builder consumerProperty(String key, Object value) {
            this.consumerProperties.put(key, value);
            return this;
        }

        /**
         * Sets a property of the producer only; it overrides {@link #kafkaProperty} and Kasper's defaults.
         *
         * @param key a producer property name
         * @param value its value
         * @return this builder
         */
        public Builder producerProperty(String key, Object value) {
            this.producerProperties.put(key, value);
            return this;
        }

        /**
         * Validates every field and builds the configuration.
         *
         * <p>Rejected: an empty or malformed name, no bootstrap servers, no topics, blank or duplicate topics, both
         * or neither of {@code inputPartitions} and {@code groupManaged()}, negative or duplicate partitions, a
         * {@code groupInstanceId} or {@code groupProtocol} set without {@code groupManaged()}, a blank
         * {@code groupInstanceId}, a null {@code groupProtocol}, a raw {@code group.protocol} or
         * {@code group.remote.assignor} property (use {@code groupProtocol}), in group-managed mode a
         * {@code partition.assignment.strategy} other than the RangeAssignor (under {@code CONSUMER} any, and
         * {@code session.timeout.ms} and {@code heartbeat.interval.ms} too), a raw {@code group.instance.id}, error
         * policy waits (brokerOutageTimeout plus the total
         * retry backoff) of half of {@code max.poll.interval.ms} or more, {@code batchSize < 1}, {@code batchMaxBytes}
         * or {@code maxBufferedBytes} below 1, a {@code batchMaxBytes} above {@code maxBufferedBytes} (set or
         * default), a non-positive wait or close timeout, a null {@code meterRegistry}, {@code observationRegistry} or
         * {@code errorPolicy},
         * and Kafka properties that would break at-least-once delivery or Kasper's contract ({@code
         * enable.auto.commit=true}, {@code acks} other than {@code all}, {@code group.id}, serializers,
         * deserializers, {@code transactional.id}), a null {@code processingGuarantee}, a
         * {@code transactionCommitInterval} that is not positive or is set without {@code EXACTLY_ONCE}, and under
         * {@code EXACTLY_ONCE} {@code isolation.level=read_uncommitted}, {@code enable.idempotence=false} or a
         * {@code transaction.timeout.ms} not above the commit interval plus the error policy's total retry backoff.
         *
         * @return the immutable configuration
         * @throws InvalidConfigException naming every invalid field, its rule and its value
         */
        public TopicProcessorConfig build() {
            ConfigErrors errors = new ConfigErrors("TopicProcessorConfig");
            validateName(errors);
            if ((bootstrapServers == null || bootstrapServers.isBlank())
                    && kafkaProperties.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG) == null) {
                errors.reject("bootstrapServers", "must be set", bootstrapServers);
            }
            validateTopics(errors);
            validateAssignmentMode(errors);
            if (batchSize < 1) {
                errors.reject("batchSize", "must be at least 1", batchSize);
            }
            long budget = maxBufferedBytes != null ? maxBufferedBytes : defaultMaxBufferedBytes();
            long batchBytes = batchMaxBytes != null ? batchMaxBytes : defaultBatchMaxBytes(budget);
            validateBytes(budget, batchBytes, errors);
            errors.requirePositive("batchWaitDuration", batchWaitDuration);
            errors.requirePositive("closeTimeout", closeTimeout);
            if (maxUncommittedBatches < 1) {
                errors.reject("maxUncommittedBatches", "must be at least 1", maxUncommittedBatches);
            }
            validateErrorPolicy(errors);
            validateGuarantee(errors);
            errors.requireSet("meterRegistry", meterRegistry);
            errors.requireSet("observationRegistry", observationRegistry);
            KafkaPropertyRules.check("kafkaProperties", kafkaProperties, errors);
            KafkaPropertyRules.check("consumerProperties", consumerProperties, errors);
            KafkaPropertyRules.check("producerProperties", producerProperties, errors);
            errors.throwIfAny();
            return new TopicProcessorConfig(this, budget, batchBytes);
        }

        private void validateBytes(long budget, long batchBytes, ConfigErrors errors) {
            if (maxBufferedBytes != null && maxBufferedBytes < 1) {
                errors.reject("maxBufferedBytes", "must be at least 1", maxBufferedBytes);
            }
            if (batchMaxBytes != null && batchMaxBytes < 1) {
                errors.reject("batchMaxBytes", "must be at least 1", batchMaxBytes);
            } else if (budget >= 1 && batchBytes > budget) {
                errors.add("batchMaxBytes must not exceed maxBufferedBytes, or batches could not fill up before "
                        + "the budget pauses the input, but batchMaxBytes was " + batchBytes + " and maxBufferedBytes "
                        + budget + (maxBufferedBytes == null ? " (the default, "
                        + DEFAULT_MAX_BUFFERED_HEAP_FRACTION + " of the maximum heap "
                        + Runtime.getRuntime().maxMemory() + ")" : "")
                        + " (lower batchMaxBytes or raise maxBufferedBytes)");
            }
        }

        private void validateErrorPolicy(ConfigErrors errors) {
            if (errorPolicy == null) {
                errors.add("errorPolicy must be set, was null (ErrorPolicy.defaults() fails on poison messages)");
                return;
            }
            errorPolicy.deadLetterTopic().filter(topic -> inputTopics != null && inputTopics.contains(topic))
                    .ifPresent(topic -> errors.add("errorPolicy.deadLetterTopic must not be an input topic, was '"
                            + topic + "' and inputTopics " + quoteAll(inputTopics)));
            if (groupManaged) {
                // One batch may block the loop, without polling, for its flushes (at most the brokerOutageTimeout in
                // all) plus the backoffs of its retries; past max.poll.interval.ms another member takes its partition.
                long maxPollInterval = KafkaPropertyRules.maxPollIntervalMillis(kafkaProperties, consumerProperties);
                long flushWait = errorPolicy.brokerOutageTimeout().toMillis();
                long backoff = errorPolicy.totalBackoff().toMillis();
                if (flushWait + backoff >= maxPollInterval / 2) {
                    errors.add("errorPolicy waits of one batch must be less than half of "
                            + ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG + " ("
                            + maxPollInterval + " ms) in group-managed mode, or the group gives the partition to "
                            + "another member while this one waits: Sender.flush() waits up to brokerOutageTimeout "
                            + errorPolicy.brokerOutageTimeout() + " and maxRetries " + errorPolicy.maxRetries()
                            + " with retryBackoff " + errorPolicy.retryBackoff() + ".." + errorPolicy.maxRetryBackoff()
                            + " wait " + backoff + " ms, " + (flushWait + backoff) + " ms in all (lower "
                            + "brokerOutageTimeout, maxRetries or retryBackoff, or raise "
                            + ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG + ")");
                }
            }
        }

        private void validateGuarantee(ConfigErrors errors) {
            if (processingGuarantee == null) {
                errors.add("processingGuarantee must not be null (ProcessingGuarantee.AT_LEAST_ONCE or "
                        + "ProcessingGuarantee.EXACTLY_ONCE), was null");
                return;
            }
            if (processingGuarantee != ProcessingGuarantee.EXACTLY_ONCE) {
                if (transactionCommitInterval != null) {
                    errors.add("transactionCommitInterval requires processingGuarantee(ProcessingGuarantee."
                            + "EXACTLY_ONCE): under " + processingGuarantee + " there are no transactions, but "
                            + "transactionCommitInterval was " + transactionCommitInterval);
                }
                return;
            }
            if (transactionCommitInterval != null) {
                errors.requirePositive("transactionCommitInterval", transactionCommitInterval);
            }
            Duration interval = transactionCommitInterval != null ? transactionCommitInterval
                    : DEFAULT_TRANSACTION_COMMIT_INTERVAL;
            KafkaPropertyRules.checkExactlyOnce(kafkaProperties, consumerProperties, producerProperties,
                    interval, errorPolicy, errors);
        }

        private void validateName(ConfigErrors errors) {
            if (topicProcessorName == null || topicProcessorName.isBlank()) {
                errors.reject("topicProcessorName", "must not be empty", topicProcessorName);
            } else if (!NAME.matcher(topicProcessorName).matches()) {
                errors.reject("topicProcessorName", "must contain only letters, digits, '.', '_' and '-'",
                        topicProcessorName);
            }
        }

        private void validateTopics(ConfigErrors errors) {
            if (inputTopics == null || inputTopics.isEmpty()) {
                errors.add("inputTopics must not be empty, was " + inputTopics);
                return;
            }
            Map<String, Integer> counts = new HashMap<>();
            for (String topic : inputTopics) {
                if (topic == null || topic.isBlank()) {
                    errors.add("inputTopics must not contain blank names, was " + quoteAll(inputTopics));
                    return;
                }
                counts.merge(topic, 1, Integer::sum);
            }
            counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).sorted().forEach(topic ->
                    errors.add("inputTopics must not contain duplicates, '" + topic + "' appears " + counts.get(topic)
                            + " times in " + quoteAll(inputTopics)));
        }

        private void validateAssignmentMode(ConfigErrors errors) {
            boolean hasPartitions = inputPartitions != null && !inputPartitions.isEmpty();
            if (groupManaged && hasPartitions) {
                errors.add("inputPartitions and groupManaged are mutually exclusive: list the partitions (static "
                        + "assignment) or let the group assign them, not both; inputPartitions was " + inputPartitions
                        + " and groupManaged was true");
            }
            if (groupProtocolSet && groupProtocol == null) {
                errors.add("groupProtocol must not be null (GroupProtocol.CLASSIC or GroupProtocol.CONSUMER), was null");
            }
            if (!groupManaged) {
                validatePartitions(errors);
                if (groupProtocolSet && groupProtocol != null) {
                    errors.add("groupProtocol requires groupManaged(): a group protocol applies to group-managed "
                            + "assignment only, but groupProtocol was " + groupProtocol + " and inputPartitions was "
                            + inputPartitions);
                }
                if (groupInstanceId != null) {
                    errors.add("groupInstanceId requires groupManaged(): static membership applies to group-managed "
                            + "assignment only, but groupInstanceId was " + ConfigErrors.quote(groupInstanceId)
                            + " and inputPartitions was " + inputPartitions);
                }
                return;
            }
            if (groupInstanceId != null && groupInstanceId.isBlank()) {
                errors.reject("groupInstanceId", "must not be blank", groupInstanceId);
            }
            GroupProtocol protocol = groupProtocol != null ? groupProtocol : DEFAULT_GROUP_PROTOCOL;
            KafkaPropertyRules.checkGroupManaged("kafkaProperties", kafkaProperties, protocol, errors);
            KafkaPropertyRules.checkGroupManaged("consumerProperties", consumerProperties, protocol, errors);
        }

        private void validatePartitions(ConfigErrors errors) {
            if (inputPartitions == null || inputPartitions.isEmpty()) {
                errors.add("inputPartitions must not be empty, was " + inputPartitions
                        + " (or call groupManaged() to let the consumer group assign partitions)");
                return;
            }
            Map<Integer, Integer> counts = new HashMap<>();
            for (Integer p : inputPartitions) {
                if (p == null || p < 0) {
                    errors.add("inputPartitions must contain only numbers >= 0, contains " + p + " in "
                            + inputPartitions);
                    return;
                }
                counts.merge(p, 1, Integer::sum);
            }
            counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).sorted().forEach(p ->
                    errors.add("inputPartitions must not contain duplicates, " + p + " appears " + counts.get(p)
                            + " times in " + inputPartitions));
        }

        private static String quoteAll(List<String> values) {
            List<String> quoted = new ArrayList<>();
            for (String v : values) {
                quoted.add(ConfigErrors.quote(v));
            }
            return quoted.toString();
        }
    }

    /**
     * Returns whether {@code o} is a {@code TopicProcessorConfig} with equal settings: the meter registry and the
     * partition listener compared by identity, every other setting by value.
     *
     * @param o the other object
     * @return whether every setting is equal
     */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof TopicProcessorConfig other)) {
            return false;
        }
        return batchSize == other.batchSize && topicProcessorName.equals(other.topicProcessorName)
                && bootstrapServers.equals(other.bootstrapServers) && inputTopics.equals(other.inputTopics)
                && inputPartitions.equals(other.inputPartitions) && batchWaitDuration.equals(other.batchWaitDuration)
                && closeTimeout.equals(other.closeTimeout) && kafkaProperties.equals(other.kafkaProperties)
                && consumerProperties.equals(other.consumerProperties)
                && producerProperties.equals(other.producerProperties) && meterRegistry == other.meterRegistry
                && observationRegistry == other.observationRegistry
                && groupManaged == other.groupManaged && groupProtocol == other.groupProtocol
                && Objects.equals(groupInstanceId, other.groupInstanceId)
                && processingGuarantee == other.processingGuarantee
                && Objects.equals(givenTransactionCommitInterval, other.givenTransactionCommitInterval)
                && partitionListener == other.partitionListener && errorPolicy.equals(other.errorPolicy)
                && maxUncommittedBatches == other.maxUncommittedBatches && batchMaxBytes == other.batchMaxBytes
                && maxBufferedBytes == other.maxBufferedBytes
                && Objects.equals(givenBatchMaxBytes, other.givenBatchMaxBytes)
                && Objects.equals(givenMaxBufferedBytes, other.givenMaxBufferedBytes);
    }

    /**
     * Returns a hash of every setting, consistent with {@link #equals(Object)}.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return Objects.hash(topicProcessorName, bootstrapServers, inputTopics, inputPartitions, batchSize,
                batchWaitDuration, closeTimeout, System.identityHashCode(meterRegistry), kafkaProperties,
                System.identityHashCode(observationRegistry),
                consumerProperties, producerProperties, groupManaged, groupProtocol, groupInstanceId,
                System.identityHashCode(partitionListener), errorPolicy, maxUncommittedBatches, batchMaxBytes,
                maxBufferedBytes, givenBatchMaxBytes, givenMaxBufferedBytes, processingGuarantee,
                givenTransactionCommitInterval);
    }
}
