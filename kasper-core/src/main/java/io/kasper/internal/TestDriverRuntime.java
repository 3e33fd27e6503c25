package io.kasper.internal;

import io.kasper.BatchFailedException;
import io.kasper.InvalidConfigException;
import io.kasper.KasperException;
import io.kasper.MessageProcessor;
import io.kasper.TopicProcessorConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntFunction;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;

/**
 * The one entry point of the test kit's {@code TopicProcessorTestDriver} into the machinery: the batching, processing,
 * error policy and commit bookkeeping of a static {@code TopicProcessor}, with no consumer and on a virtual clock that
 * only {@link #advance} (and the backoff of a retried batch) moves. Batches are formed and run by the same classes as
 * in the event loop, so that a driver test exercises the code a {@code TopicProcessor} runs.
 *
 * <p>Under {@link io.kasper.ProcessingGuarantee#EXACTLY_ONCE} the producer must support transactions (the test kit's
 * {@code MockProducer} does): a transaction begins before the first batch after a commit and commits, with the
 * offsets, when {@link #commitProcessed()} is called; a batch whose failed attempt had produced output aborts it, and
 * every piped record since the last commit is batched and processed again, as the loop rewinds to the committed
 * offsets.
 *
 * <p>Not API: see the package documentation. Thread-safety: not thread-safe; used from the test thread.
 */
public final class TestDriverRuntime implements AutoCloseable {

    private final TopicProcessorConfig config;
    private final Set<Integer> partitions;
    private final ListenerCalls listener;
    private final BatchAssembler assembler;
    private final BatchRunner runner;
    private final List<Batch> processed = new ArrayList<>();
    private final Map<TopicPartition, Long> committed = new TreeMap<>(
            (a, b) -> a.topic().equals(b.topic()) ? Integer.compare(a.partition(), b.partition())
                    : a.topic().compareTo(b.topic()));
    private final Producer<byte[], byte[]> producer;
    /** Under exactly-once, every record added since its partition's last commit, in the order added. */
    private final List<ConsumerRecord<byte[], byte[]>> uncommittedInput = new ArrayList<>();
    /** Under exactly-once, the aborts per partition number since its last commit, as the loop counts them. */
    private final Map<Integer, Integer> abortRetries = new HashMap<>();
    private boolean transactionOpen;
    private long transactionOpenedNanos;
    private long nowNanos;

    /**
     * Finds the processor of every configured partition and builds the batching and processing of a static
     * processor. Contacts no cluster.
     *
     * @param config a configuration with static {@code inputPartitions}
     * @param processorFactory returns the processor of a partition number, or null when there is none
     * @param source what {@code processorFactory} is, for messages ("processors map", "processorFactory")
     * @param producer receives the output, acknowledged as it sees fit
     * @throws InvalidConfigException when a partition has no processor
     */
    public TestDriverRuntime(TopicProcessorConfig config, IntFunction<? extends MessageProcessor> processorFactory,
            String source, Producer<byte[], byte[]> producer) {
        this.config = config;
        Map<Integer, MessageProcessor> resolved =
                ProcessorLookup.forPartitions(config.inputPartitions(), processorFactory, source);
        ProcessorLogContext context = new ProcessorLogContext(config.topicProcessorName());
        this.assembler = new BatchAssembler(config.inputPartitions(), config.batchSize(), config.batchMaxBytes(),
                config.batchWaitDuration());
        // Retries wait on the virtual clock: a test of a transient failure takes no wall-clock time.
        this.runner = new BatchRunner(context,
                ProcessorInstances.next(config.topicProcessorName()), resolved, producer, config.meterRegistry(),
                config.errorPolicy(), wait -> {
                    nowNanos += wait.toNanos();
                    return true;
                });
        this.listener = new ListenerCalls(context, config.partitionListener());
        this.partitions = new TreeSet<>(config.inputPartitions());
        this.producer = producer;
        if (config.isExactlyOnce()) {
            runner.transactional();
            producer.initTransactions();
        }
    }

    /** Returns whether the configuration is exactly-once, so that output is readable only once committed. */
    public boolean isExactlyOnce() {
        return config.isExactlyOnce();
    }

    /**
     * Tells the configuration's {@code PartitionListener} that every configured partition is assigned.
     *
     * @throws KasperException when the listener throws; the message names the method and the partitions
     */
    public void assigned() {
        listener.assigned(partitions);
    }

    /**
     * Tells the configuration's {@code PartitionListener} that every configured partition is revoked.
     *
     * @throws KasperException when the listener throws; the message names the method and the partitions
     */
    public void revoked() {
        listener.revoked(partitions);
    }

    /**
     * Adds one input record as if polled at the current virtual time; nothing is processed yet.
     *
     * @param record a record of a configured input topic and partition
     */
    public void add(ConsumerRecord<byte[], byte[]> record) {
        assembler.add(List.of(record), nowNanos);
        if (config.isExactlyOnce()) {
            uncommittedInput.add(record);
        }
    }

    /**
     * Moves the virtual clock forward; nothing is processed yet.
     *
     * @param duration how far
     */
    public void advance(Duration duration) {
        nowNanos += duration.toNanos();
    }

