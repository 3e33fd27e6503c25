package io.kasper.internal;

import io.kasper.BatchFailedException;
import io.kasper.ErrorPolicy;
import io.kasper.KasperException;
import io.kasper.KasperObservations;
import io.kasper.MessageProcessor;
import io.kasper.PoisonMessageException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.ToLongFunction;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;

/**
 * Runs closed batches through their {@link MessageProcessor}, hands the buffered output to the producer, and tracks
 * acknowledgements until a batch's offsets may be committed. Shared by the {@code TopicProcessor} loop and the test
 * driver, so that both process, retry, set poison messages aside, fail and release offsets the same way.
 *
 * <p>One batch may take several calls of {@code process}: after a {@link PoisonMessageException} (policy SKIP or
 * DEAD_LETTER) the processor is called again without the poison records, and after a transient failure (see
 * {@link ErrorPolicy#isTransient}) it is called again with the same records after a backoff. The output buffered by a
 * failed call is discarded; what it had already flushed ({@code Sender.flush()}) stays produced, and the next call
 * produces it again: delivery is at-least-once. Under exactly-once ({@link #transactional()}) such a call is not
 * repeated in place: the loop aborts the open transaction and processes the batch again from its committed offset
 * ({@link TransactionAbortRequired}). Each {@code Sender.flush()} waits at most what is left of the
 * {@link OutageBudget}; a flush that runs out of it fails the batch at once, without retries.
 *
 * <p>Thread-safety: not thread-safe; owned by one loop thread (acks complete on other threads).
 */
final class BatchRunner implements AutoCloseable {

    private final ProcessorLogContext context;
    private final ProcessorLogger log;
    private final Map<Integer, MessageProcessor> processors;
    private final Producer<byte[], byte[]> producer;
    private final ProcessorMetrics metrics;
    private final ErrorPolicy policy;
    private final RetryPause pause;
    private final PoisonHandler poisonHandler;
    private final OutageBudget outageBudget;
    private final BatchObservations observations;
    /** Set by {@link #close()}; read by acknowledgement callbacks on the producer's thread. */
    private volatile boolean closed;
    private final CommitTracker tracker;
    private final Map<TopicPartition, OffsetAndMetadata> completed = new HashMap<>();
    /** Under exactly-once an attempt that produced output cannot be retried in place (see {@link #transactional()}). */
    private boolean transactional;

    /**
     * Creates a runner.
     *
     * @param context names the processor in messages and metric tags
     * @param instance the instance id (see {@link ProcessorInstances}), the {@code kasper.instance} tag of the meters
     * @param processors the processor of every partition number
     * @param producer the producer of output messages (acks=all)
     * @param registry receives the batch metrics; they are removed on {@link #close()}
     * @param policy what to do with poison messages and transient failures
     * @param pause waits between attempts of a batch
     */
    public BatchRunner(ProcessorLogContext context, String instance, Map<Integer, MessageProcessor> processors,
            Producer<byte[], byte[]> producer, MeterRegistry registry, ErrorPolicy policy, RetryPause pause) {
        this(context, instance, processors, producer, registry, policy, pause,
                OutageBudget.perWait(context, policy.brokerOutageTimeout()), MemoryBudget.unlimited(),
                new BatchObservations(ObservationRegistry.NOOP, context.processorName(), ""));
    }

    /**
     * Creates a runner whose flushes wait at most what is left of {@code outageBudget} (the loop's broker watch), and
     * that counts the bytes of its batches in flight and of their output in {@code memory}, and that observes each
     * attempt in {@code observations}.
     */
    BatchRunner(ProcessorLogContext context, String instance, Map<Integer, MessageProcessor> processors,
            Producer<byte[], byte[]> producer, MeterRegistry registry, ErrorPolicy policy, RetryPause pause,
            OutageBudget outageBudget, MemoryBudget memory, BatchObservations observations) {
        this.outageBudget = outageBudget;
        this.observations = observations;
        this.tracker = new CommitTracker(memory);
        this.context = context;
        this.log = context.logger(BatchRunner.class);
        this.processors = Map.copyOf(processors);
        this.producer = producer;
        this.metrics = new ProcessorMetrics(registry, context.processorName(), instance);
        this.policy = policy;
        this.pause = pause;
        this.poisonHandler = new PoisonHandler(context, policy, producer, metrics);
    }

