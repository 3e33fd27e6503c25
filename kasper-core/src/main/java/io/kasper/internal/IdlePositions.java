package io.kasper.internal;

import java.util.Map;
import java.util.function.ToLongFunction;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Finds owned input topic-partitions whose consumer position has moved past their committed offset while every
 * record fetched of them is already committed. The offsets in between were skipped by the consumer as undeliverable:
 * the commit marker of a transaction (it often arrives on a later poll than the transaction's records, a poll that
 * returns nothing), records of an aborted transaction, offsets compacted away. Committing the position then loses
 * nothing, and without it a processor whose input ends with such offsets would stay behind its end forever.
 *
 * <p>"Every record fetched is committed" is checked as: the last record of the topic-partition handed to the
 * {@link BatchAssembler} lies below the committed offset (or none was handed to it since it was assigned). A record
 * waiting in the assembler, in a batch in flight, released but not yet committed, or dropped unprocessed by a stop
 * lies at or above the committed offset, so the position is never committed past it; a record fetched later lies at
 * or above the position read here.
 *
 * <p>Thread-safety: stateless; called on the loop thread, which owns its arguments.
 */
final class IdlePositions {

    private IdlePositions() {
    }

    /**
     * Adds the position of every owned topic-partition that qualifies to {@code offsets}, keeping any higher offset
     * already there.
     *
     * @param offsets the offsets about to be committed; modified
     * @param assignment the owned topic-partitions and their committed offsets
     * @param assembler tells the last record fetched per topic-partition
     * @param position the consumer's position of an assigned topic-partition, or -1 when it has no valid one
     */
    static void addTo(Map<TopicPartition, OffsetAndMetadata> offsets, Assignment assignment,
            BatchAssembler assembler, ToLongFunction<TopicPartition> position) {
        for (TopicPartition tp : assignment.topicPartitions()) {
            long committed = assignment.committed(tp);
            if (assembler.lastAdded(tp) >= committed) {
                continue;
            }
            long next = position.applyAsLong(tp);
            if (next > committed) {
                offsets.merge(tp, new OffsetAndMetadata(next),
                        (present, idle) -> present.offset() >= idle.offset() ? present : idle);
            }
        }
    }
}
