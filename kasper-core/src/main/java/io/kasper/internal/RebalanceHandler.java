package io.kasper.internal;

import io.kasper.GroupProtocol;
import io.kasper.KasperException;
import io.kasper.PartitionListener;
import io.kasper.ProcessorState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Keeps the loop's state right when partitions move. The loop owns partition number p only while the group gives it
 * p of every input topic ({@link HeldPartitions}): under the incremental consumer protocol p of one topic may come or
 * go before p of another, and until p is whole its held topic-partitions stay paused. As soon as a topic-partition of
 * an owned number is revoked, it lets the batches already processed for that number finish (acknowledged output, then
 * a synchronous commit, while it is still owned) and drops its messages not yet processed, uncommitted, so that the
 * next owner starts exactly after the last committed batch; topic-partitions of the number that stay held are rewound
 * to their committed offsets and paused. On loss it drops everything of the lost numbers (nothing can be committed any
 * more). Under the eager classic protocol every rebalance gives or takes p of every topic at once, so this reduces to
 * revoking and assigning whole numbers (except in a group that migrates between protocols). It tells the user's
 * {@link PartitionListener} about numbers as they become whole and as they stop being whole. Under exactly-once a
 * revocation commits the whole open transaction (output and offsets of every batch in it) instead of the revoked
 * numbers' offsets, and a loss aborts it and rewinds the numbers still owned (see {@link Transactions}).
 *
 * <p>Kafka calls it from inside {@code poll()} (and {@code close()}) on the loop thread. Failures, JVM Errors
 * included, are not thrown through the consumer, which would wrap them or leave the group half-joined; they are kept
 * and {@link #rethrowFailure()} throws them after the poll, as a {@link KasperException} whose cause is a
 * {@link VirtualMachineError} when one was thrown ({@link #fatalError} tells the loop to rethrow it unwrapped).
 *
 * <p>Thread-safety: not thread-safe; used on the loop thread only.
 */
final class RebalanceHandler implements ConsumerRebalanceListener {

    private final ProcessorLogContext context;
    private final ProcessorLogger log;
    private final Duration timeout;
    private final ListenerCalls listener;
    private final Assignment assignment;
    private final BatchAssembler assembler;
    private final BatchRunner runner;
    private final Consumer<byte[], byte[]> consumer;
    private final ProcessorStatus status;
    private final CommitFailures commitFailures;
    private final List<String> topics;
    private final boolean incremental;
    private final HeldPartitions held;
    /** The loop's transactions under exactly-once, else null. */
    private final Transactions transactions;
    private final Set<TopicPartition> gauged = new HashSet<>();
    private KasperException failure;
    /** The JVM Error behind {@link #failure}, when a callback threw one. */
    private VirtualMachineError fatal;
    private boolean closing;

    /**
     * @param protocol the group protocol: under {@link GroupProtocol#CONSUMER} partition numbers held incomplete
     *     for a while are normal; under {@link GroupProtocol#CLASSIC} (and in static mode) they are logged as a
     *     warning
     * @param transactions the loop's transactions under exactly-once (a revocation commits the open transaction, a
     *     loss aborts it), or null under at-least-once
     */
    RebalanceHandler(ProcessorLogContext context, Duration timeout, Optional<PartitionListener> listener,
            Assignment assignment, BatchAssembler assembler, BatchRunner runner, Consumer<byte[], byte[]> consumer,
            ProcessorStatus status, CommitFailures commitFailures, List<String> topics, GroupProtocol protocol,
            Transactions transactions) {
        this.transactions = transactions;
        this.topics = List.copyOf(topics);
        this.incremental = protocol == GroupProtocol.CONSUMER;
        this.held = new HeldPartitions(topics, System::nanoTime);
        this.status = status;
        this.commitFailures = commitFailures;
        this.context = context;
        this.log = context.logger(RebalanceHandler.class);
        this.timeout = timeout;
        this.listener = new ListenerCalls(context, listener);
        this.assignment = assignment;
        this.assembler = assembler;
        this.runner = runner;
        this.consumer = consumer;
    }

    /**
     * Marks the loop as shutting down: the loop has already drained and committed what it could, so a revocation
     * triggered by closing the consumer only forgets the partitions and tells the listener.
     */
    void closing() {
        closing = true;
    }

    /**
     * Returns whether the group gave this member some input topics' partition p but not yet every one's, so that p
     * waits, paused, and its input is not being processed.
     */
    boolean waitingForPartitions() {
        return !held.incomplete().isEmpty();
    }

    /** Throws and clears a failure recorded by a callback. */
    void rethrowFailure() {
        KasperException f = takeFailure();
        if (f != null) {
            throw f;
        }
    }

    /** Returns and clears a failure recorded by a callback, or null. */
    KasperException takeFailure() {
        KasperException f = failure;
        failure = null;
        return f;
    }

    /**
     * Returns the JVM Error a callback threw, when {@code reported} is the failure that describes it, else null.
     *
     * @param reported a failure thrown by {@link #rethrowFailure()} or returned by {@link #takeFailure()}
     */
    VirtualMachineError fatalError(KasperException reported) {
        return fatal != null && reported.getCause() == fatal ? fatal : null;
    }

    /** Keeps the first failure; a JVM Error is kept too, to be rethrown unwrapped. */
    private void fail(KasperException e) {
        if (failure == null) {
            failure = e;
            if (e.getCause() instanceof VirtualMachineError error) {
                fatal = error;
            }
        }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        guarded("onPartitionsAssigned", partitions, () -> assigned(partitions));
        status.move(ProcessorState.RUNNING);
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        if (!closing) {
            status.move(ProcessorState.REBALANCING);
        }
        guarded("onPartitionsRevoked", partitions, () -> revoked(partitions));
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        if (!closing) {
            status.move(ProcessorState.REBALANCING);
        }
        guarded("onPartitionsLost", partitions, () -> lost(partitions));
    }

    /** Keeps any failure for {@link #rethrowFailure()}: thrown into the consumer, it would be wrapped and logged. */
    private void guarded(String what, Collection<TopicPartition> partitions, Runnable callback) {
        try {
            callback.run();
        } catch (KasperException e) {
            fail(e);
        } catch (Throwable t) { // a StackOverflowError or OutOfMemoryError too: it must stop the loop, not the poll
            if (failure == null) {
                fail(new KasperException(context.message(what + " " + partitions + " failed: "
                        + t), t));
            }
        }
    }

    private void assigned(Collection<TopicPartition> partitions) {
        assignment.markKnown();
        if (partitions.isEmpty() || failure != null) {
            return;
        }
        HeldPartitions.Completed completed;
        try {
            completed = held.add(partitions);
            pauseIncomplete(partitions);
            for (int p : completed.numbers()) {
                List<TopicPartition> whole = held.held(p);
                for (TopicPartition tp : whole) {
                    assignment.add(tp, consumer.position(tp, timeout));
                    if (gauged.add(tp)) {
                        runner.metrics().behindGauge(tp, assignment.behind());
                    }
                }
                consumer.resume(whole); // those that came first waited paused
                runner.metrics().incompleteWait(p, completed.waitedNanos().get(p));
            }
        } catch (KasperException e) {
            failure = e;
            return;
        } catch (RuntimeException e) {
            failure = new KasperException(context.message("cannot start assigned partitions "
                    + partitions + ": " + e), e);
            return;
        }
        Set<Integer> numbers = completed.numbers();
        if (numbers.isEmpty()) {
            return;
        }
        log.info("assigned partitions {}, starting offsets {}", numbers,
                assignment.committedView());
        tell(() -> listener.assigned(numbers));
    }

    /** Pauses the given topic-partitions of numbers not whole yet: nothing of p is fetched until p is owned. */
    private void pauseIncomplete(Collection<TopicPartition> partitions) {
        List<TopicPartition> waiting = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            if (!held.isWhole(tp.partition())) {
                waiting.add(tp);
            }
        }
        if (waiting.isEmpty()) {
            return;
        }
        consumer.pause(waiting);
        if (incremental) {
            log.info("holding {} but not yet every input topic's partition of their numbers; "
                    + "they wait, paused, for {}", waiting, missing(waiting));
        } else {
            // An eager classic assignment is co-partitioned, except while the group migrates to the consumer
            // protocol (the broker then hands classic members each topic-partition as it is released) or when the
            // input topics' partition counts changed after start.
            log.warn("the group assigned {} but not every input topic's partition of their "
                    + "numbers; they wait, paused, for {} (expected only while the group migrates between group "
                    + "protocols; otherwise check that the input topics still have the same partition count)",
                    waiting, missing(waiting));
        }
    }

    /** Names the input topic-partitions still missing for the numbers of {@code waiting}. */
    private Map<Integer, List<TopicPartition>> missing(Collection<TopicPartition> waiting) {
        Map<Integer, List<TopicPartition>> missing = new TreeMap<>();
        for (TopicPartition tp : waiting) {
            missing.computeIfAbsent(tp.partition(), p -> {
                List<TopicPartition> absent = new ArrayList<>();
                for (String topic : topics) {
                    TopicPartition other = new TopicPartition(topic, p);
                    if (!held.held(p).contains(other)) {
                        absent.add(other);
                    }
                }
                return absent;
            });
        }
        return missing;
    }

    private void revoked(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        Set<Integer> numbers = held.remove(partitions);
        if (numbers.isEmpty()) {
            log.info("revoked {}, of partition numbers not yet whole (nothing of them was "
                    + "processed)", partitions);
            return;
        }
        if (!closing && failure == null) {
            if (transactions != null) {
                commitTransaction();
            } else {
                completeAndCommit(numbers);
            }
        }
        rewindRemaining(numbers);
        int dropped = forget(numbers);
        log.info("revoked partitions {}; {} fetched but unprocessed messages dropped "
                + "uncommitted", numbers, dropped);
        tell(() -> listener.revoked(numbers));
    }

    private void lost(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        Set<Integer> numbers = held.remove(partitions);
        if (numbers.isEmpty()) {
            return;
        }
        if (transactions != null && !closing && failure == null) {
            // the group has moved on: the offsets would be refused, and the output must not outlive them
            try {
                transactions.abortAndRewind("partitions " + numbers + " lost");
            } catch (KasperException e) {
                failure = e;
            }
        }
        rewindRemaining(numbers);
        int dropped = forget(numbers);
        // the keys are constants: javac joins them into the format, nothing is concatenated at run time
        log.warn("lost partitions {} (the group gave them to another member, e.g. after "
                + ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG + " or " + ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG
                + " was exceeded); their uncommitted batches will be processed again by the new owner; {} "
                + "unprocessed messages dropped", numbers, dropped);
        tell(() -> listener.lost(numbers));
    }

    /**
     * Rewinds the topic-partitions of {@code numbers} that the group still gives this member to their committed
     * offsets, and pauses them: what was fetched of them is dropped with the rest of the number, and must be fetched
     * again if the number becomes whole here once more.
     */
    private void rewindRemaining(Set<Integer> numbers) {
        if (closing) {
            return;
        }
        for (int p : numbers) {
            List<TopicPartition> remaining = held.held(p);
            for (TopicPartition tp : remaining) {
                if (assignment.owns(tp)) {
                    consumer.seek(tp, assignment.committed(tp));
                }
            }
            if (!remaining.isEmpty()) {
                consumer.pause(remaining);
                log.info("still holding {} of partition {}, paused until every input topic's "
                        + "partition {} is held again", remaining, p, p);
            }
        }
    }

    /**
     * Waits for the output of the revoked partitions' processed batches and commits them synchronously, while this
     * member still owns them (the group waits for this callback before reassigning).
     */
    private void completeAndCommit(Set<Integer> numbers) {
        try {
            if (!runner.await(numbers, timeout)) {
                log.warn("output of revoked partitions {} still unacknowledged after {}; its "
                        + "input stays uncommitted and will be processed again", numbers, timeout);
            }
            runner.harvest();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (KasperException e) {
            failure = e;
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> toCommit = new HashMap<>();
        runner.completedOffsets().forEach((tp, om) -> {
            if (numbers.contains(tp.partition()) && assignment.owns(tp) && om.offset() > assignment.committed(tp)) {
                toCommit.put(tp, om);
            }
        });
        if (toCommit.isEmpty()) {
            return;
        }
        try {
            runner.commitSync(consumer, toCommit, timeout);
            toCommit.forEach((tp, om) -> assignment.committed(tp, om.offset()));
            log.info("committed revoked partitions at {}", toCommit);
        } catch (RuntimeException e) {
            if (commitFailures.stops(CommitFailures.classify(e))) {
                failure = commitFailures.rejected(e);
                return;
            }
            // Nothing is lost: the new owner starts from the last successful commit and processes the rest again.
            log.warn("commit of revoked partitions {} failed, their batches will be processed "
                    + "again by the new owner: {}", toCommit, e.toString());
        }
    }

    /**
     * Commits the open transaction, output and offsets of every batch in it, while this member still owns the
     * revoked partitions (the group waits for this callback, and the group metadata still carries the generation
     * that owns them). A commit that fails is aborted and every owned partition rewound by {@link Transactions}.
     */
    private void commitTransaction() {
        try {
            if (transactions.commit() != null) {
                log.info("committed the transaction on revocation, offsets {}", assignment.committedView());
            }
        } catch (KasperException e) {
            failure = e;
        }
    }

    private int forget(Set<Integer> numbers) {
        runner.forget(numbers);
        int dropped = assembler.discard(numbers);
        assignment.remove(numbers);
        return dropped;
    }

    /** Keeps the first listener failure for {@link #rethrowFailure()}. */
    private void tell(Runnable call) {
        try {
            call.run();
        } catch (KasperException e) { // ListenerCalls wraps whatever the listener threw, JVM Errors included
            fail(e);
        }
    }

    /** Tells the listener about static partitions at start. */
    void staticAssigned(Set<Integer> numbers) {
        tell(() -> listener.assigned(numbers));
    }

    /** Tells the listener about static partitions at stop. */
    void staticRevoked(Set<Integer> numbers) {
        tell(() -> listener.revoked(numbers));
    }

}
