package io.kasper.internal;

import io.kasper.InvalidConfigException;
import io.kasper.MessageProcessor;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;

/**
 * Finds the {@link MessageProcessor} of every statically configured partition, for {@code TopicProcessor} and the
 * test driver alike. Internal API; thread-safe (stateless).
 */
public final class ProcessorLookup {

    private ProcessorLookup() {
    }

    /**
     * Asks {@code lookup} once per partition, in the given order.
     *
     * @param partitions the configured {@code inputPartitions}
     * @param lookup returns the processor of a partition number, or null when there is none
     * @return partition number to processor, in ascending partition order
     * @throws InvalidConfigException naming the first partition without a processor
     */
    public static Map<Integer, MessageProcessor> forPartitions(List<Integer> partitions,
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
}
