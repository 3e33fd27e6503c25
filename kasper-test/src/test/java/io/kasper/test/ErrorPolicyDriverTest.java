package io.kasper.test;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kasper.BatchFailedException;
import io.kasper.DeserializingProcessor;
import io.kasper.ErrorPolicy;
import io.kasper.KasperMetrics;
import io.kasper.MessageProcessor;
import io.kasper.PoisonMessageException;
import io.kasper.PoisonPolicy;
import io.kasper.TopicProcessorConfig;
import io.kasper.store.StoreException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/** The error policies as the topic processor applies them (the driver runs the same batch runner). */
class ErrorPolicyDriverTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private TopicProcessorConfig config(ErrorPolicy policy) {
        return TopicProcessorConfig.builder().topicProcessorName("policy").bootstrapServers("unused:9092")
                .inputTopics("in").inputPartitions(0).batchSize(4).batchWaitDuration(Duration.ofSeconds(1))
                .meterRegistry(registry).errorPolicy(policy).build();
    }

    /** Copies each value to "out"; a value starting with "bad" is poison. */
    private static final MessageProcessor REJECTS_BAD = (messages, sender) -> {
        List<ConsumerRecord<byte[], byte[]>> bad = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> m : messages) {
            if (new String(m.value(), UTF_8).startsWith("bad")) {
                bad.add(m);
            }
            sender.send(new ProducerRecord<>("out", m.key(), m.value()));
        }
        if (!bad.isEmpty()) {
            throw new PoisonMessageException(bad, "value starts with 'bad'", new IllegalArgumentException("bad!"));
        }
    };

    private static List<String> values(List<ProducerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> new String(r.value(), UTF_8)).toList();
    }

    private static String header(ProducerRecord<byte[], byte[]> record, String key) {
        Header h = record.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), UTF_8);
    }

    private double poisonCount(String policy) {
        return registry.find(KasperMetrics.MESSAGES_POISON).tag(KasperMetrics.TAG_POLICY, policy).counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }

    private static void pipe(TopicProcessorTestDriver driver, String... values) {
        for (String v : values) {
            driver.pipeInput("in", 0, "k", v);
        }
    }

    @Test
    void skipProcessesTheRestOfTheBatchAndCommitsAllOfIt() {
        try (TopicProcessorTestDriver driver = new TopicProcessorTestDriver(
                config(ErrorPolicy.builder().poisonPolicy(PoisonPolicy.SKIP).build()), p -> REJECTS_BAD)) {
            pipe(driver, "a", "bad1", "b", "bad2");

            assertThat(values(driver.readOutput("out"))).containsExactly("a", "b");
            assertThat(driver.committedOffsets()).isEqualTo(Map.of(new TopicPartition("in", 0), 4L));
            assertThat(poisonCount("skip")).isEqualTo(2);
        }
    }

    @Test
    void deadLetterSendsThePoisonRecordWithItsOriginAndFailureInHeaders() {
        try (TopicProcessorTestDriver driver = new TopicProcessorTestDriver(
                config(ErrorPolicy.builder().deadLetterTopic("in-dlt").build()), p -> REJECTS_BAD)) {
            pipe(driver, "a", "b", "bad", "c");

            assertThat(values(driver.readOutput("out"))).containsExactly("a", "b", "c");
            List<ProducerRecord<byte[], byte[]>> dead = driver.readOutput("in-dlt");
            assertThat(values(dead)).containsExactly("bad");
            ProducerRecord<byte[], byte[]> d = dead.get(0);
            assertThat(new String(d.key(), UTF_8)).isEqualTo("k");
            assertThat(header(d, ErrorPolicy.HEADER_TOPIC)).isEqualTo("in");
            assertThat(header(d, ErrorPolicy.HEADER_PARTITION)).isEqualTo("0");
            assertThat(header(d, ErrorPolicy.HEADER_OFFSET)).isEqualTo("2");
            assertThat(header(d, ErrorPolicy.HEADER_TIMESTAMP)).matches("-?\\d+");
            assertThat(header(d, ErrorPolicy.HEADER_EXCEPTION_CLASS)).isEqualTo("java.lang.IllegalArgumentException");
            assertThat(header(d, ErrorPolicy.HEADER_EXCEPTION_MESSAGE)).isEqualTo("bad!");
            assertThat(header(d, ErrorPolicy.HEADER_PROCESSOR)).isEqualTo("policy");
            assertThat(driver.committedOffsets()).isEqualTo(Map.of(new TopicPartition("in", 0), 4L));
            assertThat(poisonCount("dead_letter")).isEqualTo(1);
        }
    }

    @Test
    void aBatchOfPoisonOnlyIsCompleteWithoutCallingTheProcessorAgain() {
        AtomicInteger calls = new AtomicInteger();
        try (TopicProcessorTestDriver driver = new TopicProcessorTestDriver(
                config(ErrorPolicy.builder().poisonPolicy(PoisonPolicy.SKIP).build()), p -> (messages, sender) -> {
                    calls.incrementAndGet();
                    REJECTS_BAD.process(messages, sender);
                })) {
            pipe(driver, "bad1", "bad2", "bad3", "bad4");

            assertThat(calls).hasValue(1);
            assertThat(driver.readOutput("out")).isEmpty();
            assertThat(driver.committedOffsets()).isEqualTo(Map.of(new TopicPartition("in", 0), 4L));
        }
    }

    @Test
    void failIsTheDefaultAndFailsTheBatchWithThePoisonException() {
        try (TopicProcessorTestDriver driver = new TopicProcessorTestDriver(config(ErrorPolicy.defaults()),
                p -> REJECTS_BAD)) {
            driver.pipeInput("in", 0, "k", "a");
            driver.pipeInput("in", 0, "k", "bad");
            driver.pipeInput("in", 0, "k", "b");

            assertThatThrownBy(() -> driver.pipeInput("in", 0, "k", "c"))
                    .isInstanceOf(BatchFailedException.class)
                    .hasMessageContaining("MessageProcessor rejected a poison message (errorPolicy poisonPolicy FAIL)")
                    .hasCauseInstanceOf(PoisonMessageException.class)
                    .cause().hasMessage("poison message in-0@1: value starts with 'bad'");
            assertThat(driver.committedOffsets()).isEmpty();
            assertThat(poisonCount("fail")).isEqualTo(1);
        }
    }

    @Test
    void aPoisonExceptionNamingNoRecordOfTheBatchFailsIt() {
        ConsumerRecord<byte[], byte[]> stranger = new ConsumerRecord<>("elsewhere", 0, 99, null, new byte[0]);
        try (TopicProcessorTestDriver driver = new TopicProcessorTestDriver(
                config(ErrorPolicy.builder().poisonPolicy(PoisonPolicy.SKIP).build()), p -> (messages, sender) -> {
                    throw new PoisonMessageException(stranger, "wrong record", null);
                })) {
            assertThatThrownBy(() -> pipe(driver, "a", "b", "c", "d"))
                    .isInstanceOf(BatchFailedException.class)
                    .hasMessageContaining("PoisonMessageException names [elsewhere-0@99], none of which is among "
                            + "the batch's 4 unprocessed records");
            assertThat(driver.committedOffsets()).isEmpty();
        }
    }

    @Test
    void deserializingProcessorTurnsUndecodableRecordsIntoPoison() {
        Deserializer<Integer> integers = (topic, data) -> Integer.valueOf(new String(data, UTF_8));
        List<Integer> seen = new ArrayList<>();
        try (TopicProcessorTestDriver driver = new TopicProcessorTestDriver(
                config(ErrorPolicy.builder().deadLetterTopic("in-dlt").build()),
                p -> new DeserializingProcessor<>(new StringDeserializer(), integers, (messages, sender) ->
                        messages.forEach(m -> seen.add(m.value()))))) {
            pipe(driver, "1", "two", "3", "4");

            assertThat(seen).containsExactly(1, 3, 4);
            List<ProducerRecord<byte[], byte[]>> dead = driver.readOutput("in-dlt");
            assertThat(values(dead)).containsExactly("two");
            assertThat(header(dead.get(0), ErrorPolicy.HEADER_EXCEPTION_CLASS))
                    .isEqualTo("java.lang.NumberFormatException");
            assertThat(header(dead.get(0), ErrorPolicy.HEADER_EXCEPTION_MESSAGE))
                    .isEqualTo("For input string: \"two\"");
        }
    }

    @Test
    void eachDeadLetteredRecordCarriesItsOwnDeserializationFailure() {
        Deserializer<Integer> integers = (topic, data) -> Integer.valueOf(new String(data, UTF_8));
        try (TopicProcessorTestDriver driver = new TopicProcessorTestDriver(
                config(ErrorPolicy.builder().deadLetterTopic("in-dlt").build()),
                p -> new DeserializingProcessor<>(new StringDeserializer(), integers, (messages, sender) -> { }))) {
            pipe(driver, "one", "2", "three", "4");

            List<ProducerRecord<byte[], byte[]>> dead = driver.readOutput("in-dlt");
            assertThat(values(dead)).containsExactly("one", "three");
            assertThat(dead).extracting(d -> header(d, ErrorPolicy.HEADER_EXCEPTION_MESSAGE))
                    .containsExactly("For input string: \"one\"", "For input string: \"three\"");
        }
    }

    @Test
    void aTransientFailureIsRetriedWithBackoffAndTheFailedAttemptsBufferedOutputIsDiscarded() {
        AtomicInteger calls = new AtomicInteger();
        try (TopicProcessorTestDriver driver = new TopicProcessorTestDriver(config(ErrorPolicy.defaults()),
                p -> (messages, sender) -> {
                    messages.forEach(m -> sender.send(new ProducerRecord<>("out", m.key(), m.value())));
                    if (calls.incrementAndGet() <= 2) {
                        throw new StoreException("store 'counts' (redis) putAll of 4 keys failed", null, true);
                    }
                })) {
            pipe(driver, "a", "b", "c", "d");

            assertThat(calls).hasValue(3);
            assertThat(values(driver.readOutput("out"))).containsExactly("a", "b", "c", "d");
            assertThat(driver.committedOffsets()).isEqualTo(Map.of(new TopicPartition("in", 0), 4L));
            assertThat(registry.get(KasperMetrics.BATCH_RETRIES).counter().count()).isEqualTo(2);
        }
    }

    @Test
    void outputAFailedAttemptAlreadyFlushedIsProducedAgainByTheRetry() {
        AtomicInteger calls = new AtomicInteger();
        try (TopicProcessorTestDriver driver = new TopicProcessorTestDriver(config(ErrorPolicy.defaults()),
                p -> (messages, sender) -> {
                    messages.subList(0, 2).forEach(m -> sender.send(new ProducerRecord<>("out", m.key(), m.value())));
                    sender.flush();
                    if (calls.incrementAndGet() == 1) {
                        throw new StoreException("store 'counts' (redis) putAll of 4 keys failed", null, true);
                    }
                    messages.subList(2, 4).forEach(m -> sender.send(new ProducerRecord<>("out", m.key(), m.value())));
                })) {
            pipe(driver, "a", "b", "c", "d");

            assertThat(calls).hasValue(2);
            assertThat(values(driver.readOutput("out"))).as("at-least-once: the flushed records twice")
                    .containsExactly("a", "b", "a", "b", "c", "d");
            assertThat(registry.get(KasperMetrics.MESSAGES_OUTGOING).counters().stream()
                    .mapToDouble(c -> c.count()).sum()).as("every produced record counted").isEqualTo(6);
            assertThat(driver.committedOffsets()).isEqualTo(Map.of(new TopicPartition("in", 0), 4L));
        }
    }

    @Test
    void aTransientFailureThatOutlastsTheRetriesFailsTheBatch() {
        AtomicInteger calls = new AtomicInteger();
        try (TopicProcessorTestDriver driver = new TopicProcessorTestDriver(
                config(ErrorPolicy.builder().maxRetries(2).build()), p -> (messages, sender) -> {
                    calls.incrementAndGet();
                    throw new StoreException("store 'counts' (redis) getAll of 4 keys failed", null, true);
                })) {
            assertThatThrownBy(() -> pipe(driver, "a", "b", "c", "d"))
                    .isInstanceOf(BatchFailedException.class)
                    .hasMessageContaining("MessageProcessor threw after 2 retries")
                    .hasCauseInstanceOf(StoreException.class);
            assertThat(calls).hasValue(3);
            assertThat(driver.committedOffsets()).isEmpty();
        }
    }

    @Test
    void aNonTransientFailureIsNotRetried() {
        AtomicInteger calls = new AtomicInteger();
        try (TopicProcessorTestDriver driver = new TopicProcessorTestDriver(config(ErrorPolicy.defaults()),
                p -> (messages, sender) -> {
                    calls.incrementAndGet();
                    throw new SerializationException("schema mismatch");
                })) {
            assertThatThrownBy(() -> pipe(driver, "a", "b", "c", "d"))
                    .isInstanceOf(BatchFailedException.class)
                    .hasMessageContaining("MessageProcessor threw on batch of partition 0");
            assertThat(calls).hasValue(1);
        }
    }
}