    /**
     * Makes every failed attempt that had handed output to the producer, and that the error policy would retry, throw
     * {@link TransactionAbortRequired} instead of running again: under exactly-once that output is in the open
     * transaction and must be aborted, not produced twice.
     */
    void transactional() {
        this.transactional = true;
    }

    ProcessorMetrics metrics() {
        return metrics;
    }

    BatchObservations observations() {
        return observations;
    }

    /**
     * Processes a batch and hands its output to the producer without waiting for acknowledgements. Poison messages
     * and transient failures are handled by the {@link ErrorPolicy}; when the pause between retries is cut short by a
     * stop request, the batch is left uncommitted (it is processed again after a restart) and this returns normally.
     *
     * @param batch the closed batch
     * @throws TransactionAbortRequired under exactly-once ({@link #transactional()}), when an attempt that handed
     *     output to the producer failed and would be retried
     * @throws BatchFailedException when the processor throws (after any retries), a poison message meets policy
     *     FAIL, or a {@code Sender.flush()} ran out of the outage budget; the batch is then never released for commit
     * @throws VirtualMachineError as thrown by the processor (out of memory, stack overflow, ...), unwrapped; the
     *     batch is failed (never released for commit) first
     */
    public void run(Batch batch) {
        InFlightBatch inFlight = tracker.open(batch);
        MessageProcessor processor = processors.get(batch.partition());
        List<ConsumerRecord<byte[], byte[]>> remaining = batch.records();
        List<PoisonHandler.Poisoned> poisoned = new ArrayList<>();
        int retries = 0;
        int attempt = 0;
        long start = System.nanoTime();
        while (true) {
            Observation observation = observations.startAttempt(batch, remaining, ++attempt);
            String traceparent = BatchObservations.traceparent(observation);
            BatchSender sender = new BatchSender(producer, inFlight, outageBudget, remaining.size(), traceparent);
            // the outcome of an attempt that leaves by an exception no branch below names: the batch failed
            String outcome = KasperObservations.OUTCOME_FAILED;
            Throwable error = null;
            try {
                if (!remaining.isEmpty()) { // a batch of poison only is complete without a call
                    process(processor, remaining, sender, observation);
                }
                if (sender.flushFailure() != null) {
                    throw sender.flushFailure(); // the processor went on after a failed flush: the call fails
                }
                poisonHandler.dispose(poisoned, inFlight, traceparent);
                sender.complete();
                inFlight.traceparent(traceparent);
                outcome = KasperObservations.OUTCOME_SUCCESS;
                metrics.batch(batch.partition(), batch.size(), System.nanoTime() - start);
                batch.counts().forEach(metrics::incoming);
                return;
            } catch (Throwable t) { // an AssertionError in user code must fail the batch too
                error = t;
                sender.discard();
                if (t instanceof VirtualMachineError vmError) {
                    inFlight.abandon(vmError);
                    throw vmError;
                }
                if (sender.isOutage()) {
                    // the flush waited out the outage timeout: another call would only wait for the cluster again
                    inFlight.abandon(sender.flushFailure());
                    throw failure(batch, "output flushed by MessageProcessor was not acknowledged within the "
                            + "brokerOutageTimeout", sender.flushFailure());
                }
                if (transactional && inFlight.hasProduced() && (ErrorPolicy.isTransient(t)
                        && retries < policy.maxRetries()
                        || t instanceof PoisonMessageException && poisonHandler.setsAside())) {
                    inFlight.abandon(t);
                    outcome = KasperObservations.OUTCOME_ABORTED;
                    throw new TransactionAbortRequired(batch, t);
                }
                if (inFlight.failure() != null) {
                    // output flushed by this call failed; the next call produces the batch's output again
                    InFlightBatch failedAttempt = inFlight;
                    inFlight = tracker.reopen(failedAttempt);
                    countWhenDone(failedAttempt, t);
                }
                if (t instanceof PoisonMessageException poison) {
                    remaining = setAside(poison, remaining, poisoned, inFlight);
                    outcome = KasperObservations.OUTCOME_POISON;
                    continue;
                }
                if (ErrorPolicy.isTransient(t) && retries < policy.maxRetries()) {
                    retries++;
                    // the attempt's span ends before the pause: the next attempt's start shows the backoff
                    BatchObservations.stop(observation, KasperObservations.OUTCOME_RETRY, t);
                    observation = null;
                    if (retryAfterPause(batch, retries, t)) {
                        continue;
                    }
                    inFlight.abandon(new CancellationException("stopped while retrying " + batch));
                    return;
                }
                inFlight.abandon(t);
                throw failure(batch, retries == 0 ? "MessageProcessor threw"
                        : "MessageProcessor threw after " + retries + " retries", t);
            } finally {
                BatchObservations.stop(observation, outcome, error);
            }
        }
    }

