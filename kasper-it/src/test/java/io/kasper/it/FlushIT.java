package io.kasper.it;

import static io.kasper.it.Fixtures.unique;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.kasper.BatchFailedException;
import io.kasper.ErrorPolicy;
import io.kasper.KasperException;
import io.kasper.KasperMetrics;
import io.kasper.MessageProcessor;
import io.kasper.TopicProcessor;
import io.kasper.TopicProcessorConfig;
import io.kasper.store.StoreException;
import io.kasper.test.KafkaBroker;
import io.kasper.test.KafkaBrokerExtension;
import io.kasper.test.RunningTopicProcessor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code Sender.flush()} against a real broker: a flush while the broker does not answer (frozen with SIGSTOP; a
 * broker of the test's own) fails the batch once the outage timeout is used up, without retries and without committing it, and a restart
 * delivers everything; output flushed by an attempt that then fails is produced again by the retry and counted each
 * time.
 */
@ExtendWith(KafkaBrokerExtension.class)
class FlushIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Duration OUTAGE_TIMEOUT = Duration.ofSeconds(5);

    private static void copy(List<ConsumerRecord<byte[], byte[]>> messages, io.kasper.Sender sender, String out) {
        for (ConsumerRecord<byte[], byte[]> m : messages) {
            sender.send(new ProducerRecord<>(out, m.partition(), m.key(), m.value()));
        }
    }

    private static Map<String, Long> countByValue(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> new String(r.value(), UTF_8))
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    private static Set<String> values(int count) {
        return Fixtures.spread("unused", 1, count, "v").stream().map(r -> new String(r.value(), UTF_8))
                .collect(Collectors.toSet());
    }

    @Test
    void aFlushDuringABrokerOutageFailsTheBatchWithinTheOutageTimeoutWithoutRetriesAndLosesNothing()
            throws Exception {
        // a broker of this test's own, since the test freezes it
        try (KafkaBroker broker = KafkaBroker.start()) {
            String in = unique("flush-outage-in");
            String out = unique("flush-outage-out");
            broker.createTopic(in, 1);
            broker.createTopic(out, 1);
            broker.produce(Fixtures.spread(in, 1, 300, "v"));
            String name = unique("flush-outage");
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            // producer timeouts left at Kasper's defaults: delivery.timeout.ms is the brokerOutageTimeout too
            TopicProcessorConfig config = TopicProcessorConfig.builder().topicProcessorName(name)
                    .bootstrapServers(broker.bootstrapServers()).inputTopics(in).inputPartitions(0).batchSize(100)
                    .batchWaitDuration(Duration.ofMillis(100)).closeTimeout(Duration.ofSeconds(20))
                    .meterRegistry(registry).errorPolicy(ErrorPolicy.builder().maxRetries(5)
                            .retryBackoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                            .brokerOutageTimeout(OUTAGE_TIMEOUT).build()).build();
            AtomicInteger calls = new AtomicInteger();
            AtomicLong pauseNanos = new AtomicLong();
            AtomicReference<KasperException> flushFailure = new AtomicReference<>();
            AtomicReference<RuntimeException> sendAfterFailure = new AtomicReference<>();
            MessageProcessor flushing = (messages, sender) -> {
                if (calls.incrementAndGet() == 2) {
                    pauseNanos.set(System.nanoTime());
                    broker.pause(); // the broker freezes while the second batch is processed, before its flush
                }
                copy(messages, sender, out);
                try {
                    sender.flush();
                } catch (KasperException e) {
                    flushFailure.set(e);
                    try {
                        sender.send(new ProducerRecord<>(out, 0, null, "after".getBytes(UTF_8)));
                    } catch (IllegalStateException refused) {
                        sendAfterFailure.set(refused);
                    }
                    throw e;
                }
            };

            Throwable failure;
            long failedAfterMillis;
            double retries;
            try (RunningTopicProcessor run = RunningTopicProcessor.start(new TopicProcessor(config,
                    p -> flushing))) {
                failure = run.awaitFailure(TIMEOUT);
                failedAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - pauseNanos.get());
                retries = registry.find(KasperMetrics.BATCH_RETRIES).counters().stream()
                        .mapToDouble(Counter::count).sum();
            }
            broker.resume();
            Map<TopicPartition, Long> committedAtFailure = broker.committedOffsets(config.consumerGroupId());
            System.out.println("FLUSH outage: failed " + failedAfterMillis + " ms after the broker froze "
                    + "(brokerOutageTimeout " + OUTAGE_TIMEOUT.toMillis() + " ms, maxRetries 5), process calls "
                    + calls.get() + ", batch retries " + (long) retries + ", committed " + committedAtFailure
                    + ", failure: " + failure.getMessage());

            assertThat(failure).isExactlyInstanceOf(BatchFailedException.class)
                    .hasMessageStartingWith("TopicProcessor '" + name + "': output flushed by MessageProcessor was "
                            + "not acknowledged within the brokerOutageTimeout on batch of partition 0 (100 messages, "
                            + "offsets {" + in + "-0=100..199}); nothing of it was committed")
                    .cause().isSameAs(flushFailure.get());
            assertThat(flushFailure.get()).isExactlyInstanceOf(KasperException.class)
                    .hasMessageStartingWith("TopicProcessor '" + name + "': output flushed by batch of partition 0 "
                            + "(100 messages, offsets {" + in + "-0=100..199}) was not acknowledged, and the Kafka "
                            + "cluster at '" + broker.bootstrapServers() + "' has acknowledged nothing for ")
                    .hasMessageEndingWith(" ms (errorPolicy brokerOutageTimeout PT5S); stopping. Input whose output "
                            + "is not acknowledged stays uncommitted and is processed again after a restart");
            assertThat(sendAfterFailure.get()).isExactlyInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("Sender.send of batch of partition 0 (100 messages, offsets {" + in
                            + "-0=100..199}) called after flush() failed: this call of process fails and nothing of "
                            + "the batch is committed");
            assertThat(calls).as("process calls: the flush that timed out is not retried").hasValue(2);
            assertThat(retries).isZero();
            assertThat(failedAfterMillis).as("failed within about brokerOutageTimeout, not (maxRetries+1) times it")
                    .isBetween(OUTAGE_TIMEOUT.toMillis() - 100, 2 * OUTAGE_TIMEOUT.toMillis());
            assertThat(committedAtFailure.getOrDefault(new TopicPartition(in, 0), 0L))
                    .as("the failed batch is not committed").isLessThanOrEqualTo(100L);

            MessageProcessor plainCopy = (messages, sender) -> copy(messages, sender, out);
            try (RunningTopicProcessor run = RunningTopicProcessor.start(new TopicProcessor(config,
                    p -> plainCopy))) {
                run.awaitConsumedAll(TIMEOUT);
            }
            Map<String, Long> counts = countByValue(broker.readAll(out));
            System.out.println("FLUSH outage: after the restart " + counts.size() + " distinct of 300 inputs in the "
                    + "output, " + counts.values().stream().mapToLong(Long::longValue).sum() + " records");
            assertThat(counts.keySet()).as("every input in the output after the restart").isEqualTo(values(300));
        }
    }

    @Test
    void outputFlushedByAnAttemptThatThenFailsTransientlyIsProducedAgainByTheRetryAndCountedEachTime(
            KafkaBroker broker) throws Exception {
        String in = unique("flush-retry-in");
        String out = unique("flush-retry-out");
        broker.createTopic(in, 2);
        broker.createTopic(out, 2);
        broker.produce(Fixtures.spread(in, 2, 400, "v"));
        String name = unique("flush-retry");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        TopicProcessorConfig config = Fixtures.config(broker, name, List.of(in), Fixtures.range(2)).batchSize(50)
                .meterRegistry(registry).build();
        AtomicInteger callsOfPartition1 = new AtomicInteger();
        AtomicReference<List<String>> flushedTwice = new AtomicReference<>();
        MessageProcessor failsOnceAfterFlushing = (messages, sender) -> {
            if (messages.get(0).partition() == 1 && callsOfPartition1.incrementAndGet() == 3) {
                List<ConsumerRecord<byte[], byte[]>> half = messages.subList(0, messages.size() / 2);
                flushedTwice.set(half.stream().map(Fixtures::value).toList());
                copy(half, sender, out);
                sender.flush();
                throw new StoreException("store 'totals' putAll of " + messages.size() + " keys timed out", null, true);
            }
            copy(messages, sender, out);
        };

        double outgoing;
        double retries;
        try (RunningTopicProcessor run = RunningTopicProcessor.start(
                new TopicProcessor(config, p -> failsOnceAfterFlushing))) {
            run.awaitConsumedAll(TIMEOUT);
            outgoing = registry.find(KasperMetrics.MESSAGES_OUTGOING).counters().stream()
                    .mapToDouble(Counter::count).sum();
            retries = registry.find(KasperMetrics.BATCH_RETRIES).counters().stream().mapToDouble(Counter::count).sum();
        }
        List<ConsumerRecord<byte[], byte[]>> output = broker.readAll(out);
        Map<String, Long> counts = countByValue(output);
        Set<String> duplicates = counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
        System.out.println("FLUSH retry: 400 inputs, " + output.size() + " output records, " + duplicates.size()
                + " produced twice (flushed by the failed attempt: " + flushedTwice.get().size()
                + "), kasper.messages.outgoing " + (long) outgoing + ", batch retries " + (long) retries);

        assertThat(counts.keySet()).as("every input at least once").isEqualTo(values(400));
        assertThat(duplicates).as("exactly the records the failed attempt flushed are produced twice")
                .isEqualTo(Set.copyOf(flushedTwice.get())).hasSize(25);
        assertThat(counts.values()).as("nothing more than twice").allMatch(c -> c <= 2);
        assertThat(output).hasSize(425);
        assertThat(outgoing).as("kasper.messages.outgoing equals the records in the output topic")
                .isEqualTo(output.size());
        assertThat(retries).isEqualTo(1);
    }
}
