package io.kasper.examples.demo;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A cluster given with {@code --bootstrap-servers}; topics are created with the cluster's default replication.
 *
 * <p>Thread-safety: thread-safe, as the Kafka admin client is.
 */
final class ExternalCluster implements DemoCluster {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private final String bootstrapServers;
    private final Admin admin;

    ExternalCluster(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        this.admin = Admin.create(props);
    }

    @Override
    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void createTopic(String name, int partitions) {
        try {
            admin.createTopics(List.of(new NewTopic(name, Optional.of(partitions), Optional.empty()))).all()
                    .get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + name, e.getCause());
            }
        } catch (Exception e) {
            throw failure("cannot create topic " + name, e);
        }
        awaitReady(name);
    }

    /** Waits until every partition has a leader that answers listOffsets: produce right after creation may fail. */
    private void awaitReady(String name) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Exception last = null;
        while (System.nanoTime() - deadline < 0) {
            try {
                TopicDescription description = admin.describeTopics(List.of(name)).allTopicNames().get().get(name);
                Map<TopicPartition, OffsetSpec> request = new HashMap<>();
                boolean allLed = true;
                for (TopicPartitionInfo p : description.partitions()) {
                    allLed &= p.leader() != null && !p.leader().isEmpty();
                    request.put(new TopicPartition(name, p.partition()), OffsetSpec.latest());
                }
                if (allLed) {
                    admin.listOffsets(request).all().get();
                    return;
                }
            } catch (ExecutionException e) {
                last = e;
            } catch (InterruptedException e) {
                throw failure("interrupted while waiting for topic " + name, e);
            }
            try {
                // metadata propagates asynchronously; there is no notification to wait on
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw failure("interrupted while waiting for topic " + name, e);
            }
        }
        throw new IllegalStateException("topic " + name + " is not ready after " + READY_TIMEOUT, last);
    }

    private static IllegalStateException failure(String message, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new IllegalStateException(message, e);
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
