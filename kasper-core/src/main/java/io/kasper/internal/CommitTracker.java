package io.kasper.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.ToLongFunction;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Orders the batches in flight per partition number and releases their offsets for commit only once a batch and
 * every earlier batch of the same partition are complete without failure: a later batch acknowledged first must not
 * commit past an earlier one whose output is not yet durable.
 *
 * <p>Thread-safety: not thread-safe; owned by the loop thread (the batches themselves complete on other threads).
 */
final class CommitTracker {

    private final Map<Integer, ArrayDeque<InFlightBatch>> queues = new TreeMap<>();
    private final Map<TopicPartition, OffsetAndMetadata> releasable = new HashMap<>();
    /** Per partition number, the commit offsets of released batches whose commit is not yet confirmed. */
    private final Map<Integer, ArrayDeque<Map<TopicPartition, OffsetAndMetadata>>> uncommitted = new HashMap<>();
    private final MemoryBudget budget;

    CommitTracker() {
        this(MemoryBudget.unlimited());
    }

    /** Creates a tracker that counts the input of each batch in flight, and its output, in {@code budget}. */
    CommitTracker(MemoryBudget budget) {
        this.budget = budget;
    }

    InFlightBatch open(Batch batch) {
        InFlightBatch inFlight = new InFlightBatch(batch, budget);
        budget.inputInFlight(batch.bytes());
        queues.computeIfAbsent(batch.partition(), p -> new ArrayDeque<>()).addLast(inFlight);
        return inFlight;
    }

    /**
     * Replaces a batch's tracking, when its output failed and the batch is processed again: acknowledgements still
     * due for the first attempt no longer count.
     *
     * @return the new tracking, in the old one's place in the partition's queue
     */
    InFlightBatch reopen(InFlightBatch old) {
        ArrayDeque<InFlightBatch> queue = queues.get(old.batch().partition());
        if (queue == null || queue.peekLast() != old) {
            throw new IllegalStateException("only the latest batch of a partition can be reopened: " + old.batch());
        }
        queue.pollLast();
        old.releaseOutput();
        InFlightBatch fresh = new InFlightBatch(old.batch(), budget);
        queue.addLast(fresh);
        return fresh;
    }

    /** Returns the number of batches of {@code partition} not yet committed (in flight, or released). */
    int inFlight(int partition) {
        ArrayDeque<InFlightBatch> queue = queues.get(partition);
        ArrayDeque<Map<TopicPartition, OffsetAndMetadata>> released = uncommitted.get(partition);
        return (queue == null ? 0 : queue.size()) + (released == null ? 0 : released.size());
    }

    /** Forgets released batches whose every offset is now committed. */
    void committed(ToLongFunction<TopicPartition> committedOffset) {
        for (ArrayDeque<Map<TopicPartition, OffsetAndMetadata>> released : uncommitted.values()) {
            while (!released.isEmpty() && released.peekFirst().entrySet().stream()
                    .allMatch(e -> committedOffset.applyAsLong(e.getKey()) >= e.getValue().offset())) {
                released.pollFirst();
            }
        }
    }

    boolean isEmpty() {
        return queues.values().stream().allMatch(ArrayDeque::isEmpty);
    }

    /**
     * Moves the offsets of every completed, successful batch at the head of its partition's queue to the releasable
     * set, and returns a failed batch found at a head, if any (its offsets and those after it stay back). A batch
     * that really failed is returned before one cancelled by a stop ({@link CancellationException}), which is no
     * failure and must not hide one of another partition.
     */
    InFlightBatch harvest(java.util.function.Consumer<InFlightBatch> onCompleted) {
        InFlightBatch failed = null;
        for (ArrayDeque<InFlightBatch> queue : queues.values()) {
            while (!queue.isEmpty() && queue.peekFirst().isDone()) {
                InFlightBatch head = queue.peekFirst();
                if (head.failure() != null) {
                    if (failed == null || failed.failure() instanceof CancellationException
                            && !(head.failure() instanceof CancellationException)) {
                        failed = head;
                    }
                    break;
                }
                queue.pollFirst();
                budget.inputDone(head.batch().bytes());
                Map<TopicPartition, OffsetAndMetadata> offsets = head.batch().commitOffsets();
                releasable.putAll(offsets);
                uncommitted.computeIfAbsent(head.batch().partition(), p -> new ArrayDeque<>()).addLast(offsets);
                onCompleted.accept(head);
            }
        }
        return failed;
    }

    /** Returns and forgets the offsets released since the last call. */
    Map<TopicPartition, OffsetAndMetadata> drainReleasable() {
        Map<TopicPartition, OffsetAndMetadata> result = new HashMap<>(releasable);
        releasable.clear();
        return result;
    }

    /** Puts offsets back for the next commit attempt unless newer ones were released meanwhile. */
    void restore(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach(releasable::putIfAbsent);
    }

    /**
     * Forgets every batch of the given partitions and their releasable offsets: they belong to another owner now, and
     * committing them later could move that owner's committed offsets backwards.
     */
    void forget(Set<Integer> partitions) {
        for (int p : partitions) {
            ArrayDeque<InFlightBatch> dropped = queues.remove(p);
            if (dropped != null) {
                // their output is released by the producer's callbacks when it completes or fails
                dropped.forEach(b -> budget.inputDone(b.batch().bytes()));
            }
        }
        uncommitted.keySet().removeAll(partitions);
        releasable.keySet().removeIf(tp -> partitions.contains(tp.partition()));
    }

    /**
     * Waits until every batch in flight is complete, or the timeout passes.
     *
     * @return whether all completed in time
     */
    boolean awaitAll(Duration timeout) throws InterruptedException {
        return await(queues.keySet(), timeout);
    }

    /**
     * Waits until every batch in flight of the given partitions is complete, or the timeout passes.
     *
     * @return whether all completed in time
     */
    boolean await(Set<Integer> partitions, Duration timeout) throws InterruptedException {
        CompletableFuture<?>[] all = queues.entrySet().stream().filter(e -> partitions.contains(e.getKey()))
                .flatMap(e -> e.getValue().stream())
                .map(InFlightBatch::completion).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(all).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true; // completions never complete exceptionally; failures are recorded on the batch
        }
    }
}
