package io.kasper.internal;

import io.kasper.InvalidConfigException;
import io.kasper.MessageProcessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * Finds the {@link MessageProcessor} of every partition number a processor may be given, for {@code TopicProcessor}
 * and the test driver alike: the configured partitions of a static processor, every partition of the input topics of
 * a group-managed one. Either way each number is asked for once, and one message names every number without a
 * processor. Thread-safe (stateless).
 */
final class ProcessorLookup {

    private ProcessorLookup() {
    }

    /**
     * Asks {@code lookup} once per configured partition, in the given order.
     *
     * @param partitions the configured {@code inputPartitions}
     * @param lookup returns the processor of a partition number, or null when there is none
     * @param source what {@code lookup} is, for the message ("processors map", "processorFactory")
     * @return partition number to processor, in ascending partition order
     * @throws InvalidConfigException naming every partition without a processor
     */
    static Map<Integer, MessageProcessor> forPartitions(List<Integer> partitions,
            IntFunction<? extends MessageProcessor> lookup, String source) {
        return resolve(partitions, "every partition in inputPartitions " + partitions, lookup, source);
    }

    /**
     * Asks {@code lookup} once for every partition number of the input topics, 0 to {@code partitionCount - 1}: a
     * group-managed processor may be assigned any of them.
     *
     * @param partitionCount the input topics' partition count
     * @param lookup returns the processor of a partition number, or null when there is none
     * @param source what {@code lookup} is, for the message ("processors map", "processorFactory")
     * @return partition number to processor, in ascending partition order
     * @throws InvalidConfigException naming every partition without a processor
     */
    static Map<Integer, MessageProcessor> forAllPartitions(int partitionCount,
            IntFunction<? extends MessageProcessor> lookup, String source) {
        return resolve(IntStream.range(0, partitionCount).boxed().toList(), "with groupManaged() every partition of "
                + "the input topics (0-" + (partitionCount - 1) + ") may be assigned and", lookup, source);
    }

    /**
     * The one lookup path.
     *
     * @param required what needs a processor, the subject of the message ("every partition in inputPartitions [0, 1]")
     */
    private static Map<Integer, MessageProcessor> resolve(List<Integer> partitions, String required,
            IntFunction<? extends MessageProcessor> lookup, String source) {
        Map<Integer, MessageProcessor> resolved = new TreeMap<>();
        List<Integer> missing = new ArrayList<>();
        for (int p : partitions) {
            MessageProcessor processor = lookup.apply(p);
            if (processor == null) {
                missing.add(p);
            } else {
                resolved.put(p, processor);
            }
        }
        if (!missing.isEmpty()) {
            throw new InvalidConfigException(required + " needs a MessageProcessor, but the " + source
                    + " has none for partitions " + missing);
        }
        return resolved;
    }
}
