package io.kasper;

import java.util.Set;

/**
 * Told which partition numbers a {@link TopicProcessor} owns, so that user code can load per-partition state before
 * the first batch of a partition and flush it after the last one.
 *
 * <p>With group-managed assignment ({@link TopicProcessorConfig.Builder#groupManaged()}) the callbacks follow the
 * consumer group's rebalances, by partition number: a number is assigned once the instance holds that partition of
 * every input topic, and revoked (or lost) as soon as it stops holding one of them. Under
 * {@link GroupProtocol#CLASSIC} (eager) every rebalance revokes every partition number of the instance and then
 * assigns the new set; under {@link GroupProtocol#CONSUMER} (incremental) only the numbers that move are revoked and
 * assigned, and the others keep being processed meanwhile. With static assignment, {@link #onPartitionsAssigned} is
 * called once before the first batch and {@link #onPartitionsRevoked} once when the processor stops.
 *
 * <p>Thread-safety: called on the loop thread of the {@link TopicProcessor} (the thread of {@code runLoop()}), never
 * while a {@link MessageProcessor#process} call of the same processor runs, so the listener and the message processors
 * of one {@code TopicProcessor} need no synchronization between them. An exception thrown by a callback stops the
 * {@code TopicProcessor} with a {@link KasperException} naming the callback, which {@code runLoop()} throws, also when
 * the callback ran because the processor was closing; so does a JVM {@link VirtualMachineError}
 * ({@link StackOverflowError}, {@link OutOfMemoryError}, ...), but {@link TopicProcessor#runLoop()} then rethrows the
 * Error unwrapped, and {@link TopicProcessor#failure()} holds the KasperException with the Error as its cause.
 */
public interface PartitionListener {

    /**
     * Called after partition numbers were assigned and before any of their batches is processed.
     *
     * @param partitionNumbers the newly assigned partition numbers (of every input topic), never empty
     */
    void onPartitionsAssigned(Set<Integer> partitionNumbers);

    /**
     * Called when partition numbers are taken away in an orderly way: every batch of them that was processed has been
     * produced, acknowledged and committed, and no further batch of them will be processed by this instance.
     *
     * @param partitionNumbers the revoked partition numbers, never empty
     */
    void onPartitionsRevoked(Set<Integer> partitionNumbers);

    /**
     * Called when partition numbers were lost: the group already gave them to another member (for example after this
     * instance exceeded {@code max.poll.interval.ms} or its session expired), so nothing more of them could be
     * committed; their processed but uncommitted batches will be processed again by the new owner. The default calls
     * {@link #onPartitionsRevoked}.
     *
     * @param partitionNumbers the lost partition numbers, never empty
     */
    default void onPartitionsLost(Set<Integer> partitionNumbers) {
        onPartitionsRevoked(partitionNumbers);
    }
}
