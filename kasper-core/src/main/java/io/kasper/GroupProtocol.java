package io.kasper;

/**
 * The Kafka consumer group protocol a group-managed {@link TopicProcessor} joins its group with, set by
 * {@link TopicProcessorConfig.Builder#groupProtocol(GroupProtocol)}. Both keep partition p of every input topic on one
 * instance at a time; they differ in how partitions move (see the README, "Group protocols").
 *
 * <p>Thread-safety: an enum, immutable.
 */
public enum GroupProtocol {

    /**
     * The classic protocol ({@code group.protocol=classic}) with the client-side
     * {@code org.apache.kafka.clients.consumer.RangeAssignor}: eager, so every rebalance revokes every partition of
     * every member before anything is assigned. Works with every broker; deprecated by Kafka since 4.3.
     */
    CLASSIC,

    /**
     * The consumer protocol of KIP-848 ({@code group.protocol=consumer}) with the broker's {@code range} assignor
     * ({@code group.remote.assignor=range}): incremental, so only the partitions that move stop, while the others
     * keep being processed. Needs brokers of Kafka 4.0 or newer with the protocol enabled. Session timeout and
     * heartbeat interval are the broker's ({@code group.consumer.session.timeout.ms},
     * {@code group.consumer.heartbeat.interval.ms}, or per group {@code consumer.session.timeout.ms}).
     */
    CONSUMER
}
