package io.kasper.internal;

import io.kasper.KasperException;
import io.micrometer.observation.Observation;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntPredicate;
import java.util.function.ToLongFunction;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;

/**
 * The transactions of a loop under exactly-once. A transaction begins before the first batch after a commit, holds
 * the output (and dead letters) of every batch processed until it commits, and commits with the input offsets of
 * those batches ({@code sendOffsetsToTransaction} with the consumer's group metadata, KIP-447) when the commit
 * interval has passed, a partition cannot take another batch before a commit ({@code maxUncommittedBatches}), the
 * partitions are revoked or the processor closes. The consumer never commits by itself.
 *
 * <p>A transaction is all or nothing: when one of its batches must be processed again (a retried attempt had produced
 * output, a commit failed in a way that leaves the processor running), the transaction is aborted and every owned
 * partition is rewound to its committed offset, its fetched and in-flight batches dropped, so that everything the
 * transaction held is processed again, in order. A producer fenced by a successor (same {@code transactional.id}),
 * or whose transaction the broker aborted after {@code transaction.timeout.ms}, stops the processor without
 * committing.
 *
 * <p>Thread-safety: not thread-safe; used by the loop thread only (rebalance callbacks run on it too).
 */
final class Transactions {

    private final ProcessorLogContext context;
    private final ProcessorLogger log;
    private final Producer<byte[], byte[]> producer;
    private final Consumer<byte[], byte[]> consumer;
    private final BatchRunner runner;
    private final Assignment assignment;
    private final BatchAssembler assembler;
    private final CommitFailures commitFailures;
    private final OutageBudget budget;
    private final ToLongFunction<TopicPartition> position;
    private final long intervalNanos;
    private final String transactionalId;
    private boolean open;
    private long openedNanos;

    Transactions(ProcessorLogContext context, Producer<byte[], byte[]> producer, Consumer<byte[], byte[]> consumer,
            BatchRunner runner, Assignment assignment, BatchAssembler assembler, CommitFailures commitFailures,
            OutageBudget budget, ToLongFunction<TopicPartition> position, Duration interval, String transactionalId) {
        this.context = context;
        this.log = context.logger(Transactions.class);
        this.producer = producer;
        this.consumer = consumer;
        this.runner = runner;
        this.assignment = assignment;
        this.assembler = assembler;
        this.commitFailures = commitFailures;
        this.budget = budget;
        this.position = position;
        this.intervalNanos = interval.toNanos();
        this.transactionalId = transactionalId;
    }

    /**
     * Registers the transactional id with the broker: fences any earlier producer with the same id and aborts its open
     * transaction.
     *
     * @throws KasperException when the broker refuses (e.g. no WRITE ACL on the transactional id)
     */
    void init() {
        try {
            producer.initTransactions();
        } catch (RuntimeException e) {
            throw new KasperException(context.message("cannot initialize transactions of "
                    + ProducerConfig.TRANSACTIONAL_ID_CONFIG + " '" + transactionalId + "': " + e
                    + " (exactly-once needs brokers with transactions enabled, and the principal needs the WRITE ACL "
                    + "on the transactional id)"), e);
        }
        log.info("exactly-once: transactions of {} '{}' initialized", ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                transactionalId);
    }

    /** Begins a transaction unless one is open; called before each batch runs. */
    void beforeBatch(long nowNanos) {
        if (!open) {
            producer.beginTransaction();
            open = true;
            openedNanos = nowNanos;
        }
    }

    /** Returns whether a transaction is open. */
    boolean isOpen() {
        return open;
    }

    /**
     * Returns whether the open transaction should commit now: the interval has passed, or a partition can take no
     * more batches before a commit.
     *
     * @param full whether a partition number may not close another batch before its earlier ones are committed
     */
    boolean isDue(long nowNanos, IntPredicate full) {
        if (!open) {
            return false;
        }
        if (nowNanos - openedNanos >= intervalNanos) {
            return true;
        }
        for (int p : assignment.byPartition().keySet()) {
            if (full.test(p)) {
                return true;
            }
        }
        return false;
    }

    /** Returns nanoseconds until the open transaction is due by the interval, or {@code Long.MAX_VALUE}. */
    long nanosUntilDue(long nowNanos) {
        return open ? Math.max(0, openedNanos + intervalNanos - nowNanos) : Long.MAX_VALUE;
    }

    /**
     * Commits the open transaction, with the input offsets of its batches (and the idle positions of partitions whose
     * input ends with transaction markers or aborted records: those open a transaction of offsets only). Waits for
     * every output to be acknowledged first. When the commit fails in a way the processor survives (a rebalance, a
     * timeout), the transaction is aborted and every owned partition rewound: nothing of it is lost or doubled.
     *
     * @return the partition numbers whose offsets it committed (empty when there was nothing to commit), or null when
     *     it failed and was aborted
     * @throws io.kasper.BatchFailedException when output of a batch could not be produced (the transaction is then
     *     aborted by the loop's shutdown)
     * @throws KasperException when the producer was fenced or the broker refuses for good; nothing was committed
     */
    Set<Integer> commit() {
        // The flush and the commit wait as long as no broker answers: readiness must tell a loop stuck in them.
        budget.blocking(System.nanoTime());
        try {
            return flushAndCommit();
        } finally {
            budget.unblocked();
        }
    }