    /**
     * Processes every batch that is due (full, or its oldest message has waited {@code batchWaitDuration}), as the
     * loop would within {@code maxUncommittedBatches} per partition, one at a time; with {@code commitEach} the
     * offsets of each processed batch are committed at once, which may make room for more batches of its partition.
     *
     * @param commitEach whether to commit after each batch, or leave the batches for {@link #commitProcessed()}
     * @throws BatchFailedException when a batch fails; it is in {@link #processedBatches()}, uncommitted
     */
    public void processDue(boolean commitEach) {
        commitIfDue(commitEach);
        List<Batch> due = takeDue();
        while (!due.isEmpty()) {
            for (Batch batch : due) {
                processed.add(batch);
                if (!run(batch)) {
                    break; // the transaction was aborted: the batches taken with this one are batched again
                }
                runner.harvest();
                commitIfDue(commitEach);
            }
            // a commit right after each batch may have made room for more batches of the same partition
            due = takeDue();
        }
    }

    /** Runs a batch; under exactly-once returns false when an attempt's output made the transaction abort. */
    private boolean run(Batch batch) {
        if (!config.isExactlyOnce()) {
            runner.run(batch);
            return true;
        }
        if (!transactionOpen) {
            producer.beginTransaction();
            transactionOpen = true;
            transactionOpenedNanos = nowNanos;
        }
        try {
            runner.run(batch);
            return true;
        } catch (TransactionAbortRequired e) {
            int retry = abortRetries.merge(batch.partition(), 1, Integer::sum);
            if (retry > config.errorPolicy().maxRetries()) {
                throw runner.failure(batch, "MessageProcessor threw after " + config.errorPolicy().maxRetries()
                        + " retries (each aborted the open transaction)", e.getCause());
            }
            abortAndRewind();
            nowNanos += config.errorPolicy().backoff(retry).toNanos();
            return false;
        }
    }

    /**
     * Commits when the loop would: at-least-once after each batch; exactly-once once the transaction has been open
     * for {@code transactionCommitInterval} on the virtual clock or a partition can take no more batches.
     */
    private void commitIfDue(boolean commitEach) {
        if (!commitEach) {
            return;
        }
        if (!config.isExactlyOnce()) {
            commitProcessed();
            return;
        }
        if (!transactionOpen) {
            return;
        }
        boolean full = partitions.stream().anyMatch(p -> runner.inFlight(p) >= config.maxUncommittedBatches());
        if (full || nowNanos - transactionOpenedNanos >= config.transactionCommitInterval().toNanos()) {
            commitProcessed();
        }
    }

    /** Aborts the open transaction and puts every record since the last commit back to be batched again. */
    private void abortAndRewind() {
        producer.abortTransaction();
        transactionOpen = false;
        runner.forget(partitions);
        assembler.discard(partitions);
        for (ConsumerRecord<byte[], byte[]> record : uncommittedInput) {
            assembler.add(List.of(record), nowNanos);
        }
    }

    private List<Batch> takeDue() {
        return assembler.takeDue(nowNanos, p -> config.maxUncommittedBatches() - runner.inFlight(p));
    }

    /**
     * Commits the offsets of every batch processed and acknowledged, in order, since the last commit; under
     * exactly-once with the open transaction, which makes its output readable.
     */
    public void commitProcessed() {
        Map<TopicPartition, OffsetAndMetadata> offsets = runner.drainReleasable();
        if (config.isExactlyOnce()) {
            if (!transactionOpen) {
                return;
            }
            if (!offsets.isEmpty()) {
                producer.sendOffsetsToTransaction(offsets, new ConsumerGroupMetadata(config.consumerGroupId()));
            }
            producer.commitTransaction();
            transactionOpen = false;
            offsets.keySet().forEach(tp -> abortRetries.remove(tp.partition()));
        }
        offsets.forEach((tp, om) -> committed.put(tp, om.offset()));
        runner.committed(tp -> committed.getOrDefault(tp, -1L));
        uncommittedInput.removeIf(r -> r.offset() < committed.getOrDefault(
                new TopicPartition(r.topic(), r.partition()), 0L));
    }

    /**
     * Ends the run as the loop's shutdown does. At-least-once: commits the offsets of every batch completed without
     * failure (after a failed batch, the batches before it). Exactly-once: commits the open transaction after a clean
     * run; after a failure aborts it, so that nothing of its batches is committed nor readable.
     *
     * @param failed whether a batch failed
     */
    public void shutdown(boolean failed) {
        if (!config.isExactlyOnce()) {
            runner.completedOffsets().forEach((tp, om) -> committed.merge(tp, om.offset(), Math::max));
            runner.committed(tp -> committed.getOrDefault(tp, -1L));
        } else if (!failed) {
            commitProcessed();
        } else if (transactionOpen) {
            producer.abortTransaction();
            transactionOpen = false;
        }
    }

    /**
     * Returns the number of batches of a partition processed but not yet committed.
     *
     * @param partition a configured partition number
     * @return the partition's uncommitted batches
     */
    public int uncommittedBatches(int partition) {
        return runner.inFlight(partition);
    }

    /** Returns the records of every batch processed so far, in processing order, the failed one included. */
    public List<List<ConsumerRecord<byte[], byte[]>>> processedBatches() {
        List<List<ConsumerRecord<byte[], byte[]>>> result = new ArrayList<>();
        processed.forEach(b -> result.add(b.records()));
        return result;
    }

    /** Returns the committed offsets: the next offset to consume per input topic-partition, as an immutable copy. */
    public Map<TopicPartition, Long> committedOffsets() {
        return Map.copyOf(committed);
    }

    /** Removes the processor's metrics. */
    @Override
    public void close() {
        runner.close();
    }
}
