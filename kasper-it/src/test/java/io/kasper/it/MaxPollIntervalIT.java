package io.kasper.it;

import static io.kasper.it.Fixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kasper.ErrorPolicy;
import io.kasper.GroupProtocol;
import io.kasper.MessageProcessor;
import io.kasper.PartitionListener;
import io.kasper.TopicProcessor;
import io.kasper.test.KafkaBroker;
import io.kasper.test.KafkaBrokerExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import io.kasper.test.RunningTopicProcessor;

/**
 * A process() call longer than max.poll.interval.ms gets the member kicked out of the group: Kasper treats its
 * partitions as lost (nothing of them is committed any more), rejoins, and processes the batch again; under either
 * group protocol.
 */
@ExtendWith(KafkaBrokerExtension.class)
class MaxPollIntervalIT {

    @ParameterizedTest
    @EnumSource(GroupProtocol.class)
    void processLongerThanMaxPollIntervalLosesThePartitionsRejoinsAndRedeliversTheBatch(GroupProtocol protocol,
            KafkaBroker broker) throws Exception {
        String in = unique("slow-in");
        String out = unique("slow-out");
        broker.createTopic(in, 2);
        broker.createTopic(out, 2);
        broker.produce(Fixtures.spread(in, 2, 200, "v"));
        String name = unique("slow");
        String group = "kasper-topic-processor-" + name;
        List<String> lost = new CopyOnWriteArrayList<>();
        PartitionListener listener = new PartitionListener() {
            @Override
            public void onPartitionsAssigned(Set<Integer> partitionNumbers) {
            }

            @Override
            public void onPartitionsRevoked(Set<Integer> partitionNumbers) {
            }

            @Override
            public void onPartitionsLost(Set<Integer> partitionNumbers) {
                lost.add(partitionNumbers.toString());
            }
        };
        AtomicBoolean first = new AtomicBoolean(true);
        AtomicReference<List<String>> slowBatch = new AtomicReference<>();
        PassThrough copy = new PassThrough(out, "only", span -> { });
        MessageProcessor slowOnce;
        try (Admin admin = Admin.create(broker.clientProperties())) {
            slowOnce = (messages, sender) -> {
                if (first.getAndSet(false)) {
                    slowBatch.set(messages.stream().map(Fixtures::value).toList());
                    // outlive max.poll.interval.ms: return only once the group has dropped this member
                    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                            admin.describeConsumerGroups(List.of(group)).all().get(10, TimeUnit.SECONDS).get(group)
                                    .members().isEmpty());
                }
                copy.process(messages, sender);
            };
            TopicProcessor processor = new TopicProcessor(
                    GroupMemberMain.groupConfig(broker.bootstrapServers(), name, List.of(in), 50, protocol)
                            .consumerProperty("max.poll.interval.ms", 7_000).partitionListener(listener)
                            // retries and flushes could wait longer than this short poll interval allows
                            .errorPolicy(ErrorPolicy.builder().maxRetries(0)
                                    .brokerOutageTimeout(Duration.ofSeconds(3)).build()).build(),
                    p -> slowOnce);
            try (RunningTopicProcessor run = RunningTopicProcessor.start(processor)) {
                Map<TopicPartition, Long> end = Map.of(new TopicPartition(in, 0), 100L, new TopicPartition(in, 1),
                        100L);
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                        .untilAsserted(() -> assertThat(broker.committedOffsets(group)).isEqualTo(end));
                assertThat(run.hasEnded()).as("the loop survives being kicked out").isFalse();
            }
        }

        assertThat(lost).as("partitions reported lost, not revoked").isNotEmpty();
        Map<String, Long> counts = broker.readAll(out).stream().map(ConsumerRecord::value)
                .map(v -> new String(v, java.nio.charset.StandardCharsets.UTF_8).split("\\|")[0])
                .collect(Collectors.groupingBy(v -> v, Collectors.counting()));
        assertThat(counts).hasSize(200);
        assertThat(slowBatch.get()).isNotEmpty()
                .as("the batch whose commit the group refused is processed again").allMatch(v -> counts.get(v) == 2);
    }
}
