package io.kasper.test;

import io.kasper.BatchFailedException;
import io.kasper.InvalidConfigException;
import io.kasper.KasperException;
import io.kasper.MessageProcessor;
import io.kasper.PartitionListener;
import io.kasper.TopicProcessorConfig;
import io.kasper.internal.TestDriverRuntime;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 * {@code batchSize}, {@code batchMaxBytes} and {@code batchWaitDuration} rules), on a virtual clock that only
 * {@link #advanceTime} moves. Output is acknowledged at once.
 * The configuration's {@code ErrorPolicy} applies as in {@code TopicProcessor}: poison messages are failed, skipped or
 * dead-lettered (read them with {@link #readOutput} of the dead-letter topic), transient failures are retried, their
 * backoff moving the virtual clock. A processor exception that the policy does not handle surfaces as the
 * {@link BatchFailedException} that {@code runLoop()} would throw; as in {@code TopicProcessor}, the batches processed
 * before it are then committed, the {@link PartitionListener} is told the partitions are revoked, and the driver
 * refuses further input.
 *
 * <p>Lifecycle. The constructor stands for the start of {@code runLoop()} and {@link #close()} for its end: the
 * configured {@link PartitionListener} is told {@link PartitionListener#onPartitionsAssigned} with every configured
 * partition number in the constructor, before any batch, and {@link PartitionListener#onPartitionsRevoked} once, after
 * the final commit, in {@code close()} (or when a batch fails). A listener exception surfaces as the
 * {@link KasperException} that would stop a {@code TopicProcessor}, naming the listener method and the partitions.
 *
 * <p>Commits. Output is acknowledged at once. By default each batch is also committed as soon as it is processed, so
 * no batch stays uncommitted and {@code maxUncommittedBatches} never holds a partition back. After
 * {@link #holdCommits()}, processed batches stay uncommitted until {@link #commit()}; as in {@code TopicProcessor}, a
 * partition then closes at most {@code maxUncommittedBatches} batches that are not yet committed
 * ({@link #uncommittedBatches}), and its further input waits, its batches closing by size or age once a commit makes
 * room.
 *
 * <p>Exactly-once. Under {@link io.kasper.ProcessingGuarantee#EXACTLY_ONCE} the driver models the transactions of
 * {@code TopicProcessor}: the output (and dead letters) of processed batches goes into an open transaction, and
 * {@link #readOutput} shows only committed output, as a {@code read_committed} consumer would. The transaction commits,
 * with the offsets of its batches, once it has been open for {@code transactionCommitInterval} on the virtual clock
 * (checked when input is piped or time advances) or a partition has {@code maxUncommittedBatches} batches in it; after
 * {@link #holdCommits()} only on {@link #commit()}; and on {@link #close()}. Offsets move only with a commit. A retried
 * attempt that had produced output (a transient failure or a poison message after {@code Sender.flush()}) aborts the
 * transaction: its output is never readable, and every batch it held is processed again from the committed offsets,
 * each abort counting against {@code maxRetries} of the partition until its next commit. A batch that fails for good
 * aborts the transaction, so the batches before it in the same transaction are neither readable nor committed.
 *
 * <p>Differences from {@code TopicProcessor}: time is virtual; acknowledgements never fail nor lag (a held commit
 * stands for any delay between processing and commit); a partition held back by {@code maxUncommittedBatches} keeps
 * accepting piped input, whereas {@code TopicProcessor} pauses fetching it, so there the messages fetched after the
 * pause start their batch's wait later; only static partitions are driven, so there are no rebalances and
 * {@link PartitionListener#onPartitionsLost} is never called; within a partition number, messages of several input
 * topics are batched in the order they are piped, where {@code TopicProcessor} takes them in the order it fetches
 * them.
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
    private final TestDriverRuntime runtime;
    private final MockProducer<byte[], byte[]> producer;
    private final Map<TopicPartition, Long> nextOffsets = new HashMap<>();
    private boolean commitsHeld;
    private BatchFailedException failure;
    private boolean stopped;

    /**
     * Creates a driver and tells the configuration's {@link PartitionListener} the partitions are assigned. No broker
     * is contacted; {@code bootstrapServers} is ignored.
     *
     * @param config the processor's configuration (topics, partitions, batch size and wait, error policy,
     *     {@code maxUncommittedBatches} and partition listener are used)
     * @param processors the processor of every configured partition
     * @throws InvalidConfigException when a partition has no processor
     * @throws KasperException when the listener's {@code onPartitionsAssigned} throws
     */
    public TopicProcessorTestDriver(TopicProcessorConfig config, Map<Integer, ? extends MessageProcessor> processors) {
        this(config, Objects.requireNonNull(processors, "processors")::get, "processors map");
    }

    /**
     * Creates a driver, asking the factory once per configured partition.
     *
     * @param config the processor's configuration
     * @param processorFactory returns the processor of a partition number
     * @throws InvalidConfigException when the factory returns null for a partition, or when the configuration is
     *     group-managed (the driver has no group: give it the partitions to test with {@code inputPartitions})
     * @throws KasperException when the listener's {@code onPartitionsAssigned} throws; as in {@code TopicProcessor},
     *     its {@code onPartitionsRevoked} is then called too
     */
    public TopicProcessorTestDriver(TopicProcessorConfig config, IntFunction<? extends MessageProcessor> processorFactory) {
        this(config, Objects.requireNonNull(processorFactory, "processorFactory"), "processorFactory");
    }

    private TopicProcessorTestDriver(TopicProcessorConfig config,
            IntFunction<? extends MessageProcessor> processorFactory, String source) {
        if (config.isGroupManaged()) {
            throw new InvalidConfigException("TopicProcessorTestDriver needs static inputPartitions, but the "
                    + "configuration of '" + config.topicProcessorName() + "' is groupManaged(): build the test "
                    + "configuration with inputPartitions(...) instead");
        }
        this.config = config;
        this.producer = new MockProducer<>(true, new GivenOrFirstPartition(), new ByteArraySerializer(),
                new ByteArraySerializer());
        this.runtime = new TestDriverRuntime(config, processorFactory, source, producer);
        try {
            runtime.assigned();
        } catch (KasperException e) {
            stop(e);
            close();
            throw e;
        }
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
     * A batch that becomes full is processed at once, unless its partition already has {@code maxUncommittedBatches}
     * uncommitted batches (see {@link #holdCommits()}).
     *
     * @param topic an input topic
     * @param partition an input partition
     * @param key the key, may be null
     * @param value the value, may be null
     * @throws IllegalArgumentException when the topic or partition is not an input of the configuration
     * @throws BatchFailedException when a batch closed by this record fails
     * @throws IllegalStateException when a batch failed earlier or the driver is closed
     */
    public void pipeInput(String topic, int partition, byte[] key, byte[] value) {
        checkUsable();
        if (!config.inputTopics().contains(topic)) {
            throw new IllegalArgumentException("topic '" + topic + "' is not one of inputTopics "
                    + config.inputTopics());
        }
        checkPartition(partition);
        TopicPartition tp = new TopicPartition(topic, partition);
        long offset = nextOffsets.merge(tp, 1L, Long::sum) - 1;
        runtime.add(new ConsumerRecord<>(topic, partition, offset, key, value));
        processDue();
    }

    /**
     * Moves the virtual clock forward and processes every batch whose oldest message has now waited
     * {@code batchWaitDuration}.
     *
     * @param duration how far to move the clock
     * @throws BatchFailedException when a batch fails
     * @throws IllegalStateException when a batch failed earlier or the driver is closed
     */
    public void advanceTime(Duration duration) {
        checkUsable();
        runtime.advance(duration);
        processDue();
    }

    /**
     * From now on, leaves processed batches uncommitted until {@link #commit()}, as if the commits of
     * {@code TopicProcessor} lagged behind processing: each partition then processes at most
     * {@code maxUncommittedBatches} batches ahead of its committed offset. {@link #close()} still commits everything
     * processed, as {@code TopicProcessor.close()} does.
     */
    public void holdCommits() {
        commitsHeld = true;
    }

    /**
     * Commits every processed batch now, then processes the batches that were held back by
     * {@code maxUncommittedBatches} and are due (full, or their oldest message has waited {@code batchWaitDuration});
     * with {@link #holdCommits() held commits} those stay uncommitted until the next call.
     *
     * @throws BatchFailedException when a batch processed after the commit fails
     * @throws IllegalStateException when a batch failed earlier or the driver is closed
     */
    public void commit() {
        checkUsable();
        runtime.commitProcessed();
        processDue();
    }

    /**
     * Returns the number of batches of a partition processed but not yet committed; at most
     * {@code maxUncommittedBatches}, and 0 unless commits are {@link #holdCommits() held}.
     *
     * @param partition an input partition
     * @return the uncommitted batches of the partition
     * @throws IllegalArgumentException when the partition is not an input of the configuration
     */
    public int uncommittedBatches(int partition) {
        checkPartition(partition);
        return runtime.uncommittedBatches(partition);
    }

    /**
     * Returns every batch processed so far, in processing order.
     *
     * @return every batch processed so far, in processing order
     */
    public List<List<ConsumerRecord<byte[], byte[]>>> processedBatches() {
        return runtime.processedBatches();
    }

    /**
     * Returns the records sent to {@code topic} so far, in send order; under exactly-once only those of committed
     * transactions. Records sent without a partition are acknowledged as partition 0 of their topic.
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

    /**
     * Returns every record sent so far per output topic, in send order; under exactly-once only those of committed
     * transactions.
     *
     * @return every record sent so far per output topic, in send order
     */
    public Map<String, List<ProducerRecord<byte[], byte[]>>> readAllOutput() {
        Map<String, List<ProducerRecord<byte[], byte[]>>> result = new TreeMap<>();
        producer.history().forEach(r -> result.computeIfAbsent(r.topic(), t -> new ArrayList<>()).add(r));
        return result;
    }

    /**
     * Returns what {@code TopicProcessor} would have committed: the next offset to consume per input topic-partition
     * whose batches were processed, acknowledged and committed (see {@link #holdCommits()}).
     *
     * @return the next offset to consume per input topic-partition, as {@code TopicProcessor} would have committed
     */
    public Map<TopicPartition, Long> committedOffsets() {
        return runtime.committedOffsets();
    }

    /** Processes what is due, as the loop would within {@code maxUncommittedBatches}. */
    private void processDue() {
        try {
            runtime.processDue(!commitsHeld);
        } catch (BatchFailedException e) {
            failure = e;
            stop(e);
            throw e;
        }
    }

    /**
     * Ends the virtual run as the loop's shutdown does: commits every batch completed without failure, then tells the
     * listener the partitions are revoked. A listener failure is thrown, or added to {@code failure} when there is one.
     */
    private void stop(KasperException cause) {
        stopped = true;
        runtime.shutdown(cause != null);
        try {
            runtime.revoked();
        } catch (KasperException e) {
            if (cause == null) {
                throw e;
            }
            cause.addSuppressed(e);
        }
    }

    private void checkPartition(int partition) {
        if (!config.inputPartitions().contains(partition)) {
            throw new IllegalArgumentException("partition " + partition + " is not one of inputPartitions "
                    + config.inputPartitions());
        }
    }

    private void checkUsable() {
        if (failure != null) {
            throw new IllegalStateException("a batch failed earlier; a TopicProcessor would have stopped", failure);
        }
        if (stopped) {
            throw new IllegalStateException("the driver is closed");
        }
    }

    /**
     * Commits every processed batch (under exactly-once: the open transaction), tells the {@link PartitionListener}
     * the partitions are revoked (unless a failed batch already stopped the driver) and removes the driver's metrics. The outputs and offsets stay readable.
     * Idempotent.
     *
     * @throws KasperException when the listener's {@code onPartitionsRevoked} throws; the driver is closed anyway
     */
    @Override
    public void close() {
        try {
            if (!stopped) {
                stop(null);
            }
        } finally {
            runtime.close();
            producer.close();
        }
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
