package io.kasper;

/**
 * What a {@link TopicProcessor} does with a poison message: an input record that cannot be processed however often it
 * is retried (it cannot be deserialized, it violates the schema, the processor rejects it with a
 * {@link PoisonMessageException}). Set with {@link ErrorPolicy.Builder#poisonPolicy}.
 *
 * <p>With {@link #SKIP} and {@link #DEAD_LETTER} the rest of the batch still completes: the processor is called again
 * with the batch minus the poison records (output buffered in the failed call is discarded, so a processor should
 * not make side effects that cannot be repeated before it validates its input).
 */
public enum PoisonPolicy {

    /** Fail the batch: nothing of it is committed and {@link TopicProcessor#runLoop()} throws (the default). */
    FAIL,

    /** Log the record's topic, partition and offset with the reason, count it, and go on without it. */
    SKIP,

    /**
     * Produce the record to the dead-letter topic with headers naming its origin and the failure (see
     * {@link ErrorPolicy}), count it, and go on without it; the batch's offsets are committed only once the
     * dead-letter copy is acknowledged.
     */
    DEAD_LETTER
}