    private Set<Integer> flushAndCommit() {
        if (open) {
            producer.flush(); // every acknowledgement is in: every batch of the transaction is done
        }
        runner.harvest();
        Map<TopicPartition, OffsetAndMetadata> offsets = runner.drainReleasable();
        offsets.keySet().removeIf(tp -> !assignment.owns(tp));
        IdlePositions.addTo(offsets, assignment, assembler, position);
        if (!open && offsets.isEmpty()) {
            if (assignment.byPartition().isEmpty()) {
                // e.g. the partitions of a failed commit were revoked: nothing is left that could fail for long
                commitFailures.nothingPending();
            }
            return Set.of();
        }
        long start = System.nanoTime();
        Observation observation = runner.observations().startCommit(offsets);
        try {
            if (!open) {
                beforeBatch(start);
            }
            if (!offsets.isEmpty()) {
                producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            }
            producer.commitTransaction();
        } catch (RuntimeException e) {
            open = false; // a failed commit leaves the transaction to abort (or the producer dead)
            BatchObservations.stopCommit(observation, e);
            failed("commit", e);
            return null;
        }
        BatchObservations.stopCommit(observation, null);
        open = false;
        runner.metrics().commit(System.nanoTime() - start);
        offsets.forEach((tp, om) -> assignment.committed(tp, om.offset()));
        runner.committed(assignment::committed);
        commitFailures.succeeded();
        Set<Integer> numbers = new TreeSet<>();
        offsets.keySet().forEach(tp -> numbers.add(tp.partition()));
        return numbers;
    }

    /**
     * Aborts the open transaction and rewinds every owned partition to its committed offset, dropping what was
     * fetched and processed since: it is processed again.
     *
     * @param why for the log
     * @return the partition numbers rewound
     * @throws KasperException when the producer was fenced or cannot abort
     */
    Set<Integer> abortAndRewind(String why) {
        if (open) {
            open = false;
            try {
                producer.abortTransaction();
            } catch (RuntimeException e) {
                throw fatal("abort", e);
            }
        }
        return rewind(why);
    }

    /** Aborts the open transaction on a failure or an unfinished close, logging what cannot be aborted. */
    void abortQuietly(String why) {
        if (!open) {
            return;
        }
        open = false;
        try {
            producer.abortTransaction();
            log.info("transaction aborted ({}): its input is processed again after a restart", why);
        } catch (RuntimeException e) {
            log.warn("cannot abort the transaction ({}): {}; the broker aborts it after "
                    + ProducerConfig.TRANSACTION_TIMEOUT_CONFIG + " or when a successor initializes", why,
                    e.toString());
        }
    }

    private Set<Integer> rewind(String why) {
        Set<Integer> numbers = new TreeSet<>(assignment.byPartition().keySet());
        runner.forget(numbers);
        assembler.discard(numbers);
        for (TopicPartition tp : assignment.topicPartitions()) {
            try {
                consumer.seek(tp, assignment.committed(tp));
            } catch (IllegalStateException e) {
                log.debug("{} is no longer assigned, not rewound", tp);
            }
        }
        log.info("transaction aborted ({}); partitions {} rewound to their committed offsets {}", why, numbers,
                assignment.committedView());
        return numbers;
    }

    /** Aborts after a failed commit the processor survives; throws when it does not survive it. */
    private void failed(String what, RuntimeException e) {
        runner.metrics().commitFailure();
        CommitFailures.Kind kind = CommitFailures.classify(e);
        if (commitFailures.stops(kind)) {
            throw fatal(what, e);
        }
        try {
            producer.abortTransaction();
        } catch (RuntimeException abort) {
            e.addSuppressed(abort);
            throw fatal(what, e);
        }
        commitFailures.failed(e, System.nanoTime());
        rewind("the " + what + " failed: " + e + (kind == CommitFailures.Kind.MEMBERSHIP
                ? "; the group is rebalancing, the next poll rejoins it" : ""));
    }

    /** Describes a failure that stops the processor: nothing of the open transaction is committed. */
    private KasperException fatal(String what, RuntimeException e) {
        if (!isFenced(e)) {
            return commitFailures.rejected(e);
        }
        return new KasperException(context.message("the transaction " + what + " of "
                + ProducerConfig.TRANSACTIONAL_ID_CONFIG + " '" + transactionalId + "' was refused, the producer is "
                + "fenced: " + e + "; another producer with the same " + ProducerConfig.TRANSACTIONAL_ID_CONFIG
                + " started (in static mode: an instance with the same inputPartitions took over), or the broker "
                + "aborted a transaction that stayed open longer than " + ProducerConfig.TRANSACTION_TIMEOUT_CONFIG
                + " (raise it above the longest MessageProcessor.process call plus transactionCommitInterval). "
                + "Nothing of the open transaction is committed; its input is processed again by the next owner"), e);
    }

    /** Returns whether a newer producer of the same transactional id, or a broker timeout, fenced this one. */
    static boolean isFenced(Throwable failure) {
        for (Throwable t : KasperException.causeChain(failure)) {
            if (t instanceof ProducerFencedException || t instanceof InvalidProducerEpochException) {
                return true;
            }
        }
        return false;
    }
}
