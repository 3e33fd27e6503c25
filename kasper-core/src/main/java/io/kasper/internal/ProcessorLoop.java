package io.kasper.internal;

import io.kasper.BatchFailedException;
import io.kasper.GroupProtocol;
import io.kasper.KasperException;
import io.kasper.MessageProcessor;
import io.kasper.ProcessorState;
import io.kasper.TopicProcessorConfig;
import io.micrometer.observation.Observation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * The single-threaded event loop behind {@code TopicProcessor}: poll, assemble batches per partition number, call the
 * processors, produce their output, and commit each batch's offsets once it and every earlier batch of its partition
 * are acknowledged. Processing continues while acknowledgements are in flight, so the loop never idles on acks.
 * Under exactly-once the consumer commits nothing: output and offsets of the batches of a commit interval are
 * committed in one Kafka transaction (see {@link Transactions}).
 *
 * <p>The partitions come from the configuration ({@code consumer.assign}) or, in group-managed mode, from the consumer
 * group ({@code consumer.subscribe}); the {@link RebalanceHandler} keeps the loop's per-partition state
 * ({@link Assignment}, batches, offsets) right when they move.
 *
 * <p>Thread-safety: {@link #run()} runs on one thread; {@link #requestStop()},
 * {@link #hasConsumedAllMessages()} are safe from any thread.
 */
final class ProcessorLoop {

    /** Longest poll when idle: bounds how late a stop request or a batch deadline is noticed. */
    private static final long IDLE_POLL_MILLIS = 100;
    /** Poll while acknowledgements are outstanding: they complete on another thread and must be noticed soon. */
    private static final long BUSY_POLL_MILLIS = 2;
    /** How often lag and {@link #hasConsumedAllMessages()} are refreshed: often enough to be current, rarely
     *  enough to stay off the hot path of a loop that spins every few milliseconds. */
    private static final long PROGRESS_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final TopicProcessorConfig config;
    private final Map<Integer, MessageProcessor> processors;
    private final KafkaClientProperties clients;
    private final ProcessorLogContext context;
    private final ProcessorLogger log;
    private final Assignment assignment;
    private final BatchAssembler assembler;
    private final MemoryBudget budget;
    private final ProcessorStatus status = new ProcessorStatus();
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private volatile boolean stopRequested;
    private final CommitFailures commitFailures;
    /** A commit failure that stops the loop, kept by the commit callback (which runs inside poll) for the loop. */
    private Throwable commitRejection;
    private BrokerWatch watch;
    private long lastProgressNanos = System.nanoTime() - PROGRESS_INTERVAL_NANOS;
    private long lastIdleCheckNanos = System.nanoTime() - PROGRESS_INTERVAL_NANOS;
    private boolean commitInFlight;
    /** The batch whose processor runs now, to name it when a JVM Error escapes from it. */
    private Batch running;
    private ProcessorMetrics metrics;
    private BatchRunner runner;
    private RebalanceHandler rebalance;
    private final KafkaClientFactory factory;
    private Consumer<byte[], byte[]> consumer;
    private Producer<byte[], byte[]> producer;
    /** The transactions under exactly-once; null under at-least-once. */
    private Transactions transactions;
    /**
     * Under exactly-once, per partition number, the transactions aborted to retry one of its batches since its last
     * commit: bounded by the error policy's {@code maxRetries} like retries in place.
     */
    private final Map<Integer, Integer> abortRetries = new HashMap<>();

    /**
     * Creates the loop; nothing connects until {@link #run()}.
     *
     * @param config the validated configuration
     * @param processors a processor for every partition number the loop may be given: the configured ones in
     *     static mode, every partition of the input topics in group-managed mode
     * @param clients the Kafka client properties of this processor
     * @param factory creates the Kafka clients ({@link KafkaClientFactory#KAFKA}; unit tests pass mock clients)
     * @param context names the processor in log lines and messages
     */
    ProcessorLoop(TopicProcessorConfig config, Map<Integer, MessageProcessor> processors,
            KafkaClientProperties clients, KafkaClientFactory factory, ProcessorLogContext context) {
        this.config = config;
        this.factory = factory;
        this.processors = Map.copyOf(processors);
        this.clients = clients;
        this.context = context;
        this.log = context.logger(ProcessorLoop.class);
        this.assignment = new Assignment(config.inputTopics());
        this.assembler = new BatchAssembler(this.processors.keySet(), config.batchSize(), config.batchMaxBytes(),
                config.batchWaitDuration());
        this.budget = new MemoryBudget(config.maxBufferedBytes());
        this.commitFailures = new CommitFailures(context, config.consumerGroupId(), config.isGroupManaged(),
                config.errorPolicy().brokerOutageTimeout(),
                () -> GroupMembers.list(factory, clients.admin(), config.consumerGroupId()));
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

    /** Returns the instance id: the prefix of the Kafka client ids and the instance tag of the meters. */
    public String instanceId() {
        return clients.instanceId();
    }

    /** Returns the loop's state, failure and readiness; safe from any thread. */
    public ProcessorStatus status() {
        return status;
    }

    /**
     * Returns whether every owned input partition's committed offset has reached its end (the last stable offset
     * under read_committed), as last seen by the loop; false until the assignment and the lag of every owned
     * partition are known, and from the start of a rebalance until the new assignment's lag is known.
     */
    public boolean hasConsumedAllMessages() {
        return status.hasConsumedAll();
    }

    /**
     * Runs until {@link #requestStop()}, an interrupt of the calling thread (a stop whose interrupt flag is kept) or
     * a failure. Every way out goes through the same shutdown: wait for acknowledgements, commit what completed,
     * close the clients, remove the meters.
     *
     * @throws BatchFailedException when a processor throws or output cannot be produced
     * @throws KasperException on any other failure of the Kafka clients
     * @throws Error a JVM {@link VirtualMachineError} (such as {@link OutOfMemoryError} or
     *     {@link StackOverflowError}) from a processor or a {@code PartitionListener}, or any {@link Error} from the
     *     loop itself, rethrown as it is after the shutdown; {@link ProcessorStatus#failure()} then holds a
     *     {@link KasperException} describing it, with the Error as its cause
     */
    public void run() {
        Throwable thrown = null;
        try {
            start();
            while (!stopRequested) {
                step();
            }
        } catch (InterruptException e) {
            // Treated as a stop request; shutdown keeps the interrupt flag for the caller.
            log.sentences().warn("interrupted, stopping");
        } catch (Throwable t) { // Errors too: they must close the clients and release the group seat as well
            thrown = t;
        }
        Error fatal = fatalError(thrown);
        KasperException failure = thrown == null ? null : describe(thrown);
        try {
            failure = shutdown(failure);
            KasperException late = rebalance == null ? null : rebalance.takeFailure();
            if (late != null && failure == null) {
                // a PartitionListener threw while the processor stopped
                failure = late;
                fatal = rebalance.fatalError(late);
            } else if (late != null && late != failure) {
                failure.addSuppressed(late);
                log.warn("also failed while stopping: {}", late.getMessage());
            }
        } catch (Error e) {
            // the shutdown itself hit an Error: its steps still ran (they are in finally blocks); report it
            if (fatal == null) {
                fatal = e;
            }
            if (failure == null) {
                failure = describe(e);
            }
        } finally {
            status.stopped(failure);
        }
        if (failure != null) {
            log.sentences().error("stopped on failure: {}", failure.getMessage(), failure);
        }
        if (fatal != null) {
            throw fatal;
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Returns the JVM Error to rethrow unwrapped: one the loop caught, or one a {@code PartitionListener} threw (kept
     * by the {@link RebalanceHandler} behind the failure it reported).
     */
    private Error fatalError(Throwable thrown) {
        if (thrown instanceof Error error) {
            return error;
        }
        if (thrown instanceof KasperException failure && rebalance != null) {
            return rebalance.fatalError(failure);
        }
        return null;
    }

    /** Returns the failure {@link ProcessorStatus#failure()} records for what stopped the loop. */
    private KasperException describe(Throwable thrown) {
        if (thrown instanceof KasperException e) {
            return e;
        }
        if (thrown instanceof Error error && running != null && runner != null) {
            return runner.failure(running, "MessageProcessor threw", error);
        }
        Optional<KasperException> unsupported = GroupProtocolSupport.translate(config, context, thrown);
        if (unsupported.isPresent()) {
            return unsupported.get();
        }
        if (thrown instanceof RuntimeException e) {
            return SecurityFailures.translate(context, "consuming and producing", clients.consumer(), e)
                    .orElseGet(() -> new KasperException(context.sentence("failed: " + e), e));
        }
        return new KasperException(context.sentence("failed: " + thrown), thrown);
    }

    private void start() {
        status.move(ProcessorState.STARTING);
        consumer = factory.consumer(clients.consumer());
        producer = factory.producer(clients.producer());
        watch = new BrokerWatch(context, config.bootstrapServers(), config.errorPolicy().brokerOutageTimeout(), status,
                System.nanoTime());
        // Flushes wait on the watch's budget: a flush that waits in vain is silence like any unanswered request.
        runner = new BatchRunner(context, clients.instanceId(), processors, producer, config.meterRegistry(),
                config.errorPolicy(), wait -> !stopSignal.await(wait.toNanos(), TimeUnit.NANOSECONDS), watch, budget,
                new BatchObservations(config.observationRegistry(), config.topicProcessorName(),
                        config.processingGuarantee().name()));
        metrics = runner.metrics();
        metrics.memory(budget);
        metrics.readiness(status);
        metrics.produceRetries(producer);
        if (config.isExactlyOnce()) {
            runner.transactional();
            transactions = new Transactions(context, producer, consumer, runner, assignment, assembler,
                    commitFailures, watch, this::validPosition, config.transactionCommitInterval(),
                    clients.transactionalId());
            transactions.init();
        }
        rebalance = new RebalanceHandler(context, config.closeTimeout(), config.partitionListener(), assignment,
                assembler, runner, consumer, status, commitFailures, config.inputTopics(),
                config.isGroupManaged() ? config.groupProtocol() : GroupProtocol.CLASSIC, transactions);
        if (config.isGroupManaged()) {
            consumer.subscribe(config.inputTopics(), rebalance);
            log.sentences().info("started: joining group '{}' (group-managed assignment, group protocol {}{}), "
                            + "topics {}, batchSize {}, batchWaitDuration {}", config.consumerGroupId(),
                    config.groupProtocol(),
                    config.groupInstanceId().map(id -> ", " + ConsumerConfig.GROUP_INSTANCE_ID_CONFIG + " " + id)
                            .orElse(""), config.inputTopics(),
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
        log.sentences().info("started: group '{}', topics {}, partitions {}, batchSize {}, "
                        + "batchWaitDuration {}, starting offsets {}", config.consumerGroupId(),
                config.inputTopics(), config.inputPartitions(), config.batchSize(), config.batchWaitDuration(),
                starting);
    }

    private void step() {
        if (runner.harvest() > 0) {
            watch.contact(System.nanoTime());
        }
        long now = System.nanoTime();
        if (transactions == null) {
            commitAsync(now);
        } else if (transactions.isDue(now, p -> room(p) <= 0)) {
            commitTransaction();
        } else if (!transactions.isOpen() && now - lastIdleCheckNanos >= PROGRESS_INTERVAL_NANOS) {
            lastIdleCheckNanos = now;
            commitTransaction(); // commits idle positions (past transaction markers of the input), if any
        }
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(pollMillis(now)));
        rebalance.rethrowFailure();
        if (commitRejection != null) {
            throw commitFailures.rejected(commitRejection);
        }
        now = System.nanoTime();
        if (!records.isEmpty()) {
            watch.contact(now);
            // Fetched input is not committed input: said now, not at the next progress update, which a long
            // process() call of these very records could hold back for as long as it runs.
            status.consumedAll(false);
        } else {
            watch.check(consumer, this::probePartitions, now);
        }
        if (!watch.isUnreachable()) {
            // While no broker answers, the watch's outage rule applies; otherwise commits must not fail for longer.
            Optional<KasperException> overdue = commitFailures.overdue(now);
            if (overdue.isPresent()) {
                throw overdue.get();
            }
        }
        for (TopicPartition tp : records.partitions()) {
            if (assignment.owns(tp)) {
                assembler.add(records.records(tp), now);
            } else {
                rewind(tp, records.records(tp).get(0).offset());
            }
        }
        for (Batch batch : takeBatches(now)) {
            if (stopRequested) {
                break; // a batch not started stays uncommitted and is fetched again after a restart
            }
            running = batch;
            if (transactions != null) {
                transactions.beforeBatch(now);
                try {
                    runner.run(batch);
                } catch (TransactionAbortRequired e) {
                    running = null;
                    abortToRetry(e);
                    break; // the batches taken with it are dropped too: their partitions are rewound
                }
            } else {
                runner.run(batch);
            }
            running = null;
        }
        updatePauses();
        if (now - lastProgressNanos >= PROGRESS_INTERVAL_NANOS) {
            lastProgressNanos = now;
            updateProgress();
        }
    }

    /** Commits the open transaction; a failure it survives has aborted and rewound it (see {@link Transactions}). */
    private void commitTransaction() {
        Set<Integer> committed = transactions.commit();
        if (committed != null) {
            abortRetries.keySet().removeAll(committed); // their retried batches are committed
        }
        watch.contact(System.nanoTime());
    }

    /**
     * Aborts the open transaction because an attempt of a batch that produced output is to be retried, rewinds
     * every owned partition and waits the error policy's backoff; fails the batch once its partition has used up
     * {@code maxRetries} since its last commit.
     */
    private void abortToRetry(TransactionAbortRequired e) {
        Batch batch = e.batch();
        int retry = abortRetries.merge(batch.partition(), 1, Integer::sum);
        if (retry > config.errorPolicy().maxRetries()) {
            throw runner.failure(batch, "MessageProcessor threw after " + config.errorPolicy().maxRetries()
                    + " retries (each aborted the open transaction)", e.getCause());
        }
        transactions.abortAndRewind("retry " + retry + " of " + config.errorPolicy().maxRetries() + " of " + batch
                + " after " + e.getCause());
        runner.metrics().retry(batch.partition());
        try {
            stopSignal.await(config.errorPolicy().backoff(retry).toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new InterruptException(interrupted);
        }
    }

    /**
     * Puts records of a topic-partition whose number this loop does not own (one held while p of another input
     * topic is not) back: the consumer fetches them again once the number is whole. Paused numbers are not fetched,
     * so this only guards against a fetch that completed before the pause.
     */
    private void rewind(TopicPartition tp, long firstOffset) {
        try {
            consumer.seek(tp, firstOffset);
            consumer.pause(List.of(tp));
        } catch (IllegalStateException e) {
            log.debug("{} is no longer assigned, not rewound", tp);
        }
    }

    /** How many more batches partition {@code p} may close before its earlier ones are committed. */
    private int room(int p) {
        return config.maxUncommittedBatches() - runner.inFlight(p);
    }

    /**
     * How long the next poll may block. Short while acknowledgements or a commit are outstanding: they complete on
     * other threads, or inside a poll that would not return for them. Otherwise until the next batch deadline of a
     * partition that may close a batch, or the next commit attempt after a failed one, at most
     * {@link #IDLE_POLL_MILLIS}: a partition waiting for its commit has nothing to do before that, and polling for it
     * sooner would spin.
     */
    private long pollMillis(long now) {
        if (!runner.isIdle() || commitInFlight) {
            return BUSY_POLL_MILLIS;
        }
        long waitNanos = assembler.nanosUntilNextDeadline(now, p -> room(p) > 0);
        if (transactions != null) {
            waitNanos = Math.min(waitNanos, transactions.nanosUntilDue(now));
        }
        long untilCommit = commitFailures.nanosUntilNextAttempt(now);
        if (untilCommit > 0) {
            waitNanos = Math.min(waitNanos, untilCommit);
        }
        if (waitNanos >= TimeUnit.MILLISECONDS.toNanos(IDLE_POLL_MILLIS)) {
            return IDLE_POLL_MILLIS;
        }
        // rounded up: a wait cut to 0 ms just before a deadline would spin until it passes
        return TimeUnit.NANOSECONDS.toMillis(waitNanos + TimeUnit.MILLISECONDS.toNanos(1) - 1);
    }

    /**
     * Closes the batches to process now: those due, as long as their bytes (which their output will roughly add
     * again) fit under the byte budget; or, while the budget is reached, one batch at a time and only when no output
     * awaits acknowledgement (so held bytes fall), closed at once so that paused input never waits for its batch to
     * fill up.
     */
    private List<Batch> takeBatches(long now) {
        if (!budget.update(assembler.bytesWaiting())) {
            return assembler.takeDue(now, this::room, budget.headroom(), this::validPosition);
        }
        return runner.isIdle() ? assembler.takeOldest(this::room, this::validPosition) : List.of();
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

    private void commitAsync(long now) {
        if (commitInFlight || commitRejection != null || !commitFailures.mayCommit(now)) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = runner.drainReleasable();
        if (now - lastIdleCheckNanos >= PROGRESS_INTERVAL_NANOS) {
            lastIdleCheckNanos = now;
            IdlePositions.addTo(offsets, assignment, assembler, this::validPosition);
        }
        offsets.keySet().removeIf(tp -> !assignment.owns(tp));
        if (offsets.isEmpty()) {
            // E.g. the partitions whose commit failed were revoked: nothing is left to fail.
            commitFailures.nothingPending();
            return;
        }
        commitInFlight = true;
        long start = System.nanoTime();
        Observation observation = runner.observations().startCommit(offsets);
        consumer.commitAsync(offsets, (result, exception) -> {
            commitInFlight = false;
            long end = System.nanoTime();
            BatchObservations.stopCommit(observation, exception);
            metrics.commit(end - start);
            if (exception == null) {
                offsets.forEach((tp, om) -> assignment.committed(tp, om.offset()));
                runner.committed(assignment::committed);
                watch.contact(end);
                int failed = commitFailures.succeeded();
                if (failed > 0) {
                    log.info("commits succeed again after {} failed attempt(s)", failed);
                }
            } else {
                commitFailed(offsets, exception, end);
                // commitFailed left in offsets what the retry carries: it links their batches
                runner.observations().putBack(observation, offsets);
            }
        });
    }

    /** Stops the loop after a commit the broker will never accept; else puts the offsets back for a retry. */
    private void commitFailed(Map<TopicPartition, OffsetAndMetadata> offsets, Exception exception, long nowNanos) {
        int attempt = commitFailures.failed(exception, nowNanos);
        metrics.commitFailure();
        CommitFailures.Kind kind = CommitFailures.classify(exception);
        if (commitFailures.stops(kind)) {
            commitRejection = exception;
            return;
        }
        if (kind == CommitFailures.Kind.RETRIABLE) {
            watch.failedRequest();
        } else {
            watch.contact(nowNanos); // a rejected membership is an answer: the cluster is there
        }
        if (attempt == 1) {
            log.warn("commit of {} failed, retrying with backoff while the partitions are "
                    + "still owned{}: {}", offsets, kind == CommitFailures.Kind.MEMBERSHIP
                    ? " (the group is rebalancing; the next poll rejoins it)" : "", exception.toString());
        } else {
            log.debug("commit attempt {} failed: {}", attempt, exception.toString());
        }
        // After a rebalance, an old offset must not overwrite what the partition's next owner commits.
        offsets.keySet().removeIf(tp -> !assignment.owns(tp) || offsets.get(tp).offset()
                <= assignment.committed(tp));
        runner.restore(offsets);
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
        boolean all = assignment.isKnown() && !rebalance.waitingForPartitions();
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
        status.consumedAll(all);
    }

    /**
     * Returns the consumer's position of an assigned topic-partition without waiting for the cluster, or -1 when it
     * has no valid one right now (e.g. while an offset reset or a leader change is being validated): the commit then
     * stays after the last record, which is always safe.
     */
    private long validPosition(TopicPartition tp) {
        try {
            return consumer.position(tp, Duration.ZERO);
        } catch (TimeoutException e) {
            return -1;
        }
    }

    /**
     * Waits for outstanding acks, commits every batch completed without failure (never one that failed or follows a
     * failed one of its partition), and closes the clients. Only a broker outage skips the waits; an
     * interrupt flag is cleared meanwhile (the Kafka clients and the waits would give up at once) and set again after.
     */
    private KasperException shutdown(KasperException failure) {
        // With no broker answering for the outage timeout, waiting for acks or a final commit only delays the failure.
        Duration timeout = watch != null && watch.isOutage(failure, System.nanoTime()) ? Duration.ZERO : config.closeTimeout();
        boolean interrupted = Thread.interrupted();
        boolean drained = false;
        if (rebalance != null) {
            rebalance.closing();
        }
        try {
            if (runner != null) {
                try {
                    drained = runner.awaitAll(timeout);
                } catch (InterruptedException e) {
                    // interrupted again: stop waiting, but still commit what is complete
                    interrupted = true;
                }
                try {
                    runner.harvest();
                } catch (BatchFailedException e) {
                    if (failure == null) {
                        failure = e;
                    }
                }
                if (!drained) {
                    log.warn("output still unacknowledged after {}; its input stays uncommitted", timeout);
                }
                if (transactions != null) {
                    closeTransaction(failure, drained);
                } else if (commitRejection == null) {
                    commitFinal(timeout);
                } else {
                    log.warn("no final commit, the broker rejects this processor's commits");
                }
            }
        } catch (KasperException e) {
            // e.g. the final commit was rejected for good: the processor fails by name
            if (failure == null) {
                failure = e;
            } else {
                log.warn("final commit failed too: {}", e.getMessage());
            }
        } catch (RuntimeException e) {
            log.warn("final commit failed, uncommitted input will be processed again: {}", e.toString());
        } finally {
            // an interrupt during the final commit must not stop the clients from closing
            interrupted |= Thread.interrupted();
            try {
                if (rebalance != null && !config.isGroupManaged()) {
                    rebalance.staticRevoked(new TreeSet<>(config.inputPartitions()));
                }
            } finally {
                try {
                    closeClients(timeout, drained);
                } finally {
                    if (runner != null) {
                        runner.close();
                    }
                    if (interrupted) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
            log.sentences().info("stopped: committed offsets {}", new TreeMap<>(committedView()));
        }
        return failure;
    }

    /** Commits the open transaction when the loop stops cleanly with every output acknowledged; else aborts it. */
    private void closeTransaction(KasperException failure, boolean drained) {
        if (failure != null || !drained) {
            transactions.abortQuietly(failure != null ? "the processor failed" : "output still unacknowledged");
            return;
        }
        if (transactions.commit() != null) {
            updateProgressQuietly();
        }
    }

    private void commitFinal(Duration timeout) {
        Map<TopicPartition, OffsetAndMetadata> toCommit = new HashMap<>();
        runner.completedOffsets().forEach((tp, om) -> {
            if (assignment.owns(tp) && om.offset() > assignment.committed(tp)) {
                toCommit.put(tp, om);
            }
        });
        IdlePositions.addTo(toCommit, assignment, assembler, this::validPosition);
        if (!toCommit.isEmpty()) {
            try {
                runner.commitSync(consumer, toCommit, timeout);
            } catch (RuntimeException e) {
                if (commitFailures.stops(CommitFailures.classify(e))) {
                    throw commitFailures.rejected(e);
                }
                throw e;
            }
            toCommit.forEach((tp, om) -> assignment.committed(tp, om.offset()));
            updateProgressQuietly();
        }
    }

    private void updateProgressQuietly() {
        try {
            updateProgress();
        } catch (RuntimeException e) {
            log.debug("cannot update progress after the final commit", e);
        }
    }

    private Map<String, Long> committedView() {
        Map<String, Long> view = new HashMap<>();
        assignment.committedView().forEach((tp, offset) -> view.put(tp.toString(), offset));
        return view;
    }

    private void closeClients(Duration timeout, boolean drained) {
        try {
            if (producer != null) {
                // Undelivered output of an undrained producer must not delay the exit: its input is uncommitted.
                producer.close(drained ? timeout : Duration.ZERO);
            }
        } catch (RuntimeException e) {
            log.warn("closing the producer failed: {}", e.toString());
        } finally {
            closeConsumer(timeout);
        }
    }

    private void closeConsumer(Duration timeout) {
        if (consumer != null) {
            try {
                consumer.close(CloseOptions.timeout(timeout));
            } catch (RuntimeException e) {
                log.warn("closing the consumer failed: {}", e.toString());
            }
        }
    }
}
