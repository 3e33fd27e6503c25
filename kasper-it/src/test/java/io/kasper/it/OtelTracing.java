package io.kasper.it;

import io.kasper.tracing.KasperTracingObservationHandler;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelBaggageManager;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;

/**
 * An OpenTelemetry SDK that exports to memory, bridged to Micrometer Tracing, and an observation registry whose
 * Kasper observations become spans through {@link KasperTracingObservationHandler}: the setup an application makes.
 */
final class OtelTracing implements AutoCloseable {

    final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final SdkTracerProvider provider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    /** The SDK's own tracer: the "upstream" services whose records Kasper reads. */
    final Tracer upstream = provider.get("upstream");
    final ObservationRegistry registry = ObservationRegistry.create();

    OtelTracing() {
        OtelCurrentTraceContext current = new OtelCurrentTraceContext();
        OtelTracer tracer = new OtelTracer(provider.get("kasper"), current, event -> { },
                new OtelBaggageManager(current, List.of(), List.of()));
        registry.observationConfig().observationHandler(
                new ObservationHandler.FirstMatchingCompositeObservationHandler(
                        new KasperTracingObservationHandler(tracer), new DefaultTracingObservationHandler(tracer)));
    }

    @Override
    public void close() {
        provider.close();
    }
}
