package io.kasper.test;

import io.kasper.BatchFailedException;
import io.kasper.InvalidConfigException;
import io.kasper.MessageProcessor;
import io.kasper.TopicProcessorConfig;
import io.kasper.internal.Batch;
import io.kasper.internal.BatchAssembler;
import io.kasper.internal.BatchRunner;
import io.kasper.internal.ProcessorLookup;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Unit-tests a {@link MessageProcessor} without a broker: pipe input records in, read back what the processor sent
 * and what would have been committed.
 *
 * <p>Batches are formed by the same code as in {@code TopicProcessor} (same grouping by partition number, same
 * {@code batchSize}, {@code batchMaxBytes} and {@code batchWaitDuration} rules), on a virtual clock that only {@link #advanceTime} moves.
 * Output is acknowledged at once. The configuration's {@code ErrorPolicy} applies as in {@code TopicProcessor}:
 * poison messages are failed, skipped or dead-lettered (read them with {@link #readOutput} of the dead-letter topic),
 * transient failures are retried, their backoff moving the virtual clock. A processor exception that the policy does
 * not handle surfaces as the {@link BatchFailedException} that {@code runLoop()} would throw; after it the driver
 * refuses further input.
 *
 * <pre>{@code
 * TopicProcessorConfig config = TopicProcessorConfig.builder().topicProcessorName("wc")
 *     .bootstrapServers("unused:9092").inputTopics("lines").inputPartitions(0, 1).batchSize(2).build();
 * try (TopicProcessorTestDriver driver = new TopicProcessorTestDriver(config, p -> new WordCounter())) {
 *     driver.pipeInput("lines", 0, "k", "a b");
 *     driver.pipeInput("lines", 0, "k", "b");         // batch of partition 0 is full: processed now
 *     driver.advanceTime(config.batchWaitDuration()); // closes partial batches by age
 *     List<ProducerRecord<byte[], byte[]>> counts = driver.readOutput("word-counts");
 *     Map<TopicPartition, Long> committed = driver.committedOffsets();  // {lines-0=2}
 * }
 * }</pre>
 *
 * <p>Thread-safety: not thread-safe; use it from the test thread.
 */
public final class TopicProcessorTestDriver implements AutoCloseable {

    private final TopicProcessorConfig config;
    private final BatchAssembler assembler;
    private final BatchRunner runner;
    private final MockProducer<byte[], byte[]> producer;
    private final Map<TopicPartition, Long> nextOffsets = new HashMap<>();
    private final List<Batch> batches = new ArrayList<>();
    private final Map<TopicPartition, Long> committed = new TreeMap<>(
            (a, b) -> a.topic().equals(b.topic()) ? Integer.compare(a.partition(), b.partition())
                    : a.topic().compareTo(b.topic()));
    private long nowNanos;
    private BatchFailedException failure;

    /**
     * Creates a driver. No broker is contacted; {@code bootstrapServers} is ignored.
     *
     * @param config the processor's configuration (topics, partitions, batch size and wait are used)
     * @param processors the processor of every configured partition
     * @throws InvalidConfigException when a partition has no processor
     */
    public TopicProcessorTestDriver(TopicProcessorConfig config, Map<Integer, ? extends MessageProcessor> processors) {
        this(config, (IntFunction<? extends MessageProcessor>) processors::get);
    }

    /**
     * Creates a driver, asking the factory once per configured partition.
     *
     * @param config the processor's configuration
     * @param processorFactory returns the processor of a partition number
     * @throws InvalidConfigException when the factory returns null for a partition, or when the configuration is
     *     group-managed (the driver has no group: give it the partitions to test with {@code inputPartitions})
     */
    public TopicProcessorTestDriver(TopicProcessorConfig config, IntFunction<? extends MessageProcessor> processorFactory) {
        if (config.isGroupManaged()) {
            throw new InvalidConfigException("TopicProcessorTestDriver needs static inputPartitions, but the "
                    + "configuration of '" + config.topicProcessorName() + "' is groupManaged(): build the test "
                    + "configuration with inputPartitions(...) instead");
        }
        this.config = config;
        Map<Integer, MessageProcessor> resolved =
                ProcessorLookup.forPartitions(config.inputPartitions(), processorFactory);
        this.producer = new MockProducer<>(true, new GivenOrFirstPartition(), new ByteArraySerializer(),
                new ByteArraySerializer());
        this.assembler = new BatchAssembler(config.inputPartitions(), config.batchSize(), config.batchMaxBytes(),
                config.batchWaitDuration());
        // Retries wait on the virtual clock: a test of a transient failure takes no wall-clock time.
        this.runner = new BatchRunner(config.topicProcessorName(), resolved, producer, config.meterRegistry(),
                config.errorPolicy(), wait -> {
                    nowNanos += wait.toNanos();
                    return true;
                });
    }

    /**
     * Pipes one input record with UTF-8 key and value; see {@link #pipeInput(String, int, byte[], byte[])}.
     *
     * @param topic an input topic
     * @param partition an input partition
     * @param key the key, may be null
     * @param value the value, may be null
     * @throws BatchFailedException when a batch closed by this record fails
     */
    public void pipeInput(String topic, int partition, String key, String value) {
        pipeInput(topic, partition, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Pipes one input record, as if polled now; its offset is the next of its topic-partition, starting at 0.
     * A batch that becomes full is processed at once.
     *
     * @param topic an input topic
     * @param partition an input partition
     * @param key the key, may be null
     * @param value the value, may be null
     * @throws IllegalArgumentException when the topic or partition is not an input of the configuration
     * @throws BatchFailedException when a batch closed by this record fails
     */
    public void pipeInput(String topic, int partition, byte[] key, byte[] value) {
        checkUsable();
        if (!config.inputTopics().contains(topic)) {
            throw new IllegalArgumentException("topic '" + topic + "' is not one of inputTopics "
                    + config.inputTopics());
        }
        if (!config.inputPartitions().contains(partition)) {
            throw new IllegalArgumentException("partition " + partition + " is not one of inputPartitions "
                    + config.inputPartitions());
        }
        TopicPartition tp = new TopicPartition(topic, partition);
        long offset = nextOffsets.merge(tp, 1L, Long::sum) - 1;
        assembler.add(List.of(new ConsumerRecord<>(topic, partition, offset, key, value)), nowNanos);
        processDue();
    }

    /**
     * Moves the virtual clock forward and processes every batch whose oldest message has now waited
     * {@code batchWaitDuration}.
     *
     * @param duration how far to move the clock
     * @throws BatchFailedException when a batch fails
     */
    public void advanceTime(Duration duration) {
        checkUsable();
        nowNanos += duration.toNanos();
        processDue();
    }

    /** Returns every batch processed so far, in processing order. */
    public List<List<ConsumerRecord<byte[], byte[]>>> processedBatches() {
        List<List<ConsumerRecord<byte[], byte[]>>> result = new ArrayList<>();
        batches.forEach(b -> result.add(b.records()));
        return result;
    }

    /**
     * Returns the records sent to {@code topic} so far, in send order. Records sent without a partition are
     * acknowledged as partition 0 of their topic.
     *
     * @param topic an output topic
     * @return the records, possibly none
     */
    public List<ProducerRecord<byte[], byte[]>> readOutput(String topic) {
        List<ProducerRecord<byte[], byte[]>> result = new ArrayList<>();
        for (ProducerRecord<byte[], byte[]> r : producer.history()) {
            if (r.topic().equals(topic)) {
                result.add(r);
            }
        }
        return result;
    }

    /** Returns every record sent so far per output topic, in send order. */
    public Map<String, List<ProducerRecord<byte[], byte[]>>> readAllOutput() {
        Map<String, List<ProducerRecord<byte[], byte[]>>> result = new TreeMap<>();
        producer.history().forEach(r -> result.computeIfAbsent(r.topic(), t -> new ArrayList<>()).add(r));
        return result;
    }

    /**
     * Returns what {@code TopicProcessor} would have committed: the next offset to consume per input topic-partition
     * whose batches were processed and acknowledged.
     */
    public Map<TopicPartition, Long> committedOffsets() {
        return Map.copyOf(committed);
    }

    private void processDue() {
        for (Batch batch : assembler.takeDue(nowNanos, p -> Integer.MAX_VALUE)) {
            batches.add(batch);
            try {
                runner.run(batch);
                runner.harvest();
            } catch (BatchFailedException e) {
                failure = e;
                throw e;
            }
            runner.drainReleasable().forEach((tp, om) -> committed.put(tp, om.offset()));
            runner.committed(tp -> committed.getOrDefault(tp, -1L));
        }
    }

    private void checkUsable() {
        if (failure != null) {
            throw new IllegalStateException("a batch failed earlier; a TopicProcessor would have stopped", failure);
        }
    }

    /** Removes the driver's metrics; nothing else to release. */
    @Override
    public void close() {
        runner.close();
        producer.close();
    }

    /** Output without a partition goes to partition 0: the driver knows no partition counts. */
    private static final class GivenOrFirstPartition implements Partitioner {
        @Override
        public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes,
                Cluster cluster) {
            return 0;
        }

        @Override
        public void close() {
        }

        @Override
        public void configure(Map<String, ?> configs) {
        }
    }
}
