package io.kasper.it;

import static io.kasper.it.Fixtures.config;
import static io.kasper.it.Fixtures.range;
import static io.kasper.it.Fixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kasper.KasperMetrics;
import io.kasper.TopicProcessor;
import io.kasper.test.KafkaBroker;
import io.kasper.test.KafkaBrokerExtension;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import io.kasper.test.RunningTopicProcessor;

@ExtendWith(KafkaBrokerExtension.class)
class MetricsIT {

    @Test
    void countsEqualTheMessagesTheTestCountedAndMetersAreRemovedOnClose(KafkaBroker broker) throws Exception {
        String in = unique("metrics-in");
        String out = unique("metrics-out");
        broker.createTopic(in, 3);
        broker.createTopic(out, 2);
        broker.produce(Fixtures.spread(in, 3, 3_000, "v"));
        String name = unique("metrics");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AtomicLong processed = new AtomicLong();
        AtomicLong sent = new AtomicLong();

        TopicProcessor processor = new TopicProcessor(
                config(broker, name, List.of(in), range(3)).batchSize(250).meterRegistry(registry).build(),
                p -> (messages, sender) -> {
                    processed.addAndGet(messages.size());
                    for (ConsumerRecord<byte[], byte[]> m : messages) {
                        if (m.offset() % 2 == 0) {
                            sender.send(new ProducerRecord<>(out, (int) (m.offset() / 2 % 2), m.key(), m.value()));
                            sent.incrementAndGet();
                        }
                    }
                });
        try (RunningTopicProcessor run = RunningTopicProcessor.start(processor)) {
            await().atMost(Duration.ofSeconds(60)).until(processor::hasConsumedAllMessages);

            assertThat(processed).hasValue(3_000);
            for (int p = 0; p < 3; p++) {
                Counter incoming = registry.get(KasperMetrics.MESSAGES_INCOMING)
                        .tags(KasperMetrics.TAG_PROCESSOR, name, KasperMetrics.TAG_TOPIC, in,
                                KasperMetrics.TAG_PARTITION, Integer.toString(p)).counter();
                assertThat(incoming.count()).isEqualTo(1_000);
                Gauge behind = registry.get(KasperMetrics.MESSAGES_BEHIND)
                        .tags(KasperMetrics.TAG_TOPIC, in, KasperMetrics.TAG_PARTITION, Integer.toString(p)).gauge();
                assertThat(behind.value()).isZero();
                DistributionSummary sizes = registry.get(KasperMetrics.BATCH_SIZE)
                        .tags(KasperMetrics.TAG_PARTITION, Integer.toString(p)).summary();
                assertThat(sizes.totalAmount()).isEqualTo(1_000);
                assertThat(sizes.max()).isLessThanOrEqualTo(250);
                Timer processTime = registry.get(KasperMetrics.BATCH_PROCESS_TIME)
                        .tags(KasperMetrics.TAG_PARTITION, Integer.toString(p)).timer();
                assertThat(processTime.count()).isEqualTo(sizes.count());
                assertThat(registry.get(KasperMetrics.BATCH_PRODUCE_TIME)
                        .tags(KasperMetrics.TAG_PARTITION, Integer.toString(p)).timer().count())
                        .isEqualTo(sizes.count());
            }
            double outgoing = registry.get(KasperMetrics.MESSAGES_OUTGOING).tags(KasperMetrics.TAG_TOPIC, out)
                    .counters().stream().mapToDouble(Counter::count).sum();
            assertThat(outgoing).isEqualTo(sent.get()).isEqualTo(1_500);
            assertThat(registry.get(KasperMetrics.MESSAGES_OUTGOING).tags(KasperMetrics.TAG_TOPIC, out).counters())
                    .hasSize(2);
            assertThat(registry.get(KasperMetrics.COMMIT_TIME).timer().count()).isPositive();
        }

        assertThat(registry.getMeters()).extracting(Meter::getId)
                .noneMatch(id -> id.getName().startsWith("kasper."));
    }

    @Test
    void withoutARegistryMetersGoToTheGlobalRegistryAndLeaveItOnClose(KafkaBroker broker) throws Exception {
        String in = unique("metrics-global-in");
        broker.createTopic(in, 2);
        broker.produce(Fixtures.spread(in, 2, 100, "v"));
        String name = unique("metrics-global");
        SimpleMeterRegistry added = new SimpleMeterRegistry();
        Metrics.addRegistry(added);
        try {
            TopicProcessor processor = new TopicProcessor(config(broker, name, List.of(in), range(2)).build(),
                    p -> (messages, sender) -> { });
            assertThat(processor.config().meterRegistry()).isSameAs(Metrics.globalRegistry);
            try (RunningTopicProcessor run = RunningTopicProcessor.start(processor)) {
                await().atMost(Duration.ofSeconds(60)).until(processor::hasConsumedAllMessages);

                assertThat(added.get(KasperMetrics.MESSAGES_INCOMING).tags(KasperMetrics.TAG_PROCESSOR, name)
                        .counters().stream().mapToDouble(Counter::count).sum()).isEqualTo(100);
            }

            assertThat(Metrics.globalRegistry.getMeters()).extracting(Meter::getId)
                    .noneMatch(id -> name.equals(id.getTag(KasperMetrics.TAG_PROCESSOR)));
            assertThat(added.getMeters()).extracting(Meter::getId)
                    .noneMatch(id -> name.equals(id.getTag(KasperMetrics.TAG_PROCESSOR)));
        } finally {
            Metrics.removeRegistry(added);
        }
    }
}
