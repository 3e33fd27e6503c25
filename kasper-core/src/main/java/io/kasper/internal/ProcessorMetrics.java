package io.kasper.internal;

import io.kasper.KasperMetrics;
import io.kasper.PoisonPolicy;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;

/**
 * The meters of one topic processor instance, named after {@link KasperMetrics} and tagged with its name and its
 * instance id, so that instances of one name sharing a registry never share a meter. Removes every meter it
 * registered, and only those, on {@link #close()}.
 *
 * <p>Thread-safety: thread-safe.
 */
final class ProcessorMetrics implements AutoCloseable {

    private final MeterRegistry registry;
    private final String processor;
    private final String instance;
    private final Queue<Meter> registered = new ConcurrentLinkedQueue<>();
    private final Map<TopicPartition, Counter> incoming = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Counter> outgoing = new ConcurrentHashMap<>();
    private final Map<Integer, DistributionSummary> batchSizes = new ConcurrentHashMap<>();
    private final Map<Integer, Timer> processTimes = new ConcurrentHashMap<>();
    private final Map<Integer, Timer> produceTimes = new ConcurrentHashMap<>();
    private final Timer commitTime;
    private final Counter commitFailures;
    private final Map<TopicPartition, Map<PoisonPolicy, Counter>> poison = new ConcurrentHashMap<>();
    private final Map<Integer, Counter> retries = new ConcurrentHashMap<>();
    private final Map<Integer, Timer> incompleteWaits = new ConcurrentHashMap<>();

    ProcessorMetrics(MeterRegistry registry, String processor, String instance) {
        this.registry = registry;
        this.processor = processor;
        this.instance = instance;
        this.commitTime = remember(Timer.builder(KasperMetrics.COMMIT_TIME)
                .description("offset commit round trip").tags(processorTags()).register(registry));
        this.commitFailures = remember(Counter.builder(KasperMetrics.COMMIT_FAILURES)
                .description("failed offset commits (retried with backoff)").tags(processorTags())
                .register(registry));
    }

    void poison(TopicPartition tp, PoisonPolicy policy) {
        poison.computeIfAbsent(tp, k -> new ConcurrentHashMap<>()).computeIfAbsent(policy, p -> remember(
                Counter.builder(KasperMetrics.MESSAGES_POISON).description("poison messages")
                        .tags(tags(tp)).tag(KasperMetrics.TAG_POLICY, p.name().toLowerCase(Locale.ROOT))
                        .register(registry))).increment();
    }

    void retry(int partition) {
        perPartition(retries, partition, p -> Counter.builder(KasperMetrics.BATCH_RETRIES)
                .description("process calls repeated after a transient failure").tags(partitionTags(p))
                .register(registry)).increment();
    }

