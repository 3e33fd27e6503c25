package io.kasper.it;

import static io.kasper.it.Fixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kasper.InvalidConfigException;
import io.kasper.KasperException;
import io.kasper.MessageProcessor;
import io.kasper.ProcessorState;
import io.kasper.TopicProcessor;
import io.kasper.TopicProcessorConfig;
import io.kasper.test.KafkaBroker;
import io.kasper.test.KafkaBrokerExtension;
import io.kasper.test.RunningTopicProcessor;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A static processor (inputPartitions) commits from outside any consumer group, which the broker accepts only while
 * its group has no active members: it refuses to start beside one, and stops, losing nothing, when one joins.
 */
@ExtendWith(KafkaBrokerExtension.class)
class RejectedCommitIT {

    private static final String STRAY = "stray-consumer";

    /** A plain consumer subscribed with the processor's group id, polling on its own thread: an active member. */
    private static final class StrayMember implements AutoCloseable {
        private final AtomicBoolean stop = new AtomicBoolean();
        private final AtomicBoolean assigned = new AtomicBoolean();
        private final Thread thread;

        StrayMember(KafkaBroker broker, String groupId, String topic) {
            Properties props = broker.clientProperties();
            props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
            props.put(ConsumerConfig.CLIENT_ID_CONFIG, STRAY);
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
            props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
            thread = new Thread(() -> {
                try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
                    consumer.subscribe(List.of(topic));
                    while (!stop.get()) {
                        consumer.poll(Duration.ofMillis(100));
                        assigned.set(!consumer.assignment().isEmpty());
                    }
                } // close() leaves the group
            }, "stray-member");
            thread.start();
            await().atMost(Duration.ofSeconds(30)).untilTrue(assigned);
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            thread.join(30_000);
        }
    }

    private static MessageProcessor copyTo(String out) {
        return (messages, sender) -> messages.forEach(m -> sender.send(
                new ProducerRecord<>(out, m.partition(), m.key(), m.value())));
    }

    private static long committedTotal(KafkaBroker broker, String group) {
        return new HashMap<>(broker.committedOffsets(group)).values().stream().mapToLong(Long::longValue).sum();
    }

    @Test
    void aStaticProcessorRefusesToStartWhileAnotherConsumerIsAnActiveMemberOfItsGroup(KafkaBroker broker)
            throws Exception {
        String in = unique("rc-busy");
        broker.createTopic(in, 2);
        String name = unique("rc-busy");
        String group = "kasper-topic-processor-" + name;
        TopicProcessorConfig config = Fixtures.config(broker, name, List.of(in), List.of(0, 1)).build();

        try (StrayMember stray = new StrayMember(broker, group, in)) {
            assertThatThrownBy(() -> new TopicProcessor(config, p -> copyTo(in)))
                    .isInstanceOf(InvalidConfigException.class)
                    .hasMessageStartingWith("TopicProcessor '" + name + "': its consumer group '" + group
                            + "' has 1 active member(s): member '" + STRAY + "-")
                    .hasMessageContaining("' (client.id '" + STRAY + "', host /127.0.0.1); the broker rejects the "
                            + "commits of a static processor (inputPartitions) while its group has members. Stop them "
                            + "(a member that died leaves after its session.timeout.ms) or give this processor another "
                            + "topicProcessorName")
                    .satisfies(e -> System.out.println("construction refused: " + e.getMessage()));
        }
        // Once the member has left, the same processor starts (and the failed construction released its claims).
        new TopicProcessor(config, p -> copyTo(in)).close();
        assertThat(broker.committedOffsets(group)).isEmpty();
    }

    @Test
    void aStaticProcessorStopsLosingNothingWhenAnotherConsumerJoinsItsGroup(KafkaBroker broker) throws Exception {
        String in = unique("rc-join-in");
        String out = unique("rc-join-out");
        broker.createTopic(in, 2);
        broker.createTopic(out, 2);
        String name = unique("rc-join");
        String group = "kasper-topic-processor-" + name;
        TopicProcessorConfig config = Fixtures.config(broker, name, List.of(in), List.of(0, 1)).build();
        broker.produce(Fixtures.spread(in, 2, 1_000, "first-"));

        TopicProcessor first = new TopicProcessor(config, p -> copyTo(out));
        Throwable failure;
        long failedAfterMillis;
        try (RunningTopicProcessor running = RunningTopicProcessor.start(first)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> committedTotal(broker, group) == 1_000);
            try (StrayMember stray = new StrayMember(broker, group, in)) {
                long joined = System.nanoTime();
                broker.produce(Fixtures.spread(in, 2, 1_000, "second-"));
                failure = running.awaitFailure(Duration.ofSeconds(30));
                failedAfterMillis = (System.nanoTime() - joined) / 1_000_000;
                assertThat(first.state()).isEqualTo(ProcessorState.FAILED);
                assertThat(first.isReady()).isFalse();
            }
        }
        System.out.println("static processor stopped " + failedAfterMillis + " ms after the other member joined: "
                + failure.getMessage());
        assertThat(failure).isInstanceOf(KasperException.class)
                .hasMessageStartingWith("TopicProcessor '" + name + "': the broker rejected the commit of group '"
                        + group + "': the group coordinator does not know this consumer as a member of the group and "
                        + "takes commits only from its members (CommitFailedException); another consumer is an active "
                        + "member of this group (member '" + STRAY + "-")
                .hasMessageContaining("(client.id '" + STRAY + "', host /127.0.0.1)); a static processor "
                        + "(inputPartitions) must have its consumer group to itself: stop the other members or give "
                        + "this processor another topicProcessorName.");
        assertThat(first.failure()).containsSame((KasperException) failure);
        assertThat(failedAfterMillis).isLessThan(30_000);
        assertThat(committedTotal(broker, group)).as("nothing committed after the member joined").isEqualTo(1_000);

        // The member has left: a restarted processor resumes from the committed offsets and completes.
        TopicProcessor second = new TopicProcessor(config, p -> copyTo(out));
        try (RunningTopicProcessor running = RunningTopicProcessor.start(second)) {
            running.awaitConsumedAll(Duration.ofSeconds(60));
        }
        assertThat(committedTotal(broker, group)).isEqualTo(2_000);
        Map<String, Integer> copies = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : broker.readAll(out)) {
            copies.merge(Fixtures.value(r), 1, Integer::sum);
        }
        long duplicates = copies.values().stream().mapToLong(c -> c - 1).sum();
        System.out.println("REJECTED-COMMIT inputs 2000, outputs " + (copies.size() + duplicates) + ", distinct "
                + copies.size() + ", duplicates " + duplicates);
        for (int i = 0; i < 1_000; i++) {
            assertThat(copies).containsKeys("first-" + i, "second-" + i);
        }
        assertThat(copies).hasSize(2_000);
        assertThat(copies.entrySet()).filteredOn(e -> e.getKey().startsWith("first-"))
                .as("committed before the member joined: never processed again").allMatch(e -> e.getValue() == 1);
    }

    @Test
    void staticAndGroupManagedProcessorsOfOneNameCannotBothBeOpenInOneJvm(KafkaBroker broker) throws Exception {
        String in = unique("rc-mixed");
        broker.createTopic(in, 2);
        String name = unique("rc-mixed");
        String group = "kasper-topic-processor-" + name;
        TopicProcessorConfig fixed = Fixtures.config(broker, name, List.of(in), List.of(0, 1)).build();
        TopicProcessorConfig managed = GroupMemberMain.groupConfig(broker.bootstrapServers(), name, List.of(in), 100)
                .build();
        String conflict = "is already open in this JVM on the same cluster: both would use consumer group '" + group
                + "', whose members make the broker reject the static processor's commits. Give one of them another "
                + "topicProcessorName, or run all instances of this name in one mode";

        TopicProcessor member = new TopicProcessor(managed, p -> copyTo(in));
        try (RunningTopicProcessor running = RunningTopicProcessor.start(member)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> member.state() == ProcessorState.RUNNING);
            assertThatThrownBy(() -> new TopicProcessor(fixed, p -> copyTo(in)))
                    .isInstanceOf(InvalidConfigException.class)
                    .hasMessage("TopicProcessor '" + name + "' is static, but a group-managed TopicProcessor '" + name
                            + "' (groupManaged()) " + conflict);
        }
        try (TopicProcessor alone = new TopicProcessor(fixed, p -> copyTo(in))) {
            assertThatThrownBy(() -> new TopicProcessor(managed, p -> copyTo(in)))
                    .isInstanceOf(InvalidConfigException.class)
                    .hasMessage("TopicProcessor '" + name + "' is group-managed, but a static TopicProcessor '" + name
                            + "' (inputPartitions [0, 1]) " + conflict);
        }
        new TopicProcessor(managed, p -> copyTo(in)).close();
        assertThat(Set.copyOf(broker.committedOffsets(group).keySet()))
                .isSubsetOf(new TopicPartition(in, 0), new TopicPartition(in, 1));
    }
}
