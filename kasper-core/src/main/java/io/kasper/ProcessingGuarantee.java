package io.kasper;

/**
 * What a {@link TopicProcessor} guarantees about its Kafka output, set by
 * {@link TopicProcessorConfig.Builder#processingGuarantee(ProcessingGuarantee)} (see the README, "Processing
 * guarantees"). Stores are outside either guarantee: a write to a store is never undone.
 *
 * <p>Thread-safety: an enum, immutable.
 */
public enum ProcessingGuarantee {

    /**
     * Every input message's output is produced at least once: the input offsets are committed only after the output
     * is acknowledged, so a crash, a rebalance or a retried batch may produce some output again.
     */
    AT_LEAST_ONCE,

    /**
     * The output of a set of completed batches (dead letters included) and their input offsets are committed in one
     * Kafka transaction, every {@code transactionCommitInterval}; a failed or retried batch aborts the open
     * transaction. A consumer of the output reading with {@code isolation.level=read_committed} sees each input
     * message's output exactly once, whatever fails. Costs latency: output becomes readable only when its
     * transaction commits.
     */
    EXACTLY_ONCE
}