    /** Records how long partition number {@code partition} was held for some input topics only. */
    void incompleteWait(int partition, long nanos) {
        perPartition(incompleteWaits, partition, p -> Timer.builder(KasperMetrics.PARTITION_INCOMPLETE)
                .description("time a partition number was held for some input topics only before it was whole")
                .tags(partitionTags(p)).register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    void commitFailure() {
        commitFailures.increment();
    }

    /** Registers the readiness gauge. */
    void readiness(ProcessorStatus status) {
        remember(Gauge.builder(KasperMetrics.PROCESSOR_READY, status, s -> s.isReady() ? 1 : 0)
                .description("1 while the processor is running and reaches the cluster")
                .tags(processorTags()).register(registry));
    }

    /** Registers the gauge of the bytes held against the budget and the count of budget pauses. */
    void memory(MemoryBudget budget) {
        remember(Gauge.builder(KasperMetrics.MEMORY_BUFFERED, budget, MemoryBudget::buffered)
                .description("bytes of input fetched but not completed plus output not acknowledged").baseUnit("bytes")
                .tags(processorTags()).register(registry));
        remember(FunctionCounter.builder(KasperMetrics.MEMORY_PAUSES, budget, MemoryBudget::pauses)
                .description("times the held bytes reached maxBufferedBytes and every partition was paused")
                .tags(processorTags()).register(registry));
    }

    /** Registers the producer's retry count. */
    void produceRetries(Producer<?, ?> producer) {
        remember(FunctionCounter.builder(KasperMetrics.PRODUCE_RETRIES, producer, ProcessorMetrics::recordRetries)
                .description("output records sent again after a transient error")
                .tags(processorTags()).register(registry));
    }

    private static double recordRetries(Producer<?, ?> producer) {
        try {
            for (Map.Entry<MetricName, ? extends Metric> e : producer.metrics().entrySet()) {
                if (e.getKey().name().equals("record-retry-total") && e.getKey().group().equals("producer-metrics")) {
                    return ((Number) e.getValue().metricValue()).doubleValue();
                }
            }
        } catch (RuntimeException e) {
            // a closed producer has no metrics any more
        }
        return 0;
    }

    void incoming(TopicPartition tp, long count) {
        incoming.computeIfAbsent(tp, k -> remember(Counter.builder(KasperMetrics.MESSAGES_INCOMING)
                .description("input messages handed to the MessageProcessor").tags(tags(k)).register(registry)))
                .increment(count);
    }

    /** Adds a completed batch's acknowledged output, per output topic and partition (array index). */
    void outgoing(Map<String, long[]> acks) {
        acks.forEach((topic, perPartition) -> {
            for (int partition = 0; partition < perPartition.length; partition++) {
                if (perPartition[partition] > 0) {
                    outgoing.computeIfAbsent(new TopicPartition(topic, partition), k -> remember(
                            Counter.builder(KasperMetrics.MESSAGES_OUTGOING).description("output messages acknowledged")
                                    .tags(tags(k)).register(registry))).increment(perPartition[partition]);
                }
            }
        });
    }

    void behindGauge(TopicPartition tp, Map<TopicPartition, Long> behind) {
        remember(Gauge.builder(KasperMetrics.MESSAGES_BEHIND, behind, m -> m.getOrDefault(tp, -1L).doubleValue())
                .description("messages between the committed offset and the high-water mark (-1: not yet known)")
                .tags(tags(tp)).register(registry));
    }

    void batch(int partition, int size, long processNanos) {
        perPartition(batchSizes, partition, p -> DistributionSummary.builder(KasperMetrics.BATCH_SIZE)
                .description("messages per batch").tags(partitionTags(p)).register(registry)).record(size);
        perPartition(processTimes, partition, p -> Timer.builder(KasperMetrics.BATCH_PROCESS_TIME)
                .description("time in MessageProcessor.process").tags(partitionTags(p)).register(registry))
                .record(processNanos, TimeUnit.NANOSECONDS);
    }

    void produced(int partition, long nanos) {
        perPartition(produceTimes, partition, p -> Timer.builder(KasperMetrics.BATCH_PRODUCE_TIME)
                .description("time from producing a batch's output to its last ack").tags(partitionTags(p))
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    void commit(long nanos) {
        commitTime.record(nanos, TimeUnit.NANOSECONDS);
    }

    private <M extends Meter> M perPartition(Map<Integer, M> cache, int partition, Function<Integer, M> create) {
        return cache.computeIfAbsent(partition, p -> remember(create.apply(p)));
    }

    private String[] processorTags() {
        return new String[] {KasperMetrics.TAG_PROCESSOR, processor, KasperMetrics.TAG_INSTANCE, instance};
    }

    private String[] tags(TopicPartition tp) {
        return new String[] {KasperMetrics.TAG_PROCESSOR, processor, KasperMetrics.TAG_INSTANCE, instance,
            KasperMetrics.TAG_TOPIC, tp.topic(), KasperMetrics.TAG_PARTITION, Integer.toString(tp.partition())};
    }

    private String[] partitionTags(int partition) {
        return new String[] {KasperMetrics.TAG_PROCESSOR, processor, KasperMetrics.TAG_INSTANCE, instance,
            KasperMetrics.TAG_PARTITION, Integer.toString(partition)};
    }

    private <M extends Meter> M remember(M meter) {
        registered.add(meter);
        return meter;
    }

    @Override
    public void close() {
        Meter meter;
        while ((meter = registered.poll()) != null) {
            registry.remove(meter);
        }
    }
}
