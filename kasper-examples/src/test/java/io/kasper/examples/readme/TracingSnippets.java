package io.kasper.examples.readme;

import io.kasper.TopicProcessorConfig;
import io.kasper.tracing.KasperTracingObservationHandler;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelBaggageManager;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.util.List;

/**
 * The README's tracing setup of "Tracing", compiled (the {@code // ...} stands for the settings of "Use it in your
 * code", so it only compiles). {@link ReadmeSnippetsTest} keeps the README equal to it.
 */
final class TracingSnippets {

    private TracingSnippets() {
    }

    static TopicProcessorConfig tracing(SdkTracerProvider tracerProvider) {
        // tag::tracing[]
        // tracerProvider: the application's OpenTelemetry SDK, with its exporter (OTLP, ...)
        OtelCurrentTraceContext current = new OtelCurrentTraceContext();
        Tracer tracer = new OtelTracer(tracerProvider.get("orders-enricher"), current, event -> { },
                new OtelBaggageManager(current, List.of(), List.of()));
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig().observationHandler(
                new ObservationHandler.FirstMatchingCompositeObservationHandler(
                        new KasperTracingObservationHandler(tracer),  // Kasper's spans: links, output headers
                        new DefaultTracingObservationHandler(tracer))); // every other observation
        TopicProcessorConfig config = TopicProcessorConfig.builder()
            // ...
            .observationRegistry(observations)                 // default ObservationRegistry.NOOP: no tracing
            .build();
        // end::tracing[]
        return config;
    }
}
