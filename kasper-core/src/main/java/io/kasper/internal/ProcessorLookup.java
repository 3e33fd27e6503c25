package io.kasper.internal;

import io.kasper.InvalidConfigException;
import io.kasper.MessageProcessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;

/**
 * Finds the {@link MessageProcessor} of every partition number a processor may be given, for {@code TopicProcessor}
 * and the test driver alike. Thread-safe (stateless).
 */
final class ProcessorLookup {

    private ProcessorLookup() {
    }

    /**
     * Asks {@code lookup} once per configured partition, in the given order.
     *
     * @param partitions the configured {@code inputPartitions}
     * @param lookup returns the processor of a partition number, or null when there is none
     * @return partition number to processor, in ascending partition order
     * @throws InvalidConfigException naming the first partition without a processor
     */
    static Map<Integer, MessageProcessor> forPartitions(List<Integer> partitions,
            IntFunction<? extends MessageProcessor> lookup) {
        Map<Integer, MessageProcessor> resolved = new TreeMap<>();
        for (int p : partitions) {
            MessageProcessor processor = lookup.apply(p);
            if (processor == null) {
                throw new InvalidConfigException("every partition in inputPartitions " + partitions
                        + " needs a MessageProcessor, but partition " + p + " has none");
            }
            resolved.put(p, processor);
        }
        return resolved;
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
        Map<Integer, MessageProcessor> resolved = new TreeMap<>();
        List<Integer> missing = new ArrayList<>();
        for (int p = 0; p < partitionCount; p++) {
            MessageProcessor processor = lookup.apply(p);
            if (processor == null) {
                missing.add(p);
            } else {
                resolved.put(p, processor);
            }
        }
        if (!missing.isEmpty()) {
            throw new InvalidConfigException("with groupManaged() every partition of the input topics (0-"
                    + (partitionCount - 1) + ") may be assigned and needs a MessageProcessor, but the " + source
                    + " has none for partitions " + missing);
        }
        return resolved;
    }
}
