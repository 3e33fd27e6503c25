package io.kasper.internal;

import io.kasper.KasperException;
import io.kasper.PartitionListener;
import io.kasper.ProcessorState;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Keeps the loop's state right when partitions move: on revocation it lets the batches already processed for the
 * revoked partitions finish (acknowledged output, then a synchronous commit) and drops their messages not yet
 * processed, uncommitted, so that the next owner starts exactly after the last committed batch; on loss it drops
 * everything of the lost partitions (nothing can be committed any more); on assignment it checks co-partitioning.
 * It also tells the user's {@link PartitionListener}.
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
    private final Set<TopicPartition> gauged = new HashSet<>();
    private KasperException failure;
    /** The JVM Error behind {@link #failure}, when a callback threw one. */
    private VirtualMachineError fatal;
    private boolean closing;

    RebalanceHandler(ProcessorLogContext context, Duration timeout, Optional<PartitionListener> listener,
            Assignment assignment, BatchAssembler assembler, BatchRunner runner, Consumer<byte[], byte[]> consumer,
            ProcessorStatus status, CommitFailures commitFailures) {
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
        try {
            Set<TopicPartition> owned = new HashSet<>(assignment.topicPartitions());
            owned.addAll(partitions);
            assignment.requireCoPartitioned(owned);
            for (TopicPartition tp : partitions) {
                assignment.add(tp, consumer.position(tp, timeout));
                if (gauged.add(tp)) {
                    runner.metrics().behindGauge(tp, assignment.behind());
                }
            }
        } catch (KasperException e) {
            failure = e;
            return;
        } catch (RuntimeException e) {
            failure = new KasperException(context.message("cannot start assigned partitions "
                    + partitions + ": " + e), e);
            return;
        }
        Set<Integer> numbers = numbers(partitions);
        log.info("assigned partitions {}, starting offsets {}", numbers,
                assignment.committedView());
        tell(() -> listener.assigned(numbers));
    }

    private void revoked(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        Set<Integer> numbers = numbers(partitions);
        if (!closing && failure == null) {
            completeAndCommit(partitions, numbers);
        }
        int dropped = forget(numbers);
        log.info("revoked partitions {}; {} fetched but unprocessed messages dropped "
                + "uncommitted", numbers, dropped);
        tell(() -> listener.revoked(numbers));
    }

    private void lost(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        Set<Integer> numbers = numbers(partitions);
        int dropped = forget(numbers);
        // the keys are constants: javac joins them into the format, nothing is concatenated at run time
        log.warn("lost partitions {} (the group gave them to another member, e.g. after "
                + ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG + " or " + ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG
                + " was exceeded); their uncommitted batches will be processed again by the new owner; {} "
                + "unprocessed messages dropped", numbers, dropped);
        tell(() -> listener.lost(numbers));
    }

    /**
     * Waits for the output of the revoked partitions' processed batches and commits them synchronously, while this
     * member still owns them (the group waits for this callback before reassigning).
     */
    private void completeAndCommit(Collection<TopicPartition> partitions, Set<Integer> numbers) {
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
            if (partitions.contains(tp) && assignment.owns(tp) && om.offset() > assignment.committed(tp)) {
                toCommit.put(tp, om);
            }
        });
        if (toCommit.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(toCommit, timeout);
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

    private static Set<Integer> numbers(Collection<TopicPartition> partitions) {
        Set<Integer> numbers = new TreeSet<>();
        partitions.forEach(tp -> numbers.add(tp.partition()));
        return java.util.Collections.unmodifiableSet(numbers);
    }
}
