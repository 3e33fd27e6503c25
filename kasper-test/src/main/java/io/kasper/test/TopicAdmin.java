package io.kasper.test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;

/** Topic and group administration for the harness. Thread-safe (the admin client is). */
final class TopicAdmin implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private final Supplier<String> bootstrapServers;
    private Admin admin;

    TopicAdmin(Supplier<String> bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    private synchronized Admin admin() {
        if (admin == null) {
            Properties props = new Properties();
            props.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers.get());
            props.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
            props.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
            admin = Admin.create(props);
        }
        return admin;
    }

    void createTopic(String name, int partitions) {
        try {
            admin().createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topic '" + name + "' with " + partitions + " partitions", e);
        }
        awaitReady(name, partitions);
    }

    /** Waits until every partition has a leader and answers listOffsets: records produced earlier can be lost. */
    private void awaitReady(String name, int partitions) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                TopicDescription description = admin().describeTopics(List.of(name)).allTopicNames()
                        .get(5, TimeUnit.SECONDS).get(name);
                boolean allLed = description.partitions().size() == partitions
                        && description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty());
                if (allLed) {
                    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
                    for (TopicPartitionInfo p : description.partitions()) {
                        request.put(new TopicPartition(name, p.partition()), OffsetSpec.latest());
                    }
                    admin().listOffsets(request).all().get(5, TimeUnit.SECONDS);
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for topic '" + name + "'", e);
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                last = e;
            }
            pause();
        }
        throw new IllegalStateException("topic '" + name + "' did not get a leader and offsets for all " + partitions
                + " partitions within " + READY_TIMEOUT.toSeconds() + " s", last);
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    Map<TopicPartition, Long> committedOffsets(String groupId) {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin().listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            Map<TopicPartition, Long> result = new HashMap<>();
            offsets.forEach((tp, om) -> {
                if (om != null) {
                    result.put(tp, om.offset());
                }
            });
            return result;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read committed offsets of group '" + groupId + "'", e);
        }
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
            admin = null;
        }
    }
}
