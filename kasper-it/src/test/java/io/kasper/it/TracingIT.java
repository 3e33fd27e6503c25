package io.kasper.it;

import static io.kasper.it.Fixtures.config;
import static io.kasper.it.Fixtures.unique;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.kasper.ErrorPolicy;
import io.kasper.KasperObservations;
import io.kasper.PoisonMessageException;
import io.kasper.PoisonPolicy;
import io.kasper.ProcessingGuarantee;
import io.kasper.TopicProcessor;
import io.kasper.Traceparent;
import io.kasper.test.KafkaBroker;
import io.kasper.test.KafkaBrokerExtension;
import io.kasper.test.RunningTopicProcessor;
import io.micrometer.observation.ObservationRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Kasper's observations through Micrometer Tracing's OpenTelemetry bridge into the OpenTelemetry SDK's in-memory
 * exporter, against the real broker: the batch span linked to its input records' traces, the batch context in the
 * output headers, a span per retry attempt, the commit span, and nothing when no registry is set.
 */
@ExtendWith(KafkaBrokerExtension.class)
class TracingIT {

    private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey(KasperObservations.OUTCOME);
    private static final AttributeKey<String> ATTEMPT = AttributeKey.stringKey(KasperObservations.ATTEMPT);

    @Test
    void batchSpanLinksToTheInputTracesAndItsContextIsInTheOutputHeaders(KafkaBroker broker) throws Exception {
        String in = topic(broker, "tracing-in");
        String out = topic(broker, "tracing-out");
        try (OtelTracing otel = new OtelTracing()) {
            List<SpanContext> upstream = new ArrayList<>();
            List<ProducerRecord<byte[], byte[]>> input = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                ProducerRecord<byte[], byte[]> record = Fixtures.record(in, 0, "k" + i, "v" + i);
                if (i % 2 == 0) { // half the records come from a traced service, half carry no context
                    Span span = otel.upstream.spanBuilder("upstream send " + i).startSpan();
                    span.end();
                    upstream.add(span.getSpanContext());
                    record.headers().add(Traceparent.HEADER, traceparent(span.getSpanContext()).getBytes(UTF_8));
                }
                input.add(record);
            }
            broker.produce(input);
            String name = unique("tracing");
            String own = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
            List<String> inProcess = new CopyOnWriteArrayList<>();
            TopicProcessor processor = new TopicProcessor(config(broker, name, List.of(in), List.of(0))
                    .batchSize(100).observationRegistry(otel.registry).build(),
                    p -> (messages, sender) -> {
                        inProcess.add(Span.current().getSpanContext().getSpanId());
                        for (ConsumerRecord<byte[], byte[]> m : messages) {
                            ProducerRecord<byte[], byte[]> copy = new ProducerRecord<>(out, 0, m.key(), m.value());
                            if ("v5".equals(Fixtures.value(m))) { // a context the processor sets is kept
                                copy.headers().add(Traceparent.HEADER, own.getBytes(UTF_8));
                            }
                            sender.send(copy);
                        }
                    });
            try (RunningTopicProcessor run = RunningTopicProcessor.start(processor)) {
                await().atMost(Duration.ofSeconds(60)).until(processor::hasConsumedAllMessages);
                await().atMost(Duration.ofSeconds(30)).until(() -> !spans(otel, KasperObservations.COMMIT).isEmpty());
            }

            List<SpanData> batches = spans(otel, KasperObservations.BATCH);
            assertThat(batches).hasSize(1);
            SpanData batch = batches.get(0);
            assertThat(batch.getName()).isEqualTo("kasper.batch " + name);
            assertThat(batch.getParentSpanContext().isValid()).isFalse(); // links, not a parent
            // during process the batch span is the current one: the processor's own client spans are its children
            assertThat(inProcess).containsExactly(batch.getSpanId());
            assertThat(batch.getLinks()).extracting(LinkData::getSpanContext)
                    .extracting(SpanContext::getTraceId, SpanContext::getSpanId)
                    .containsExactlyElementsOf(upstream.stream()
                            .map(c -> tuple(c.getTraceId(), c.getSpanId())).toList());
            assertThat(batch.getAttributes().get(AttributeKey.stringKey(KasperObservations.PROCESSOR)))
                    .isEqualTo(name);
            assertThat(batch.getAttributes().get(AttributeKey.stringKey(KasperObservations.PARTITION)))
                    .isEqualTo("0");
            assertThat(batch.getAttributes().get(ATTEMPT)).isEqualTo("1");
            assertThat(batch.getAttributes().get(AttributeKey.stringKey(KasperObservations.SIZE))).isEqualTo("6");
            assertThat(batch.getAttributes().get(OUTCOME)).isEqualTo(KasperObservations.OUTCOME_SUCCESS);
            assertThat(batch.getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);

            List<ConsumerRecord<byte[], byte[]>> output = broker.readAll(out);
            assertThat(output).hasSize(6);
            for (ConsumerRecord<byte[], byte[]> record : output) {
                String expected = "v5".equals(Fixtures.value(record)) ? own : traceparent(batch.getSpanContext());
                assertThat(Traceparent.read(record.headers())).as(Fixtures.value(record)).isEqualTo(expected);
            }

            // the commit span links to the batch and ends once the broker confirmed the offsets
            SpanData commit = spans(otel, KasperObservations.COMMIT).get(0);
            assertThat(commit.getLinks()).extracting(LinkData::getSpanContext)
                    .extracting(SpanContext::getSpanId).containsExactly(batch.getSpanContext().getSpanId());
            assertThat(commit.getAttributes().get(OUTCOME)).isEqualTo(KasperObservations.OUTCOME_SUCCESS);
            assertThat(commit.getAttributes().get(AttributeKey.stringKey(KasperObservations.COMMITTED)))
                    .isEqualTo(in + "-0=6");
            assertThat(commit.getEndEpochNanos()).isGreaterThanOrEqualTo(batch.getEndEpochNanos());
            TraceRendering.print(otel.exporter.getFinishedSpanItems());
        }
    }

    @Test
    void eachRetryAttemptIsASpanWithItsErrorAndDeadLettersCarryBothContexts(KafkaBroker broker) throws Exception {
        String in = topic(broker, "tracing-retry-in");
        String dlt = topic(broker, "tracing-retry-dlt");
        try (OtelTracing otel = new OtelTracing()) {
            String original = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
            ProducerRecord<byte[], byte[]> poison = Fixtures.record(in, 0, "k0", "poison");
            poison.headers().add(Traceparent.HEADER, original.getBytes(UTF_8));
            broker.produce(List.of(poison, Fixtures.record(in, 0, "k1", "good")));
            AtomicInteger calls = new AtomicInteger();
            TopicProcessor processor = new TopicProcessor(config(broker, unique("tracing-retry"), List.of(in),
                    List.of(0)).batchSize(100).observationRegistry(otel.registry)
                    .errorPolicy(ErrorPolicy.builder().poisonPolicy(PoisonPolicy.DEAD_LETTER).deadLetterTopic(dlt)
                            .maxRetries(2).retryBackoff(Duration.ofMillis(10), Duration.ofMillis(10)).build()).build(),
                    p -> (messages, sender) -> {
                        if (calls.incrementAndGet() == 1) {
                            throw new TimeoutException("store timed out (injected)");
                        }
                        for (ConsumerRecord<byte[], byte[]> m : messages) {
                            if ("poison".equals(Fixtures.value(m))) {
                                throw new PoisonMessageException(m, "cannot parse (injected)", null);
                            }
                        }
                    });
            try (RunningTopicProcessor run = RunningTopicProcessor.start(processor)) {
                await().atMost(Duration.ofSeconds(60)).until(processor::hasConsumedAllMessages);
            }

            List<SpanData> attempts = spans(otel, KasperObservations.BATCH);
            System.out.println("process calls: " + calls.get() + ", batch spans: " + attempts.size());
            assertThat(attempts).extracting(s -> s.getAttributes().get(ATTEMPT), s -> s.getAttributes().get(OUTCOME),
                    s -> s.getStatus().getStatusCode()).containsExactly(
                    tuple("1", KasperObservations.OUTCOME_RETRY, StatusCode.ERROR),
                    tuple("2", KasperObservations.OUTCOME_POISON, StatusCode.ERROR),
                    tuple("3", KasperObservations.OUTCOME_SUCCESS, StatusCode.OK));
            assertThat(attempts.get(0).getEvents()).anySatisfy(e -> assertThat(e.getName()).isEqualTo("exception"));
            assertThat(attempts.get(0).getEvents().toString()).contains(TimeoutException.class.getName())
                    .contains("store timed out (injected)");
            assertThat(attempts.get(1).getEvents().toString()).contains(PoisonMessageException.class.getName());
            assertThat(attempts.get(1).getLinks()).hasSize(1);
            assertThat(attempts.get(2).getLinks()).isEmpty(); // the poison record is no longer part of the attempt

            List<ConsumerRecord<byte[], byte[]>> dead = broker.readAll(dlt);
            assertThat(dead).hasSize(1);
            assertThat(Traceparent.read(dead.get(0).headers())).isEqualTo(original);
            Header batchContext = dead.get(0).headers().lastHeader(KasperObservations.BATCH_TRACEPARENT_HEADER);
            assertThat(new String(batchContext.value(), UTF_8))
                    .isEqualTo(traceparent(attempts.get(2).getSpanContext()));
        }
    }

    @Test
    void underExactlyOnceTheCommitSpanEndsWithTheTransactionsCommit(KafkaBroker broker) throws Exception {
        String in = topic(broker, "tracing-eos-in");
        String out = topic(broker, "tracing-eos-out");
        broker.produce(Fixtures.spread(in, 1, 3, "v"));
        try (OtelTracing otel = new OtelTracing()) {
            TopicProcessor processor = new TopicProcessor(config(broker, unique("tracing-eos"), List.of(in),
                    List.of(0)).processingGuarantee(ProcessingGuarantee.EXACTLY_ONCE)
                    .observationRegistry(otel.registry).build(),
                    p -> (messages, sender) -> messages.forEach(
                            m -> sender.send(new ProducerRecord<>(out, 0, m.key(), m.value()))));
            try (RunningTopicProcessor run = RunningTopicProcessor.start(processor)) {
                await().atMost(Duration.ofSeconds(60)).until(processor::hasConsumedAllMessages);
                await().atMost(Duration.ofSeconds(30)).until(() -> !spans(otel, KasperObservations.COMMIT).isEmpty());
            }

            SpanData batch = spans(otel, KasperObservations.BATCH).get(0);
            SpanData commit = spans(otel, KasperObservations.COMMIT).get(0);
            assertThat(commit.getAttributes().get(AttributeKey.stringKey(KasperObservations.GUARANTEE)))
                    .isEqualTo("EXACTLY_ONCE");
            assertThat(commit.getAttributes().get(AttributeKey.stringKey(KasperObservations.COMMITTED)))
                    .isEqualTo(in + "-0=3");
            assertThat(commit.getLinks()).extracting(l -> l.getSpanContext().getSpanId())
                    .containsExactly(batch.getSpanContext().getSpanId());
            // the transaction is committed (the commit span ended) and nothing was aborted: every record is visible
            List<ConsumerRecord<byte[], byte[]>> output = broker.readAll(out);
            assertThat(output).hasSize(3).allSatisfy(r -> assertThat(Traceparent.read(r.headers()))
                    .isEqualTo(traceparent(batch.getSpanContext())));
        }
    }

    @Test
    void withoutAnObservationRegistryOutputGetsNoContext(KafkaBroker broker) throws Exception {
        String in = topic(broker, "tracing-off-in");
        String out = topic(broker, "tracing-off-out");
        ProducerRecord<byte[], byte[]> traced = Fixtures.record(in, 0, "k0", "v0");
        traced.headers().add(Traceparent.HEADER,
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01".getBytes(UTF_8));
        broker.produce(List.of(traced, Fixtures.record(in, 0, "k1", "v1")));
        TopicProcessor processor = new TopicProcessor(config(broker, unique("tracing-off"), List.of(in),
                List.of(0)).build(),
                p -> (messages, sender) -> messages.forEach(
                        m -> sender.send(new ProducerRecord<>(out, 0, m.key(), m.value()))));
        assertThat(processor.config().observationRegistry()).isSameAs(ObservationRegistry.NOOP);
        try (RunningTopicProcessor run = RunningTopicProcessor.start(processor)) {
            await().atMost(Duration.ofSeconds(60)).until(processor::hasConsumedAllMessages);
        }

        List<ConsumerRecord<byte[], byte[]>> output = broker.readAll(out);
        assertThat(output).hasSize(2);
        assertThat(output).allSatisfy(r -> assertThat(r.headers().lastHeader(Traceparent.HEADER)).isNull());
    }

    /** Creates a topic of one partition under a unique name and returns the name. */
    private static String topic(KafkaBroker broker, String prefix) {
        String name = unique(prefix);
        broker.createTopic(name, 1);
        return name;
    }

    private static List<SpanData> spans(OtelTracing otel, String observation) {
        return otel.exporter.getFinishedSpanItems().stream()
                .filter(s -> s.getName().startsWith(observation + " ")).toList();
    }

    private static String traceparent(SpanContext context) {
        return "00-" + context.getTraceId() + "-" + context.getSpanId() + "-" + context.getTraceFlags().asHex();
    }
}