    /**
     * Calls the processor; with an observation, in its scope, so that the batch span is the parent of what the
     * processor's own clients trace (a store's calls, say).
     */
    private static void process(MessageProcessor processor, List<ConsumerRecord<byte[], byte[]>> records,
            BatchSender sender, Observation observation) throws Exception {
        if (observation == null) {
            processor.process(records, sender);
            return;
        }
        Observation.Scope scope = observation.openScope();
        try {
            processor.process(records, sender);
        } finally {
            scope.close();
        }
    }

    /**
     * Counts the output a failed attempt got acknowledged once its last acknowledgement or failure is in: those
     * records are in their topics although the batch produces them again.
     */
    private void countWhenDone(InFlightBatch failedAttempt, Throwable cause) {
        failedAttempt.abandon(cause);
        failedAttempt.completion().thenRun(() -> {
            if (!closed) { // a late completion must not register meters again after close()
                metrics.outgoing(failedAttempt.takeAcks());
            }
        });
    }

    /** Sets the records a poison exception names aside and returns the rest, or fails the batch under policy FAIL. */
    private List<ConsumerRecord<byte[], byte[]>> setAside(PoisonMessageException poison,
            List<ConsumerRecord<byte[], byte[]>> remaining, List<PoisonHandler.Poisoned> poisoned,
            InFlightBatch inFlight) {
        Batch batch = inFlight.batch();
        if (!poisonHandler.setsAside()) {
            poisonHandler.countFailing(poison);
            inFlight.abandon(poison);
            throw failure(batch, "MessageProcessor rejected a poison message (errorPolicy poisonPolicy FAIL)", poison);
        }
        try {
            return poisonHandler.setAside(remaining, poison, poisoned);
        } catch (KasperException e) {
            inFlight.abandon(e);
            throw failure(batch, "MessageProcessor threw", e);
        }
    }

