package io.kasper.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.kasper.KasperObservations;
import io.kasper.Traceparent;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.otel.bridge.OtelBaggageManager;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KasperTracingObservationHandlerTest {

    private static final String LINKED = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final SdkTracerProvider provider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    private final OtelCurrentTraceContext current = new OtelCurrentTraceContext();
    private final Tracer tracer = new OtelTracer(provider.get("test"), current, event -> { },
            new OtelBaggageManager(current, List.of(), List.of()));

    @AfterEach
    void close() {
        provider.close();
    }

    private static Observation observe(ObservationRegistry registry, KasperObservations.Context context) {
        return Observation.createNotStarted(KasperObservations.BATCH, () -> context, registry)
                .contextualName("kasper.batch p").lowCardinalityKeyValue(KasperObservations.PROCESSOR, "p");
    }

    @Test
    void makesARootSpanLinkedToTheContextsAndHandsItsOwnContextBack() {
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new KasperTracingObservationHandler(tracer));
        KasperObservations.Context context = new KasperObservations.Context(List.of(LINKED));

        io.micrometer.tracing.Span outer = tracer.nextSpan().name("outer").start();
        try (Tracer.SpanInScope scope = tracer.withSpan(outer)) { // a span in scope is no parent of the batch
            observe(registry, context).start().stop();
        }
        outer.end();

        SpanData batch = exporter.getFinishedSpanItems().stream().filter(s -> s.getName().equals("kasper.batch p"))
                .findFirst().orElseThrow();
        assertThat(batch.getParentSpanContext().isValid()).isFalse();
        assertThat(batch.getLinks()).singleElement().satisfies(link -> {
            assertThat(link.getSpanContext().getTraceId()).isEqualTo(Traceparent.traceId(LINKED));
            assertThat(link.getSpanContext().getSpanId()).isEqualTo(Traceparent.spanId(LINKED));
            assertThat(link.getSpanContext().isSampled()).isTrue();
        });
        assertThat(batch.getAttributes().asMap()).hasSize(1);
        assertThat(context.traceparent()).isEqualTo("00-" + batch.getTraceId() + "-" + batch.getSpanId() + "-01");
    }

    @Test
    void handlesOnlyKasperContexts() {
        KasperTracingObservationHandler handler = new KasperTracingObservationHandler(tracer);

        assertThat(handler.supportsContext(new KasperObservations.Context(List.of()))).isTrue();
        assertThat(handler.supportsContext(new Observation.Context())).isFalse();
    }

    @Test
    void aNoopTracerHandsNoContextBack() {
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new KasperTracingObservationHandler(Tracer.NOOP));
        KasperObservations.Context context = new KasperObservations.Context(List.of(LINKED));

        observe(registry, context).start().stop();

        assertThat(context.traceparent()).isNull();
    }
}
