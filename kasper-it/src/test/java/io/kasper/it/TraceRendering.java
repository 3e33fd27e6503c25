package io.kasper.it;

import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Prints exported spans as text, one trace after another, with their attributes and links: README's picture. */
final class TraceRendering {

    private TraceRendering() {
    }

    static void print(List<SpanData> spans) {
        Map<String, SpanData> bySpanId = spans.stream()
                .collect(Collectors.toMap(SpanData::getSpanId, Function.identity(), (a, b) -> a));
        long origin = spans.stream().mapToLong(SpanData::getStartEpochNanos).min().orElse(0);
        StringBuilder text = new StringBuilder();
        for (SpanData span : spans.stream().sorted(Comparator.comparingLong(SpanData::getStartEpochNanos)).toList()) {
            text.append(String.format("trace %s…  +%d ms  %s  (%d ms)%s%n", span.getTraceId().substring(0, 8),
                    TimeUnit.NANOSECONDS.toMillis(span.getStartEpochNanos() - origin), span.getName(),
                    TimeUnit.NANOSECONDS.toMillis(span.getEndEpochNanos() - span.getStartEpochNanos()),
                    span.getStatus().getStatusCode() == StatusCode.ERROR ? "  ERROR" : ""));
            span.getAttributes().forEach((key, value) -> text.append(String.format("    %s = %s%n", key, value)));
            for (LinkData link : span.getLinks()) {
                SpanData target = bySpanId.get(link.getSpanContext().getSpanId());
                text.append(String.format("    link -> trace %s… %s%n",
                        link.getSpanContext().getTraceId().substring(0, 8),
                        target == null ? link.getSpanContext().getSpanId() : target.getName()));
            }
        }
        System.out.print(text);
    }
}
