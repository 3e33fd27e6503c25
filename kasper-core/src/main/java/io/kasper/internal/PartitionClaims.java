package io.kasper.internal;

import io.kasper.InvalidConfigException;
import io.kasper.TopicProcessorConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rejects two live topic processors in one JVM that share a name and cluster and claim the same partition: with
 * static assignment, both would process and commit the same messages. Instances in other JVMs cannot be seen here.
 *
 * <p>Thread-safety: thread-safe (synchronized on the class-wide registry).
 */
final class PartitionClaims {

    private static final Map<String, Set<Integer>> CLAIMED = new HashMap<>();

    private PartitionClaims() {
    }

    static void claim(TopicProcessorConfig config) {
        String key = key(config);
        synchronized (CLAIMED) {
            Set<Integer> taken = CLAIMED.computeIfAbsent(key, k -> new HashSet<>());
            List<Integer> overlap = new ArrayList<>();
            for (int p : config.inputPartitions()) {
                if (taken.contains(p)) {
                    overlap.add(p);
                }
            }
            if (!overlap.isEmpty()) {
                throw new InvalidConfigException("inputPartitions must not overlap with another open TopicProcessor '"
                        + config.topicProcessorName() + "' in this JVM, but partitions " + overlap
                        + " are already claimed");
            }
            taken.addAll(config.inputPartitions());
        }
    }

    static void release(TopicProcessorConfig config) {
        synchronized (CLAIMED) {
            Set<Integer> taken = CLAIMED.get(key(config));
            if (taken != null) {
                config.inputPartitions().forEach(taken::remove);
                if (taken.isEmpty()) {
                    CLAIMED.remove(key(config));
                }
            }
        }
    }

    private static String key(TopicProcessorConfig config) {
        return config.bootstrapServers() + "|" + config.consumerGroupId();
    }
}
