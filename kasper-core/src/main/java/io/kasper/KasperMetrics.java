package io.kasper;

/**
 * The catalog of every metric Kasper records through Micrometer, and of their tags.
 *
 * <p>Names use Micrometer's dot notation; a Prometheus registry renders {@code kasper.messages.incoming} as
 * {@code kasper_messages_incoming_total}. Every meter carries the {@value #TAG_PROCESSOR} tag (the topic processor's
 * name) and the {@value #TAG_INSTANCE} tag (the id of the processor or store instance that registered it), and is
 * removed from the registry when that instance is closed.
 *
 * <p>Several instances may share one registry, including instances of one name in one JVM (threads of a scaled-out
 * processor, each with its own partitions): each registers its own meters under its own {@value #TAG_INSTANCE} value,
 * so their counts and gauges stay apart, and closing one removes its meters only. Sum over {@value #TAG_INSTANCE}
 * for the total of a name, e.g. {@code sum by (topic) (kasper_messages_incoming_total{processor="orders"})}.
 *
 * <p>Constants only: thread-safe.
 */
public final class KasperMetrics {

    /** Tag: the {@code topicProcessorName} of the processor, or the name given to a store. */
    public static final String TAG_PROCESSOR = "processor";
    /**
     * Tag: the instance that registered the meter, unique in the JVM. For a topic processor (and a test driver) it is
     * {@code kasper-<name>-<n>}, {@link TopicProcessor#instanceId()}, which also prefixes its Kafka client ids; for a
     * store it is {@code <store name>-<n>}. Not {@code instance}: Prometheus sets that label on every scraped series
     * (the scrape target) and would rename ours.
     */
    public static final String TAG_INSTANCE = "kasper.instance";
    /** Tag: a Kafka topic. */
    public static final String TAG_TOPIC = "topic";
    /** Tag: a Kafka partition number. */
    public static final String TAG_PARTITION = "partition";
    /** Tag: the name of a store. */
    public static final String TAG_STORE = "store";
    /** Tag: the store operation ({@code get}, {@code getAll}, {@code put}, {@code putAll}, {@code delete}, ...). */
    public static final String TAG_OPERATION = "operation";

    /** Counter: input messages handed to a {@link MessageProcessor}; tags processor, kasper.instance, topic,
     *  partition. */
    public static final String MESSAGES_INCOMING = "kasper.messages.incoming";
    /**
     * Counter: output messages acknowledged by Kafka, each once per produce; tags processor, kasper.instance, topic,
     * partition (of the output). Records of a call of {@code process} that failed after they were acknowledged (for
     * example flushed, then a transient failure) count too, and again when the retry produces them again, so the
     * counter matches what the output topics hold.
     */
    public static final String MESSAGES_OUTGOING = "kasper.messages.outgoing";
    /** Gauge: messages between the committed offset and the high-water mark; tags processor, kasper.instance, topic,
     *  partition. */
    public static final String MESSAGES_BEHIND = "kasper.messages.behind";
    /** Distribution summary: messages per batch; tags processor, kasper.instance, partition. */
    public static final String BATCH_SIZE = "kasper.batch.size";
    /** Timer: time spent in {@link MessageProcessor#process}; tags processor, kasper.instance, partition. */
    public static final String BATCH_PROCESS_TIME = "kasper.batch.process.time";
    /** Timer: time from producing a batch's output until its last acknowledgement; tags processor, kasper.instance,
     *  partition. */
    public static final String BATCH_PRODUCE_TIME = "kasper.batch.produce.time";
    /**
     * Timer: in group-managed mode, each time a partition number becomes whole (held for every input topic, so its
     * batches can be processed), how long it was held for some input topics only and paused. Under
     * {@link GroupProtocol#CONSUMER} the group moves each topic-partition on its own, so partition p of one topic may
     * arrive before p of another; under {@link GroupProtocol#CLASSIC} every topic comes at once and it records 0. A
     * number whose topic-partitions are all taken away before it is whole records nothing. Tags processor,
     * kasper.instance, partition.
     */
    public static final String PARTITION_INCOMPLETE = "kasper.partition.incomplete";
    /** Timer: time of each offset commit round trip; tags processor, kasper.instance. */
    public static final String COMMIT_TIME = "kasper.commit.time";

    /** Tag: the {@link PoisonPolicy} applied to a poison message ({@code fail}, {@code skip}, {@code dead_letter}). */
    public static final String TAG_POLICY = "policy";

    /** Counter: poison messages; tags processor, kasper.instance, topic, partition (of the input), policy. */
    public static final String MESSAGES_POISON = "kasper.messages.poison";
    /** Counter: calls of {@link MessageProcessor#process} repeated after a transient failure; tags processor,
     *  kasper.instance, partition. */
    public static final String BATCH_RETRIES = "kasper.batch.retries";
    /** Function counter: output records the producer sent again after a transient error (its
     *  {@code record-retry-total}); tags processor, kasper.instance. */
    public static final String PRODUCE_RETRIES = "kasper.produce.retries";
    /** Counter: offset commits that failed (they are retried with backoff while the partitions are owned); tags
     *  processor, kasper.instance. */
    public static final String COMMIT_FAILURES = "kasper.commit.failures";
    /** Gauge: 1 while the processor is ready ({@link TopicProcessor#isReady()}), else 0; tags processor,
     *  kasper.instance. */
    public static final String PROCESSOR_READY = "kasper.processor.ready";

    /**
     * Gauge: bytes the processor holds against its {@code maxBufferedBytes}: input fetched but not yet completed plus
     * output not yet acknowledged (key + value + header bytes); tags processor, kasper.instance.
     */
    public static final String MEMORY_BUFFERED = "kasper.memory.buffered";
    /** Function counter: times the held bytes reached {@code maxBufferedBytes} and every partition was paused; tags
     *  processor, kasper.instance. */
    public static final String MEMORY_PAUSES = "kasper.memory.pauses";

    /** Counter: store calls; tags processor, kasper.instance, store, operation. */
    public static final String STORE_CALLS = "kasper.store.calls";
    /** Distribution summary: keys per store call; tags processor, kasper.instance, store, operation. */
    public static final String STORE_KEYS = "kasper.store.keys";
    /** Timer: store call latency; tags processor, kasper.instance, store, operation. */
    public static final String STORE_LATENCY = "kasper.store.latency";
    /** Counter: failed store calls; tags processor, kasper.instance, store, operation. */
    public static final String STORE_ERRORS = "kasper.store.errors";

    private KasperMetrics() {
    }
}
