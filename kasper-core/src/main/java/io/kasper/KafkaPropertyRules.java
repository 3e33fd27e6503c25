package io.kasper;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The rules for Kafka client properties passed through a {@link TopicProcessorConfig}: those that would break
 * at-least-once delivery or Kasper's own settings, and, in group-managed mode, those that could split a partition
 * number across instances. Each violation is added to the caller's {@link ConfigErrors} as a message naming the
 * property and value. Stateless, thread-safe.
 */
final class KafkaPropertyRules {

    private KafkaPropertyRules() {
    }

    /** Rejects settings that would break at-least-once delivery or that Kasper sets itself. */
    static void check(String field, Map<String, Object> props, ConfigErrors errors) {
        for (Map.Entry<String, Object> e : props.entrySet()) {
            String key = e.getKey();
            if (key == null) {
                errors.add(field + " must not contain a null key");
                continue;
            }
            String value = String.valueOf(e.getValue());
            switch (key) {
                case "enable.auto.commit" -> {
                    if (!"false".equalsIgnoreCase(value)) {
                        errors.add(field + " must not set 'enable.auto.commit' to '" + value
                                + "': Kasper commits offsets only after the output is acknowledged");
                    }
                }
                case "acks" -> {
                    String acks = value.toLowerCase(Locale.ROOT);
                    if (!acks.equals("all") && !acks.equals("-1")) {
                        errors.add(field + " must not set 'acks' to '" + value
                                + "': Kasper requires acks=all so that committed input has durable output");
                    }
                }
                case "group.id", "key.serializer", "value.serializer", "key.deserializer", "value.deserializer",
                        "transactional.id" ->
                        errors.add(field + " must not set '" + key + "' (was '" + value
                                + "'): Kasper sets it itself");
                default -> {
                    // any other Kafka client property passes through unchanged
                }
            }
        }
    }

    /** Rejects client settings under which the group could split partition p of the input topics. */
    static void checkGroupManaged(String field, Map<String, Object> props, ConfigErrors errors) {
        Object strategy = props.get("partition.assignment.strategy");
        if (strategy != null) {
            List<String> names = assignorNames(strategy);
            if (!names.equals(List.of(TopicProcessorConfig.CO_PARTITIONING_ASSIGNOR))) {
                errors.add(field + " must not set 'partition.assignment.strategy' to " + names
                        + " in group-managed mode: only " + TopicProcessorConfig.CO_PARTITIONING_ASSIGNOR + " guarantees that "
                        + "partition p of every input topic goes to the same instance (leave it unset)");
            }
        }
        Object protocol = props.get("group.protocol");
        if (protocol != null && !"classic".equalsIgnoreCase(String.valueOf(protocol).trim())) {
            errors.add(field + " must not set 'group.protocol' to '" + protocol + "' in group-managed mode: "
                    + "the consumer protocol's server-side assignors and its per-partition reconciliation do not "
                    + "guarantee that partition p of every input topic goes to the same instance; Kasper uses "
                    + "'classic'");
        }
        if (props.containsKey("group.instance.id")) {
            errors.add(field + " must not set 'group.instance.id' (was '" + props.get("group.instance.id")
                    + "'): use groupInstanceId(...)");
        }
    }

    /** Returns the consumer's {@code max.poll.interval.ms}: the consumer property, else the shared one, else 300 s. */
    static long maxPollIntervalMillis(Map<String, Object> kafkaProps, Map<String, Object> consumerProps) {
        Object value = consumerProps.getOrDefault("max.poll.interval.ms", kafkaProps.get("max.poll.interval.ms"));
        if (value == null) {
            return 300_000L;
        }
        try {
            return Long.parseLong(String.valueOf(value).trim());
        } catch (NumberFormatException e) {
            return 300_000L; // the Kafka client itself rejects a malformed value with its own message
        }
    }

    private static List<String> assignorNames(Object strategy) {
        List<String> names = new ArrayList<>();
        Collection<?> entries = strategy instanceof Collection<?> c ? c
                : Arrays.asList(String.valueOf(strategy instanceof Class<?> k ? k.getName() : strategy)
                        .split(","));
        for (Object entry : entries) {
            String name = entry instanceof Class<?> k ? k.getName() : String.valueOf(entry).trim();
            if (!name.isEmpty()) {
                names.add(name);
            }
        }
        return names;
    }
}
