package io.kasper.tracing;

import io.kasper.KasperObservations;
import io.kasper.Traceparent;
import io.micrometer.observation.Observation;
import io.micrometer.tracing.Link;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.TracingObservationHandler;

/**
 * Makes a span of each {@value KasperObservations#BATCH} and {@value KasperObservations#COMMIT} observation: a root
 * span (no parent), linked to the trace contexts the observation carries (the input records' {@code traceparent}
 * headers, or the batches a commit made durable), and tagged with the observation's key values. It hands the span's
 * own context back to the observation, which is how Kasper writes it into the headers of the batch's output.
 *
 * <p>Register it before Micrometer Tracing's {@code DefaultTracingObservationHandler}, in a
 * {@code FirstMatchingCompositeObservationHandler}, so that it handles Kasper's observations and the default handler
 * everything else:
 *
 * <pre>{@code
 * registry.observationConfig().observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
 *         new KasperTracingObservationHandler(tracer), new DefaultTracingObservationHandler(tracer)));
 * }</pre>
 *
 * <p>Thread-safety: thread-safe (stateless besides the tracer); each observation is handled on the thread that makes
 * it.
 */
public final class KasperTracingObservationHandler implements TracingObservationHandler<KasperObservations.Context> {

    private final Tracer tracer;

    /**
     * Creates the handler.
     *
     * @param tracer the Micrometer Tracing tracer, e.g. the OpenTelemetry bridge's {@code OtelTracer}
     */
    public KasperTracingObservationHandler(Tracer tracer) {
        this.tracer = tracer;
    }

    /**
     * Returns whether the context is one of Kasper's.
     *
     * @param context an observation's context
     * @return whether it is a {@link KasperObservations.Context}
     */
    @Override
    public boolean supportsContext(Observation.Context context) {
        return context instanceof KasperObservations.Context;
    }

    /**
     * Starts the observation's span: no parent, a link per trace context of the observation, and the span's context
     * handed back to the observation.
     *
     * @param context the observation's context
     */
    @Override
    public void onStart(KasperObservations.Context context) {
        Span.Builder builder = tracer.spanBuilder().setNoParent().name(getSpanName(context));
        for (String link : context.links()) {
            builder.addLink(new Link(tracer.traceContextBuilder().traceId(Traceparent.traceId(link))
                    .spanId(Traceparent.spanId(link)).sampled(Traceparent.sampled(link)).build()));
        }
        Span span = builder.start();
        getTracingContext(context).setSpan(span);
        TraceContext own = span.context();
        String traceparent = "00-" + own.traceId() + "-" + own.spanId()
                + (Boolean.TRUE.equals(own.sampled()) ? "-01" : "-00");
        if (Traceparent.isValid(traceparent)) { // a no-op tracer's span has no ids: nothing to propagate
            context.traceparent(traceparent);
        }
    }

    /**
     * Tags the span with the observation's key values and ends it.
     *
     * @param context the observation's context
     */
    @Override
    public void onStop(KasperObservations.Context context) {
        Span span = getRequiredSpan(context);
        tagSpan(context, span);
        span.name(getSpanName(context));
        endSpan(context, span);
    }

    /**
     * Returns the tracer the spans are made with.
     *
     * @return the tracer
     */
    @Override
    public Tracer getTracer() {
        return tracer;
    }
}
