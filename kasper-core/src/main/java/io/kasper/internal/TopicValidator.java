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
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Checks a configuration against the cluster before anything is consumed: every input topic exists, all have the same
 * partition count, every configured partition is in range, and the dead-letter topic, if any, exists. Thread-safe
 * (stateless).
 */
final class TopicValidator {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private TopicValidator() {
    }

    /**
     * Returns the common partition count of the input topics.
     *
     * @throws InvalidConfigException naming the missing topic, the differing counts or the partition out of range
     * @throws KasperException when the cluster cannot be reached
     */
    static int validate(TopicProcessorConfig config, KafkaClientProperties clients) {
        Map<String, Integer> counts = new TreeMap<>();
        List<String> missing = new ArrayList<>();
        Optional<String> deadLetterTopic = config.errorPolicy().deadLetterTopic();
        List<String> topics = new ArrayList<>(config.inputTopics());
        deadLetterTopic.ifPresent(topics::add);
        try (Admin admin = Admin.create(clients.admin())) {
            Map<String, KafkaFuture<TopicDescription>> futures = admin.describeTopics(topics).topicNameValues();
            for (String topic : topics) {
                try {
                    counts.put(topic, futures.get(topic).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                            .partitions().size());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                        missing.add(topic);
                    } else {
                        throw new KasperException("cannot describe input topic '" + topic + "' on "
                                + config.bootstrapServers() + ": " + e.getCause(), e.getCause());
                    }
                } catch (TimeoutException e) {
                    throw new KasperException("cannot reach Kafka at '" + config.bootstrapServers() + "' within "
                            + TIMEOUT.toSeconds() + " s to describe input topic '" + topic + "'", e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new KasperException("interrupted while describing input topics " + config.inputTopics(), e);
                }
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
