package io.kasper;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The rules for Kafka client properties passed through a {@link TopicProcessorConfig}: those that would break
 * at-least-once delivery or Kasper's own settings, and, in group-managed mode, those that could split a partition
 * number across instances or that the chosen {@link GroupProtocol} does not accept. Each violation is added to the
 * caller's {@link ConfigErrors} as a message naming the property and value. Stateless, thread-safe.
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
                case ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG -> {
                    if (!"false".equalsIgnoreCase(value)) {
                        errors.add(field + " must not set '" + key + "' to '" + value
                                + "': Kasper commits offsets only after the output is acknowledged");
                    }
                }
                case ProducerConfig.ACKS_CONFIG -> {
                    String acks = value.toLowerCase(Locale.ROOT);
                    if (!acks.equals("all") && !acks.equals("-1")) {
                        errors.add(field + " must not set '" + key + "' to '" + value + "': Kasper requires " + key
                                + "=all so that committed input has durable output");
                    }
                }
                case ConsumerConfig.GROUP_PROTOCOL_CONFIG, ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG ->
                        errors.add(field + " must not set '" + key + "' (was '" + value + "'): Kasper sets it from "
                                + "groupProtocol(...); choose the protocol with "
                                + "groupManaged().groupProtocol(GroupProtocol.CLASSIC or GroupProtocol.CONSUMER)");
                case ProducerConfig.TRANSACTIONAL_ID_CONFIG ->
                        errors.add(field + " must not set '" + key + "' (was '" + value + "'): for exactly-once "
                                + "output use processingGuarantee(ProcessingGuarantee.EXACTLY_ONCE), which derives "
                                + "the transactional id from the processor name (see the README, \"Processing "
                                + "guarantees\")");
                case ConsumerConfig.GROUP_ID_CONFIG, ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG ->
                        errors.add(field + " must not set '" + key + "' (was '" + value
                                + "'): Kasper sets it itself");
                default -> {
                    // any other Kafka client property passes through unchanged
                }
            }
        }
    }

    /**
     * Rejects client settings under which the group could split partition p of the input topics, and those the
     * chosen group protocol does not accept.
     */
    static void checkGroupManaged(String field, Map<String, Object> props, GroupProtocol protocol,
            ConfigErrors errors) {
        Object strategy = props.get(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG);
        if (strategy != null && protocol == GroupProtocol.CONSUMER) {
            errors.add(field + " must not set '" + ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG + "' (was "
                    + assignorNames(strategy) + ") under groupProtocol CONSUMER: the broker assigns the partitions, "
                    + "with the '" + TopicProcessorConfig.CO_PARTITIONING_REMOTE_ASSIGNOR + "' assignor Kasper "
                    + "chooses (leave it unset)");
        } else if (strategy != null) {
            List<String> names = assignorNames(strategy);
            if (!names.equals(List.of(TopicProcessorConfig.CO_PARTITIONING_ASSIGNOR))) {
                errors.add(field + " must not set '" + ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG + "' to "
                        + names + " in group-managed mode: only " + TopicProcessorConfig.CO_PARTITIONING_ASSIGNOR
                        + " guarantees that partition p of every input topic goes to the same instance (leave it "
                        + "unset)");
            }
        }
        if (protocol == GroupProtocol.CONSUMER) {
            for (String key : List.of(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
                    ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG)) {
                if (props.containsKey(key)) {
                    errors.add(field + " must not set '" + key + "' (was '" + props.get(key) + "') under "
                            + "groupProtocol CONSUMER: the consumer protocol takes it from the broker (group.consumer."
                            + key + ", or the group config consumer." + key + "), and the Kafka consumer rejects it; "
                            + "remove it or use groupProtocol(GroupProtocol.CLASSIC)");
                }
            }
        }
        if (props.containsKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG)) {
            errors.add(field + " must not set '" + ConsumerConfig.GROUP_INSTANCE_ID_CONFIG + "' (was '"
                    + props.get(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG)
                    + "'): use groupInstanceId(...)");
        }
    }

    /**
     * Rejects, under {@link ProcessingGuarantee#EXACTLY_ONCE}, client settings that break transactions: reading
     * uncommitted input, a producer without idempotence, and a {@code transaction.timeout.ms} that a transaction
     * open for the commit interval plus the error policy's retry backoff would exceed.
     */
    static void checkExactlyOnce(Map<String, Object> kafkaProps, Map<String, Object> consumerProps,
            Map<String, Object> producerProps, Duration interval, ErrorPolicy policy, ConfigErrors errors) {
        for (Map.Entry<String, Map<String, Object>> e : Map.of("kafkaProperties", kafkaProps, "consumerProperties",
                consumerProps).entrySet()) {
            Object isolation = e.getValue().get(ConsumerConfig.ISOLATION_LEVEL_CONFIG);
            if (isolation != null && !"read_committed".equalsIgnoreCase(String.valueOf(isolation).trim())) {
                errors.add(e.getKey() + " must not set '" + ConsumerConfig.ISOLATION_LEVEL_CONFIG + "' to '"
                        + isolation + "' under processingGuarantee EXACTLY_ONCE: input from aborted transactions "
                        + "would be processed; remove it (Kasper reads read_committed)");
            }
        }
        for (Map.Entry<String, Map<String, Object>> e : Map.of("kafkaProperties", kafkaProps, "producerProperties",
                producerProps).entrySet()) {
            Object idempotence = e.getValue().get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG);
            if (idempotence != null && !"true".equalsIgnoreCase(String.valueOf(idempotence).trim())) {
                errors.add(e.getKey() + " must not set '" + ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG + "' to '"
                        + idempotence + "' under processingGuarantee EXACTLY_ONCE: transactions need the "
                        + "idempotent producer; remove it");
            }
        }
        Object timeout = producerProps.getOrDefault(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                kafkaProps.get(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG));
        long timeoutMs;
        try {
            timeoutMs = timeout == null ? TopicProcessorConfig.DEFAULT_TRANSACTION_TIMEOUT_MS
                    : Long.parseLong(String.valueOf(timeout).trim());
        } catch (NumberFormatException ex) {
            return; // the Kafka client itself rejects a malformed value with its own message
        }
        if (policy == null || interval == null || interval.isNegative() || interval.isZero()) {
            return; // reported by their own checks
        }
        long needed = interval.toMillis() + policy.totalBackoff().toMillis();
        if (timeoutMs <= needed) {
            errors.add(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG + " must exceed transactionCommitInterval plus the "
                    + "errorPolicy's total retry backoff under processingGuarantee EXACTLY_ONCE, or the broker aborts "
                    + "transactions that are still open: it was " + timeoutMs + " ms" + (timeout == null
                    ? " (Kasper's default under exactly-once)" : "") + ", transactionCommitInterval " + interval + " and the total "
                    + "backoff of maxRetries " + policy.maxRetries() + " " + policy.totalBackoff() + ", " + needed
                    + " ms in all (raise producerProperty " + ProducerConfig.TRANSACTION_TIMEOUT_CONFIG
                    + " well above it, allowing for the longest MessageProcessor.process call, or lower the interval "
                    + "or the retries)");
        }
    }

    /** Returns the consumer's {@code max.poll.interval.ms}: the consumer property, else the shared one, else 300 s. */
    static long maxPollIntervalMillis(Map<String, Object> kafkaProps, Map<String, Object> consumerProps) {
        Object value = consumerProps.getOrDefault(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG,
                kafkaProps.get(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG));
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