    private boolean retryAfterPause(Batch batch, int retry, Throwable cause) {
        Duration wait = policy.backoff(retry);
        metrics.retry(batch.partition());
        log.warn("transient failure processing {}, retry {} of {} in {} ms: {}",
                batch, retry, policy.maxRetries(), wait.toMillis(), cause.toString());
        try {
            return pause.pause(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Releases the offsets of every batch completed in order, and reports a failed one.
     *
     * @return the number of batches released
     * @throws BatchFailedException when a batch's output could not be produced
     */
    public int harvest() {
        int[] released = {0};
        InFlightBatch failed = tracker.harvest(done -> {
            metrics.produced(done.batch().partition(), System.nanoTime() - done.producedNanos());
            metrics.outgoing(done.takeAcks());
            completed.putAll(done.batch().commitOffsets());
            observations.released(done.batch().partition(), done.traceparent());
            released[0]++;
        });
        if (failed != null) {
            // a failed batch stays at the head of its partition's queue: takeAcks counts its output only once
            metrics.outgoing(failed.takeAcks());
        }
        if (failed != null && !(failed.failure() instanceof CancellationException)) {
            throw failure(failed.batch(), Transactions.isFenced(failed.failure())
                    ? "output could not be produced, the producer is fenced (a newer producer with the same "
                    + ProducerConfig.TRANSACTIONAL_ID_CONFIG + " started, e.g. a replacement instance, or the "
                    + "broker aborted a transaction open longer than " + ProducerConfig.TRANSACTION_TIMEOUT_CONFIG
                    + "); this instance commits nothing more"
                    : "output could not be produced", failed.failure());
        }
        return released[0];
    }

    /**
     * Tells the runner which offsets are committed, so that batches released earlier stop counting as uncommitted.
     *
     * @param committedOffset the committed offset of a topic-partition (-1 or less when none)
     */
    public void committed(ToLongFunction<TopicPartition> committedOffset) {
        tracker.committed(committedOffset);
    }

    /**
     * Commits offsets synchronously, observed as a {@value KasperObservations#COMMIT} (linked to the released batches
     * of their partition numbers) and, once the broker confirmed them, timed in the commit timer: the one way the
     * loop's final commit and a revocation's commit are made.
     *
     * @throws RuntimeException what {@code commitSync} threw, after the observation recorded it
     */
    void commitSync(Consumer<byte[], byte[]> consumer, Map<TopicPartition, OffsetAndMetadata> offsets,
            Duration timeout) {
        long start = System.nanoTime();
        Observation observation = observations.startCommit(offsets);
        try {
            consumer.commitSync(offsets, timeout);
        } catch (RuntimeException e) {
            BatchObservations.stopCommit(observation, e);
            throw e;
        }
        BatchObservations.stopCommit(observation, null);
        metrics.commit(System.nanoTime() - start);
    }

    /** Returns and forgets the offsets released by {@link #harvest()} since the last call. */
    public Map<TopicPartition, OffsetAndMetadata> drainReleasable() {
        return tracker.drainReleasable();
    }

    /** Puts offsets of a failed commit back for the next attempt, unless newer ones were released meanwhile. */
    public void restore(Map<TopicPartition, OffsetAndMetadata> offsets) {
        tracker.restore(offsets);
    }

    /** Returns the highest offsets released so far per topic-partition (committed or not). */
    public Map<TopicPartition, OffsetAndMetadata> completedOffsets() {
        return Map.copyOf(completed);
    }

    /**
     * Returns the number of batches of {@code partition} not yet committed: awaiting acknowledgement, an earlier
     * batch, or the commit of their offsets.
     */
    public int inFlight(int partition) {
        return tracker.inFlight(partition);
    }

    /** Returns whether no batch awaits acknowledgement. */
    public boolean isIdle() {
        return tracker.isEmpty();
    }

    /**
     * Waits until every batch in flight has completed or failed.
     *
     * @param timeout the longest wait
     * @return whether all completed in time
     * @throws InterruptedException when interrupted while waiting
     */
    public boolean awaitAll(Duration timeout) throws InterruptedException {
        return tracker.awaitAll(timeout);
    }

    /**
     * Waits until every batch in flight of the given partitions has completed or failed.
     *
     * @param partitions partition numbers
     * @param timeout the longest wait
     * @return whether all completed in time
     * @throws InterruptedException when interrupted while waiting
     */
    public boolean await(Set<Integer> partitions, Duration timeout) throws InterruptedException {
        return tracker.await(partitions, timeout);
    }

    /**
     * Forgets everything of the given partitions (batches in flight, offsets not yet committed): this instance no
     * longer owns them, and their uncommitted input will be processed again by the next owner.
     *
     * @param partitions partition numbers
     */
    public void forget(Set<Integer> partitions) {
        tracker.forget(partitions);
        completed.keySet().removeIf(tp -> partitions.contains(tp.partition()));
        observations.forget(partitions);
    }

    /** Describes the failure of {@code batch}: what happened, its partition and offsets, and the cause. */
    BatchFailedException failure(Batch batch, String what, Throwable cause) {
        return new BatchFailedException(context.message(what + " on " + batch
                + "; nothing of it was committed: " + cause), batch.partition(), batch.offsetRanges(), cause);
    }

    /** Removes the batch metrics from the registry. */
    @Override
    public void close() {
        closed = true;
        metrics.close();
    }
}
