package io.kasper.internal;

import io.kasper.InvalidConfigException;
import io.kasper.KasperException;
import io.kasper.TopicProcessorConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Checks a configuration against the cluster before anything is consumed: every input topic exists, all have the same
 * partition count, every configured partition is in range, the dead-letter topic, if any, exists, a static
 * processor's consumer group has no active members, and the brokers serve the group protocol a group-managed one
 * asks for. Thread-safe (stateless).
 */
final class TopicValidator {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private TopicValidator() {
    }

    /**
     * Returns the common partition count of the input topics.
     *
     * @throws InvalidConfigException naming the missing topic, the differing counts or the partition out of range, or
     *     the group protocol the brokers lack
     * @throws KasperException when the cluster cannot be reached, the admin client cannot be created, or
     *     authentication or authorization fails (the message says which and names the bootstrap servers,
     *     {@code security.protocol} and {@code sasl.mechanism}, never a secret)
     */
    static int validate(TopicProcessorConfig config, KafkaClientProperties clients, ProcessorLogContext context) {
        Map<String, Integer> counts = new TreeMap<>();
        List<String> missing = new ArrayList<>();
        Optional<String> deadLetterTopic = config.errorPolicy().deadLetterTopic();
        List<String> topics = new ArrayList<>(config.inputTopics());
        deadLetterTopic.ifPresent(topics::add);
        Map<String, Object> adminProperties = clients.admin();
        try (Admin admin = createAdmin(context, adminProperties)) {
            Map<String, KafkaFuture<TopicDescription>> futures = admin.describeTopics(topics).topicNameValues();
            for (String topic : topics) {
                try {
                    counts.put(topic, futures.get(topic).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                            .partitions().size());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                        missing.add(topic);
                    } else {
                        String action = "describing input topic '" + topic + "'";
                        throw SecurityFailures.translate(context, action, adminProperties,
                                e.getCause()).orElseGet(() -> new KasperException("cannot describe input topic '"
                                + topic + "' on " + config.bootstrapServers() + ": "
                                + SecurityFailures.scrub(String.valueOf(e.getCause()), adminProperties),
                                e.getCause()));
                    }
                } catch (TimeoutException e) {
                    throw new KasperException("cannot reach Kafka at '" + config.bootstrapServers() + "' within "
                            + TIMEOUT.toSeconds() + " s to describe input topic '" + topic + "'", e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new KasperException("interrupted while describing input topics " + config.inputTopics(), e);
                }
            }
            if (missing.isEmpty() && !config.isGroupManaged()) {
                requireFreeGroup(admin, config, context, adminProperties);
            }
            if (missing.isEmpty()) {
                requireGroupProtocol(admin, config, context);
            }
        }
        if (deadLetterTopic.isPresent() && missing.remove(deadLetterTopic.get())) {
            throw new InvalidConfigException("errorPolicy.deadLetterTopic must exist, but '" + deadLetterTopic.get()
                    + "' does not exist on " + config.bootstrapServers()
                    + (missing.isEmpty() ? "" : "; inputTopics must exist, but " + quoted(missing) + " do not"));
        }
        deadLetterTopic.ifPresent(counts::remove);
        if (!missing.isEmpty()) {
            throw new InvalidConfigException("inputTopics must exist, but " + quoted(missing)
                    + (missing.size() == 1 ? " does" : " do") + " not exist on " + config.bootstrapServers());
        }
        if (counts.values().stream().distinct().count() > 1) {
            throw new InvalidConfigException("inputTopics must have the same partition count, but "
                    + describe(counts));
        }
        int partitionCount = counts.values().iterator().next();
        for (int p : config.inputPartitions()) {
            if (p >= partitionCount) {
                String topic = counts.keySet().iterator().next();
                throw new InvalidConfigException("inputPartitions contains " + p + " but topic '" + topic + "' has "
                        + partitionCount + " partitions (0-" + (partitionCount - 1) + ")");
            }
        }
        return partitionCount;
    }

    /** Checks that the cluster serves the group protocol of the processor; see {@link GroupProtocolSupport}. */
    private static void requireGroupProtocol(Admin admin, TopicProcessorConfig config,
            ProcessorLogContext context) {
        try {
            GroupProtocolSupport.require(admin, config, context, TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KasperException("interrupted while checking the group protocol of the cluster at '"
                    + config.bootstrapServers() + "'", e);
        }
    }

    /** Checks that a static processor's consumer group has no active members; see {@link GroupMembers}. */
    private static void requireFreeGroup(Admin admin, TopicProcessorConfig config, ProcessorLogContext context,
            Map<String, Object> adminProperties) {
        String group = config.consumerGroupId();
        try {
            GroupMembers.requireNone(admin, config, context, TIMEOUT);
        } catch (ExecutionException e) {
            throw SecurityFailures.translate(context, "describing consumer group '" + group + "'",
                    adminProperties, e.getCause()).orElseGet(() -> new KasperException("cannot describe consumer "
                    + "group '" + group + "' on " + config.bootstrapServers() + ": "
                    + SecurityFailures.scrub(String.valueOf(e.getCause()), adminProperties), e.getCause()));
        } catch (TimeoutException e) {
            throw new KasperException("cannot reach Kafka at '" + config.bootstrapServers() + "' within "
                    + TIMEOUT.toSeconds() + " s to describe consumer group '" + group + "'", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KasperException("interrupted while describing consumer group '" + group + "'", e);
        }
    }

    /** Creates the admin client; a configuration it rejects (e.g. a malformed JAAS entry) fails with a clear error. */
    private static Admin createAdmin(ProcessorLogContext context, Map<String, Object> adminProperties) {
        try {
            return Admin.create(adminProperties);
        } catch (KafkaException e) {
            throw new KasperException(context.message("cannot create a Kafka "
                    + "admin client for " + SecurityFailures.describeConnection(adminProperties) + ": "
                    + SecurityFailures.scrub(rootMessage(e), adminProperties)), e);
        }
    }

    /** Returns the message of the innermost cause, which says what is wrong ("Failed to create ..." does not). */
    private static String rootMessage(Throwable e) {
        List<Throwable> chain = KasperException.causeChain(e);
        Throwable root = chain.get(chain.size() - 1);
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private static String quoted(List<String> topics) {
        List<String> q = new ArrayList<>();
        topics.forEach(t -> q.add("'" + t + "'"));
        return String.join(", ", q);
    }

    private static String describe(Map<String, Integer> counts) {
        List<String> parts = new ArrayList<>();
        counts.forEach((topic, n) -> parts.add("'" + topic + "' has " + n));
        return String.join(", ", parts);
    }
}
