package io.kasper;

import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * User code that processes one batch of input messages and sends output messages.
 *
 * <p>A batch holds the messages of every input topic for one partition number, in offset order per topic-partition,
 * so that co-partitioned topics can be joined. Output goes through the {@link Sender}, which buffers; Kasper produces
 * it when {@code process} returns, waits for every acknowledgement and only then commits the batch's input offsets.
 *
 * <p>Thread-safety: a {@link TopicProcessor} calls {@code process} from its single loop thread only, so an instance
 * serving several partitions of one processor needs no synchronization. An instance shared by several
 * {@code TopicProcessor}s (for example on several threads) must be thread-safe itself.
 *
 * <p>Processing must be idempotent: after a failure or a restart, a batch whose offsets were not committed is
 * delivered again (at-least-once).
 *
 * <p>A JVM {@link VirtualMachineError} ({@link StackOverflowError}, {@link OutOfMemoryError}, ...) thrown by
 * {@code process} stops the {@link TopicProcessor} like an exception (nothing of the batch is committed), and
 * {@link TopicProcessor#runLoop()} then rethrows that Error unwrapped; other Errors, such as an
 * {@link AssertionError}, count as exceptions.
 */
@FunctionalInterface
public interface MessageProcessor {

    /**
     * Processes one batch.
     *
     * @param messages the batch: never empty, unmodifiable, all of one partition number
     * @param sender buffers output messages; valid only until this call returns
     * @throws Exception to stop the {@link TopicProcessor}: nothing of this batch is committed and
     *     {@link TopicProcessor#runLoop()} throws a {@link BatchFailedException} carrying this exception. What the
     *     configuration's {@link ErrorPolicy} handles does not stop it: a {@link PoisonMessageException} under policy
     *     SKIP or DEAD_LETTER (the batch is processed again without those records), and a transient failure (a
     *     retriable {@code StoreException} or Kafka {@code RetriableException} in the cause chain), after which the
     *     batch is processed again after a backoff, up to {@link ErrorPolicy#maxRetries()} times. Output this call
     *     already made durable with {@link Sender#flush()} is produced again by the next call
     */
    void process(List<ConsumerRecord<byte[], byte[]>> messages, Sender sender) throws Exception;
}
