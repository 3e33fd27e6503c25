package io.kasper.bench;

import io.kasper.TopicProcessor;
import io.kasper.tracing.KasperTracingObservationHandler;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelBaggageManager;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Kasper pass-through with tracing on: a real OpenTelemetry SDK tracer (batch span processor) behind Micrometer
 * Tracing's bridge and {@link KasperTracingObservationHandler}, exporting to an exporter that counts and drops the
 * spans, so that the figure is the cost of making the spans and of the {@code traceparent} header on every output
 * record, without a collector's network cost.
 */
public final class KasperTracedPipe {

    private KasperTracedPipe() {
    }

    /** Starts the traced pass-through for a processor name; the SDK shuts down with the pipeline. */
    public static RunningPipeline start(Env env, String name, String input, String output) {
        CountingExporter exporter = new CountingExporter();
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .addSpanProcessor(BatchSpanProcessor.builder(exporter).build()).build();
        OtelCurrentTraceContext current = new OtelCurrentTraceContext();
        OtelTracer tracer = new OtelTracer(provider.get("kasper-bench"), current, event -> { },
                new OtelBaggageManager(current, List.of(), List.of()));
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
                new KasperTracingObservationHandler(tracer), new DefaultTracingObservationHandler(tracer)));
        TopicProcessor processor = new TopicProcessor(KasperPipe.config(env.bootstrap(), name, input,
                env.options().partitions(), env.options().maxUncommittedBatches()).toBuilder()
                .observationRegistry(registry).build(), p -> KasperPipe.copyTo(output));
        return new RunningPipeline("kasper-" + name, stop -> processor.runLoop(), () -> {
            processor.close();
            provider.close();
            System.out.printf("  %s: %d spans exported%n", name, exporter.spans.get());
        });
    }

    /** Counts the spans it is given and drops them. */
    private static final class CountingExporter implements SpanExporter {
        private final AtomicLong spans = new AtomicLong();

        @Override
        public CompletableResultCode export(Collection<SpanData> batch) {
            spans.addAndGet(batch.size());
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }
}
