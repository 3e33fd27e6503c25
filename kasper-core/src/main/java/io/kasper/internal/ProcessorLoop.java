package io.kasper.internal;

import io.kasper.BatchFailedException;
import io.kasper.KasperException;
import io.kasper.MessageProcessor;
import io.kasper.ProcessorState;
import io.kasper.TopicProcessorConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single-threaded event loop behind {@code TopicProcessor}: poll, assemble batches per partition number, call the
 * processors, produce their output, and commit each batch's offsets once it and every earlier batch of its partition
 * are acknowledged. Processing continues while acknowledgements are in flight, so the loop never idles on acks.
 *
 * <p>The partitions come from the configuration ({@code consumer.assign}) or, in group-managed mode, from the consumer
 * group ({@code consumer.subscribe}); the {@link RebalanceHandler} keeps the loop's per-partition state
 * ({@link Assignment}, batches, offsets) right when they move.
 *
 * <p>Internal API. Thread-safety: {@link #run()} runs on one thread; {@link #requestStop()},
 * {@link #hasConsumedAllMessages()} are safe from any thread.
 */
public final class ProcessorLoop {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessorLoop.class);
    /** Longest poll when idle: bounds how late a stop request or a batch deadline is noticed. */
    private static final long IDLE_POLL_MILLIS = 100;
    /** Poll while acknowledgements are outstanding: they complete on another thread and must be noticed soon. */
    private static final long BUSY_POLL_MILLIS = 2;
    /** First wait before a failed commit is tried again; it doubles up to {@link #MAX_COMMIT_BACKOFF_NANOS}. */
    private static final long COMMIT_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long MAX_COMMIT_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** How often lag and {@link #hasConsumedAllMessages()} are refreshed: often enough to be current, rarely
     *  enough to stay off the hot path of a loop that spins every few milliseconds. */
    private static final long PROGRESS_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final TopicProcessorConfig config;
    private final Map<Integer, MessageProcessor> processors;
    private final KafkaClientProperties clients;
    private final String name;
    private final Assignment assignment;
    private final BatchAssembler assembler;
    private final MemoryBudget budget;
    private final ProcessorStatus status = new ProcessorStatus();
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private volatile boolean stopRequested;
    private int failedCommits;
    private long nextCommitNanos;
    private BrokerWatch watch;
    private volatile boolean consumedAll;
    private long lastProgressNanos = System.nanoTime() - PROGRESS_INTERVAL_NANOS;
    private boolean commitInFlight;
    private ProcessorMetrics metrics;
    private BatchRunner runner;
    private RebalanceHandler rebalance;
    private final KafkaClientFactory factory;
    private Consumer<byte[], byte[]> consumer;
    private Producer<byte[], byte[]> producer;

    /**
     * Creates the loop; nothing connects until {@link #run()}.
     *
     * @param config the validated configuration
     * @param processors a processor for every partition number the loop may be given: the configured ones in
     *     static mode, every partition of the input topics in group-managed mode
     */
    public ProcessorLoop(TopicProcessorConfig config, Map<Integer, MessageProcessor> processors) {
        this(config, processors, new KafkaClientProperties(config), KafkaClientFactory.KAFKA);
    }

    /** Creates a loop whose clients come from {@code factory}: unit tests pass mock clients. */
    ProcessorLoop(TopicProcessorConfig config, Map<Integer, MessageProcessor> processors,
            KafkaClientProperties clients, KafkaClientFactory factory) {
        this.config = config;
        this.factory = factory;
        this.processors = Map.copyOf(processors);
        this.clients = clients;
        this.name = config.topicProcessorName();
        this.assignment = new Assignment(config.inputTopics());
        this.assembler = new BatchAssembler(this.processors.keySet(), config.batchSize(), config.batchMaxBytes(),
                config.batchWaitDuration());
        this.budget = new MemoryBudget(config.maxBufferedBytes());
    }

    /**
     * Checks the configuration against the cluster; see {@code TopicValidator}.
     *
     * @param config the configuration
     * @return the input topics' partition count
     * @throws io.kasper.InvalidConfigException when topics are missing, differ in partition count or are too small
     */
    public static int validateTopics(TopicProcessorConfig config) {
        return TopicValidator.validate(config, new KafkaClientProperties(config));
    }

    /**
     * Claims the configured partitions for this JVM.
     *
     * @param config the configuration
     * @throws io.kasper.InvalidConfigException when another open processor of the same name claims one of them
     */
    public static void claimPartitions(TopicProcessorConfig config) {
        PartitionClaims.claim(config);
    }

    /** Releases partitions claimed by {@link #claimPartitions}. */
    public static void releasePartitions(TopicProcessorConfig config) {
        PartitionClaims.release(config);
    }

    /** Asks the loop to finish: it stops polling, waits for outstanding acks, commits and returns. Any thread. */
    public void requestStop() {
        stopRequested = true;
        status.closing();
        stopSignal.countDown();
    }

    /** Marks a loop that was closed before it ever ran as closed. */
    public void closedBeforeRun() {
        status.stopped(null);
    }

    /** Returns the loop's state, failure and readiness; safe from any thread. */
    public ProcessorStatus status() {
        return status;
    }

    /** Returns whether every assigned input partition's committed offset has reached its high-water mark. */
    public boolean hasConsumedAllMessages() {
        return consumedAll;
    }

    /**
     * Runs until {@link #requestStop()} or a failure.
     *
     * @throws BatchFailedException when a processor throws or output cannot be produced
     * @throws KasperException on any other failure of the Kafka clients
     */
    public void run() {
        KasperException failure = null;
        try {
            start();
            while (!stopRequested) {
                step();
            }
        } catch (BatchFailedException e) {
            failure = e;
        } catch (InterruptException e) {
            // Treated as a stop request; the interrupt flag is restored for the caller.
            Thread.currentThread().interrupt();
            LOG.warn("TopicProcessor '{}' interrupted, stopping", name);
        } catch (KasperException e) {
            failure = e;
        } catch (RuntimeException e) {
            failure = SecurityFailures.translate(name, "consuming and producing", clients.consumer(), e)
                    .orElseGet(() -> new KasperException("TopicProcessor '" + name + "' failed: " + e, e));
        }
        try {
            failure = shutdown(failure);
        } finally {
            status.stopped(failure);
        }
        if (failure != null) {
            LOG.error("TopicProcessor '{}' stopped on failure: {}", name, failure.getMessage(), failure);
            throw failure;
        }
    }

    private void start() {
        status.move(ProcessorState.STARTING);
        consumer = factory.consumer(clients.consumer());
        producer = factory.producer(clients.producer());
        runner = new BatchRunner(name, processors, producer, config.meterRegistry(), config.errorPolicy(),
                wait -> !stopSignal.await(wait.toNanos(), TimeUnit.NANOSECONDS), budget);
        metrics = runner.metrics();
        metrics.memory(budget);
        metrics.readiness(status);
        metrics.produceRetries(producer);
        watch = new BrokerWatch(name, config.bootstrapServers(), config.errorPolicy().brokerOutageTimeout(), status,
                System.nanoTime());
        rebalance = new RebalanceHandler(name, config.closeTimeout(), config.partitionListener(), assignment,
                assembler, runner, consumer, status);
        if (config.isGroupManaged()) {
            consumer.subscribe(config.inputTopics(), rebalance);
            LOG.info("TopicProcessor '{}' started: joining group '{}' (group-managed assignment{}), topics {}, "
                            + "batchSize {}, batchWaitDuration {}", name, config.consumerGroupId(),
                    config.groupInstanceId().map(id -> ", group.instance.id " + id).orElse(""), config.inputTopics(),
                    config.batchSize(), config.batchWaitDuration());
            return;
        }
        List<TopicPartition> fixed = new ArrayList<>();
        for (int p : config.inputPartitions()) {
            for (String topic : config.inputTopics()) {
                fixed.add(new TopicPartition(topic, p));
            }
        }
        consumer.assign(fixed);
        Map<TopicPartition, Long> starting = new LinkedHashMap<>();
        for (TopicPartition tp : fixed) {
            long position = consumer.position(tp, Duration.ofSeconds(60));
            assignment.add(tp, position);
            starting.put(tp, position);
            metrics.behindGauge(tp, assignment.behind());
        }
        rebalance.staticAssigned(new TreeSet<>(config.inputPartitions()));
        rebalance.rethrowFailure();
        status.move(ProcessorState.RUNNING);
        LOG.info("TopicProcessor '{}' started: group '{}', topics {}, partitions {}, batchSize {}, "
                        + "batchWaitDuration {}, starting offsets {}", name, config.consumerGroupId(),
                config.inputTopics(), config.inputPartitions(), config.batchSize(), config.batchWaitDuration(),
                starting);
    }

    private void step() {
        if (runner.harvest() > 0) {
            watch.contact(System.nanoTime());
        }
        commitAsync();
        long now = System.nanoTime();
        long waitMillis = runner.isIdle() && !commitInFlight
                ? Math.min(IDLE_POLL_MILLIS, TimeUnit.NANOSECONDS.toMillis(assembler.nanosUntilNextDeadline(now)))
                : BUSY_POLL_MILLIS;
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(waitMillis));
        rebalance.rethrowFailure();
        now = System.nanoTime();
        if (!records.isEmpty()) {
            watch.contact(now);
        } else {
            watch.check(consumer, this::probePartitions, now);
        }
        for (TopicPartition tp : records.partitions()) {
            assembler.add(records.records(tp), now);
        }
        for (Batch batch : takeBatches(now)) {
            runner.run(batch);
            if (stopRequested) {
                break;
            }
        }
        updatePauses();
        if (now - lastProgressNanos >= PROGRESS_INTERVAL_NANOS) {
            lastProgressNanos = now;
            updateProgress();
        }
    }

    /**
     * Closes the batches to process now: those due, as long as their bytes (which their output will roughly add
     * again) fit under the byte budget; or, while the budget is reached, one batch at a time and only when no output
     * awaits acknowledgement (so held bytes fall), closed at once so that paused input never waits for its batch to
     * fill up.
     */
    private List<Batch> takeBatches(long now) {
        IntUnaryOperator room = p -> config.maxUncommittedBatches() - runner.inFlight(p);
        if (!budget.update(assembler.bytesWaiting())) {
            return assembler.takeDue(now, room, budget.headroom());
        }
        return runner.isIdle() ? assembler.takeOldest(room) : List.of();
    }

    /** Partitions whose end offsets the broker watch asks for: the owned ones, else partition 0 of each topic. */
    private Collection<TopicPartition> probePartitions() {
        Collection<TopicPartition> owned = assignment.topicPartitions();
        if (!owned.isEmpty()) {
            return owned;
        }
        List<TopicPartition> first = new ArrayList<>();
        for (String topic : config.inputTopics()) {
            first.add(new TopicPartition(topic, 0));
        }
        return first;
    }

    private void commitAsync() {
        if (commitInFlight || failedCommits > 0 && System.nanoTime() < nextCommitNanos) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = runner.drainReleasable();
        offsets.keySet().removeIf(tp -> !assignment.owns(tp));
        if (offsets.isEmpty()) {
            return;
        }
        commitInFlight = true;
        long start = System.nanoTime();
        consumer.commitAsync(offsets, (result, exception) -> {
            commitInFlight = false;
            long end = System.nanoTime();
            metrics.commit(end - start);
            if (exception == null) {
                offsets.forEach((tp, om) -> assignment.committed(tp, om.offset()));
                runner.committed(assignment::committed);
                watch.contact(end);
                if (failedCommits > 0) {
                    LOG.info("TopicProcessor '{}': commits succeed again after {} failed attempt(s)", name,
                            failedCommits);
                    failedCommits = 0;
                }
            } else {
                failedCommits++;
                metrics.commitFailure();
                watch.failedRequest();
                nextCommitNanos = end + Math.min(MAX_COMMIT_BACKOFF_NANOS,
                        COMMIT_BACKOFF_NANOS << Math.min(failedCommits - 1, 10));
                if (failedCommits == 1) {
                    LOG.warn("TopicProcessor '{}': commit of {} failed, retrying with backoff while the partitions "
                            + "are still owned: {}", name, offsets, exception.toString());
                } else {
                    LOG.debug("TopicProcessor '{}': commit attempt {} failed: {}", name, failedCommits,
                            exception.toString());
                }
                // After a rebalance, an old offset must not overwrite what the partition's next owner commits.
                offsets.keySet().removeIf(tp -> !assignment.owns(tp) || offsets.get(tp).offset()
                        <= assignment.committed(tp));
                runner.restore(offsets);
            }
        });
    }

    private void updatePauses() {
        Set<Integer> paused = assignment.paused();
        boolean overBudget = budget.update(assembler.bytesWaiting());
        for (Map.Entry<Integer, List<TopicPartition>> e : assignment.byPartition().entrySet()) {
            int p = e.getKey();
            boolean full = overBudget || assembler.isFull(p);
            if (full && paused.add(p)) {
                consumer.pause(e.getValue());
            } else if (!full && paused.remove(p)) {
                consumer.resume(e.getValue());
            }
        }
    }

    private void updateProgress() {
        boolean all = assignment.isKnown();
        for (TopicPartition tp : assignment.topicPartitions()) {
            OptionalLong lag = consumer.currentLag(tp);
            if (lag.isEmpty()) {
                all = false;
                continue;
            }
            long highWaterMark = consumer.position(tp) + lag.getAsLong();
            long lagBehind = Math.max(0, highWaterMark - assignment.committed(tp));
            assignment.behind().put(tp, lagBehind);
            all &= lagBehind == 0;
        }
        consumedAll = all;
    }

    /**
     * Waits for outstanding acks, commits every batch completed without failure (never one that failed or follows a
     * failed one of its partition), and closes the clients.
     */
    private KasperException shutdown(KasperException failure) {
        // With no broker answering, waiting for acks or a final commit only delays the failure.
        Duration timeout = watch != null && watch.isUnreachable() ? Duration.ZERO : config.closeTimeout();
        boolean drained = false;
        if (rebalance != null) {
            rebalance.closing();
        }
        try {
            if (runner != null) {
                drained = runner.awaitAll(timeout);
                try {
                    runner.harvest();
                } catch (BatchFailedException e) {
                    if (failure == null) {
                        failure = e;
                    }
                }
                if (!drained) {
                    LOG.warn("TopicProcessor '{}': output still unacknowledged after {}; its input stays uncommitted",
                            name, timeout);
                }
                commitFinal(timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("TopicProcessor '{}': final commit failed, uncommitted input will be processed again: {}",
                    name, e.toString());
        } finally {
            if (rebalance != null && !config.isGroupManaged()) {
                rebalance.staticRevoked(new TreeSet<>(config.inputPartitions()));
            }
            closeClients(timeout, drained);
            if (runner != null) {
                runner.close();
            }
            LOG.info("TopicProcessor '{}' stopped: committed offsets {}", name, new TreeMap<>(committedView()));
        }
        return failure;
    }

    private void commitFinal(Duration timeout) {
        Map<TopicPartition, OffsetAndMetadata> toCommit = new HashMap<>();
        runner.completedOffsets().forEach((tp, om) -> {
            if (assignment.owns(tp) && om.offset() > assignment.committed(tp)) {
                toCommit.put(tp, om);
            }
        });
        if (!toCommit.isEmpty()) {
            long start = System.nanoTime();
            consumer.commitSync(toCommit, timeout);
            metrics.commit(System.nanoTime() - start);
            toCommit.forEach((tp, om) -> assignment.committed(tp, om.offset()));
            updateProgressQuietly();
        }
    }

    private void updateProgressQuietly() {
        try {
            updateProgress();
        } catch (RuntimeException e) {
            LOG.debug("cannot update progress after the final commit", e);
        }
    }

    private Map<String, Long> committedView() {
        Map<String, Long> view = new HashMap<>();
        assignment.committedView().forEach((tp, offset) -> view.put(tp.toString(), offset));
        return view;
    }

    private void closeClients(Duration timeout, boolean drained) {
        if (producer != null) {
            try {
                // Undelivered output of an undrained producer must not delay the exit: its input is uncommitted.
                producer.close(drained ? timeout : Duration.ZERO);
            } catch (RuntimeException e) {
                LOG.warn("TopicProcessor '{}': closing the producer failed: {}", name, e.toString());
            }
        }
        if (consumer != null) {
            try {
                consumer.close(CloseOptions.timeout(timeout));
            } catch (RuntimeException e) {
                LOG.warn("TopicProcessor '{}': closing the consumer failed: {}", name, e.toString());
            }
        }
    }
}
