package io.kasper.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.kasper.ErrorPolicy;
import io.kasper.KasperObservations;
import io.kasper.MessageProcessor;
import io.kasper.Traceparent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** The shapes of the batch observations: one per attempt, keys, links and their cap, the context in the output. */
class BatchObservationsTest {

    private static final String BATCH_SPAN = "00-11111111111111111111111111111111-2222222222222222-01";

    private final TestObservationRegistry registry = TestObservationRegistry.create();
    /** The contexts of the observations, as a tracing handler sees them; it hands back a span context. */
    private final List<KasperObservations.Context> started = new ArrayList<>();
    private final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());

    BatchObservationsTest() {
        registry.observationConfig().observationHandler(new ObservationHandler<KasperObservations.Context>() {
            @Override
            public void onStart(KasperObservations.Context context) {
                started.add(context);
                context.traceparent(BATCH_SPAN);
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return context instanceof KasperObservations.Context;
            }
        });
    }

    private BatchRunner runner(ObservationRegistry observations, MessageProcessor processor) {
        return new BatchRunner(new ProcessorLogContext("traced"), "traced-1", Map.of(0, processor), producer,
                new SimpleMeterRegistry(), ErrorPolicy.builder().maxRetries(3)
                .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(1)).build(), wait -> true,
                new TestBudget(10_000), MemoryBudget.unlimited(),
                new BatchObservations(observations, "traced", "AT_LEAST_ONCE"));
    }

    private static ConsumerRecord<byte[], byte[]> record(long offset, String traceparent) {
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("in", 0, offset, null, new byte[] {1});
        if (traceparent != null) {
            record.headers().add(Traceparent.HEADER, traceparent.getBytes(UTF_8));
        }
        return record;
    }

    private static String upstream(int i) {
        return String.format("00-%032x-%016x-01", i + 1, i + 1);
    }

    private static void copy(List<ConsumerRecord<byte[], byte[]>> records, io.kasper.Sender sender) {
        records.forEach(m -> sender.send(new ProducerRecord<>("out", 0, m.key(), m.value())));
    }

    @Test
    void eachAttemptIsAnObservationWithItsErrorAndTheLastOnesContextIsInTheOutput() {
        AtomicInteger calls = new AtomicInteger();
        BatchRunner runner = runner(registry, (messages, sender) -> {
            if (calls.incrementAndGet() == 1) {
                throw new TimeoutException("injected");
            }
            copy(messages, sender);
            ProducerRecord<byte[], byte[]> own = new ProducerRecord<>("out", 0, null, new byte[] {2});
            own.headers().add(Traceparent.HEADER, upstream(9).getBytes(UTF_8));
            sender.send(own);
        });

        runner.run(new Batch(0, List.of(record(0, upstream(0)), record(1, null), record(2, upstream(0)))));

        assertThat(registry).hasNumberOfObservationsWithNameEqualTo(KasperObservations.BATCH, 2);
        assertThat(started).hasSize(2);
        assertThat(started).allSatisfy(c -> {
            assertThat(c.getName()).isEqualTo(KasperObservations.BATCH);
            assertThat(c.links()).as("duplicates linked once").containsExactly(upstream(0));
            assertThat(c.getLowCardinalityKeyValue(KasperObservations.PROCESSOR).getValue()).isEqualTo("traced");
            assertThat(c.getLowCardinalityKeyValue(KasperObservations.PARTITION).getValue()).isEqualTo("0");
            assertThat(c.getHighCardinalityKeyValue(KasperObservations.SIZE).getValue()).isEqualTo("3");
        });
        assertThat(started).extracting(c -> c.getHighCardinalityKeyValue(KasperObservations.ATTEMPT).getValue(),
                c -> c.getLowCardinalityKeyValue(KasperObservations.OUTCOME).getValue())
                .containsExactly(tuple("1", KasperObservations.OUTCOME_RETRY),
                        tuple("2", KasperObservations.OUTCOME_SUCCESS));
        assertThat(started.get(0).getError()).isInstanceOf(TimeoutException.class).hasMessage("injected");
        assertThat(started.get(1).getError()).isNull();
        assertThat(producer.history()).extracting(r -> Traceparent.read(r.headers()))
                .containsExactly(BATCH_SPAN, BATCH_SPAN, BATCH_SPAN, upstream(9));
    }

    @Test
    void linksStopAtTheCapAndTheRestAreCounted() {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < KasperObservations.MAX_LINKS + 72; i++) {
            records.add(record(i, upstream(i)));
        }
        runner(registry, (messages, sender) -> { }).run(new Batch(0, records));

        assertThat(started).hasSize(1);
        assertThat(started.get(0).links()).hasSize(KasperObservations.MAX_LINKS)
                .startsWith(upstream(0)).endsWith(upstream(KasperObservations.MAX_LINKS - 1));
        assertThat(started.get(0).getHighCardinalityKeyValue(KasperObservations.LINKS_DROPPED).getValue())
                .isEqualTo("72");
    }

    @Test
    void aCommitLinksOnlyTheReleasedBatchesOfThePartitionNumbersItCommits() {
        BatchObservations observations = new BatchObservations(registry, "traced", "AT_LEAST_ONCE");
        observations.released(0, upstream(0));
        observations.released(1, upstream(1));
        observations.released(0, upstream(2));
        observations.released(2, upstream(3));

        // a revocation of number 0 commits its topic-partitions alone
        observations.startCommit(Map.of(new TopicPartition("a", 0), new OffsetAndMetadata(5),
                new TopicPartition("b", 0), new OffsetAndMetadata(3))).stop();
        observations.forget(Set.of(2)); // number 2 was revoked without a commit of its own
        observations.startCommit(Map.of(new TopicPartition("a", 1), new OffsetAndMetadata(7),
                new TopicPartition("a", 2), new OffsetAndMetadata(9))).stop();
        observations.startCommit(Map.of(new TopicPartition("a", 0), new OffsetAndMetadata(6))).stop();

        assertThat(started).extracting(KasperObservations.Context::links).containsExactly(
                List.of(upstream(0), upstream(2)), List.of(upstream(1)), List.of());
    }

    @Test
    void aFailedCommitGivesBackTheLinksOfThePartitionNumbersItsRetryCarries() {
        BatchObservations observations = new BatchObservations(registry, "traced", "AT_LEAST_ONCE");
        observations.released(0, upstream(0));
        observations.released(1, upstream(1));

        Observation failed = observations.startCommit(Map.of(new TopicPartition("a", 0), new OffsetAndMetadata(5),
                new TopicPartition("a", 1), new OffsetAndMetadata(3)));
        BatchObservations.stopCommit(failed, new IllegalStateException("coordinator moved"));
        // number 1 was revoked meanwhile: its offset is not retried
        observations.putBack(failed, Map.of(new TopicPartition("a", 0), new OffsetAndMetadata(5)));
        BatchObservations.stopCommit(observations.startCommit(Map.of(new TopicPartition("a", 0),
                new OffsetAndMetadata(5), new TopicPartition("a", 1), new OffsetAndMetadata(3))), null);

        assertThat(started).hasSize(2);
        assertThat(started.get(0).links()).containsExactlyInAnyOrder(upstream(0), upstream(1));
        assertThat(started.get(1).links()).containsExactly(upstream(0));
    }

    @Test
    void forgottenPartitionNumbersFreeTheirPlaceUnderTheLinkCap() {
        BatchObservations observations = new BatchObservations(registry, "traced", "AT_LEAST_ONCE");
        for (int i = 0; i < KasperObservations.MAX_LINKS; i++) {
            observations.released(0, upstream(i));
        }
        observations.released(1, upstream(KasperObservations.MAX_LINKS)); // over the cap: not kept
        observations.forget(Set.of(0));
        observations.released(1, upstream(KasperObservations.MAX_LINKS + 1));

        observations.startCommit(Map.of(new TopicPartition("a", 1), new OffsetAndMetadata(1))).stop();

        assertThat(started).singleElement().extracting(KasperObservations.Context::links)
                .isEqualTo(List.of(upstream(KasperObservations.MAX_LINKS + 1)));
    }

    @Test
    void withTheNoopRegistryNothingIsObservedAndOutputGetsNoHeader() {
        BatchObservations off = new BatchObservations(ObservationRegistry.NOOP, "traced", "AT_LEAST_ONCE");
        Batch batch = new Batch(0, List.of(record(0, upstream(0))));

        assertThat(off.isOff()).isTrue();
        assertThat(off.startAttempt(batch, batch.records(), 1)).isNull();
        assertThat(off.startCommit(Map.of())).isNull();
        runner(ObservationRegistry.NOOP, BatchObservationsTest::copy).run(batch);
        assertThat(producer.history()).singleElement()
                .satisfies(r -> assertThat(r.headers().lastHeader(Traceparent.HEADER)).isNull());
    }
}
