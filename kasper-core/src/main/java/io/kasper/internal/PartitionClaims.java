package io.kasper.internal;

import io.kasper.InvalidConfigException;
import io.kasper.TopicProcessorConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Rejects two live topic processors in one JVM that share a name and cluster when they cannot both work: two static
 * ones claiming the same partition (both would process and commit the same messages), or a static and a
 * group-managed one (the broker rejects the static one's commits while the group has members). Instances in other
 * JVMs cannot be seen here; {@link GroupMembers} checks the cluster for them.
 *
 * <p>Thread-safety: thread-safe (synchronized on the class-wide registry).
 */
final class PartitionClaims {

    /** The claims of one name on one cluster. */
    private static final class Claims {
        final Set<Integer> staticPartitions = new HashSet<>();
        int groupManaged;

        boolean isEmpty() {
            return staticPartitions.isEmpty() && groupManaged == 0;
        }
    }

    private static final Map<String, Claims> CLAIMED = new HashMap<>();

    private PartitionClaims() {
    }

    /**
     * Claims the configured partitions (static) or a share of the group (group-managed).
     *
     * @throws InvalidConfigException when another open processor of the same name and cluster claims one of the
     *     partitions, or runs in the other mode
     */
    static void claim(TopicProcessorConfig config) {
        String key = key(config);
        synchronized (CLAIMED) {
            Claims claims = CLAIMED.computeIfAbsent(key, k -> new Claims());
            if (config.isGroupManaged() ? !claims.staticPartitions.isEmpty() : claims.groupManaged > 0) {
                if (claims.isEmpty()) {
                    CLAIMED.remove(key);
                }
                throw mixedModes(config, claims);
            }
            if (config.isGroupManaged()) {
                claims.groupManaged++;
                return;
            }
            List<Integer> overlap = new ArrayList<>();
            for (int p : config.inputPartitions()) {
                if (claims.staticPartitions.contains(p)) {
                    overlap.add(p);
                }
            }
            if (!overlap.isEmpty()) {
                throw new InvalidConfigException("inputPartitions must not overlap with another open TopicProcessor '"
                        + config.topicProcessorName() + "' in this JVM, but partitions " + overlap
                        + " are already claimed");
            }
            claims.staticPartitions.addAll(config.inputPartitions());
        }
    }

    /** Releases what {@link #claim} took; call it once per successful claim. */
    static void release(TopicProcessorConfig config) {
        synchronized (CLAIMED) {
            Claims claims = CLAIMED.get(key(config));
            if (claims == null) {
                return;
            }
            if (config.isGroupManaged()) {
                claims.groupManaged = Math.max(0, claims.groupManaged - 1);
            } else {
                config.inputPartitions().forEach(claims.staticPartitions::remove);
            }
            if (claims.isEmpty()) {
                CLAIMED.remove(key(config));
            }
        }
    }

    private static InvalidConfigException mixedModes(TopicProcessorConfig config, Claims claims) {
        String other = config.isGroupManaged() ? "a static TopicProcessor '" + config.topicProcessorName()
                + "' (inputPartitions " + new TreeSet<>(claims.staticPartitions) + ")"
                : "a group-managed TopicProcessor '" + config.topicProcessorName() + "' (groupManaged())";
        return new InvalidConfigException("TopicProcessor '" + config.topicProcessorName() + "' is "
                + (config.isGroupManaged() ? "group-managed" : "static") + ", but " + other + " is already open in "
                + "this JVM on the same cluster: both would use consumer group '" + config.consumerGroupId()
                + "', whose members make the broker reject the static processor's commits. Give one of them another "
                + "topicProcessorName, or run all instances of this name in one mode");
    }

    private static String key(TopicProcessorConfig config) {
        return config.bootstrapServers() + "|" + config.consumerGroupId();
    }
}
