package io.kasper.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Collects the measurements of a run and renders them as a table and as JSON. */
public final class Report {

    /** Name of the produce-only ceiling. */
    public static final String CEILING = "ceiling-produce";

    /** A group of comparable pipelines: its hand-rolled baseline and its Kafka Streams counterpart. */
    private record Group(String handRolled, String streams, List<String> members) {
    }

    private static final List<Group> GROUPS = List.of(
            new Group("pass-hand-rolled", "pass-streams", List.of("pass-hand-rolled", "pass-kasper", "pass-streams")),
            new Group("agg-hand-rolled-redis", "agg-streams",
                    List.of("agg-hand-rolled-redis", "agg-kasper-redis", "agg-streams")));

    private final Options options;
    private final Map<String, List<Double>> rates = new LinkedHashMap<>();
    private final Map<String, Long> duplicates = new LinkedHashMap<>();
    private final Map<String, List<LatencyRun.Result>> latencies = new LinkedHashMap<>();
    private long peakHeapBytes = -1;
    private long peakRssBytes = -1;
    private String memoryHow = "not measured";
    private Boolean aggregatesMatch;
    private String aggregatesDetail = "";

    /** Creates an empty report for the given flags. */
    public Report(Options options) {
        this.options = options;
    }

    /** Records one run's rate (msg/s) and the duplicates it left in its output (0 when exact). */
    public void rate(String pipeline, double msgPerSec, long dups) {
        rates.computeIfAbsent(pipeline, k -> new ArrayList<>()).add(msgPerSec);
        duplicates.merge(pipeline, dups, Math::max);
    }

    /** Records one latency run. */
    public void latency(String pipeline, LatencyRun.Result result) {
        latencies.computeIfAbsent(pipeline, k -> new ArrayList<>()).add(result);
    }

    /** Records the memory of the Kasper pass-through. */
    public void memory(long heapBytes, long rssBytes, String how) {
        this.peakHeapBytes = heapBytes;
        this.peakRssBytes = rssBytes;
        this.memoryHow = how;
    }

    /** Records whether the stateful pipelines ended with identical aggregates. */
    public void aggregates(boolean match, String detail) {
        this.aggregatesMatch = match;
        this.aggregatesDetail = detail;
    }

    /** Returns the median rate of a pipeline, NaN when it was not measured. */
    public double median(String pipeline) {
        return Stats.median(rates.getOrDefault(pipeline, List.of()));
    }

    private double medianLatency(String pipeline, java.util.function.ToDoubleFunction<LatencyRun.Result> f) {
        List<Double> values = new ArrayList<>();
        for (LatencyRun.Result r : latencies.getOrDefault(pipeline, List.of())) {
            values.add(f.applyAsDouble(r));
        }
        return Stats.median(values);
    }

    /** Returns the table. */
    public String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Kasper benchmark: N=%,d x %d B, %d partitions, median of %d run(s), "
                        + "Kasper maxUncommittedBatches %d%n", options.records(), options.valueSize(),
                options.partitions(), options.repeat(), options.maxUncommittedBatches()));
        sb.append(String.format(Locale.ROOT, "%-24s %12s %10s %10s %10s %6s%n", "pipeline", "msg/s", "x hand",
                "x streams", "x ceiling", "dups"));
        double ceiling = median(CEILING);
        sb.append(String.format(Locale.ROOT, "%-24s %,12.0f %10s %10s %10s %6s%n", CEILING, ceiling, "", "", "1.00",
                ""));
        for (Group g : GROUPS) {
            for (String p : g.members()) {
                double m = median(p);
                sb.append(String.format(Locale.ROOT, "%-24s %,12.0f %10.2f %10.2f %10.2f %6d%n", p, m,
                        m / median(g.handRolled()), m / median(g.streams()), m / ceiling,
                        duplicates.getOrDefault(p, 0L)));
            }
        }
        sb.append(String.format(Locale.ROOT, "%nlatency at %,d msg/s for %d s after a %d s warm-up at that rate (ms)%n",
                options.latencyRate(), options.latencySeconds(), LatencyRun.WARM_UP_SECONDS));
        sb.append(String.format(Locale.ROOT, "%-24s %10s %10s %10s%n", "pipeline", "p50", "p99", "max"));
        for (String p : latencies.keySet()) {
            sb.append(String.format(Locale.ROOT, "%-24s %10.1f %10.1f %10.1f%n", p,
                    medianLatency(p, LatencyRun.Result::p50), medianLatency(p, LatencyRun.Result::p99),
                    medianLatency(p, LatencyRun.Result::max)));
        }
        sb.append(String.format(Locale.ROOT, "%nmemory of pass-kasper: peak heap %.1f MiB, peak RSS %.1f MiB (%s)%n",
                peakHeapBytes / 1048576.0, peakRssBytes / 1048576.0, memoryHow));
        sb.append("stateful aggregates identical: ").append(aggregatesMatch == null ? "not checked"
                : aggregatesMatch ? "yes" : "NO").append(' ').append(aggregatesDetail).append('\n');
        return sb.toString();
    }

    /** Returns the JSON document. */
    public String json() {
        StringBuilder sb = new StringBuilder("{\n");
        sb.append(String.format(Locale.ROOT, "  \"records\": %d,%n  \"valueSize\": %d,%n  \"partitions\": %d,%n"
                + "  \"repeat\": %d,%n", options.records(), options.valueSize(), options.partitions(),
                options.repeat()));
        sb.append("  \"pipelines\": {\n");
        List<String> entries = new ArrayList<>();
        double ceiling = median(CEILING);
        entries.add(String.format(Locale.ROOT, "    \"%s\": {\"msgPerSec\": %s, \"runs\": %s, \"vsCeiling\": 1.0}",
                CEILING, num(ceiling), runs(CEILING)));
        for (Group g : GROUPS) {
            for (String p : g.members()) {
                double m = median(p);
                entries.add(String.format(Locale.ROOT, "    \"%s\": {\"msgPerSec\": %s, \"runs\": %s, "
                        + "\"vsHandRolled\": %s, \"vsStreams\": %s, \"vsCeiling\": %s, \"duplicates\": %d}", p,
                        num(m), runs(p), num(m / median(g.handRolled())), num(m / median(g.streams())),
                        num(m / ceiling), duplicates.getOrDefault(p, 0L)));
            }
        }
        sb.append(String.join(",\n", entries)).append("\n  },\n");
        sb.append(String.format(Locale.ROOT, "  \"latency\": {\"rate\": %d, \"seconds\": %d", options.latencyRate(),
                options.latencySeconds()));
        for (String p : latencies.keySet()) {
            sb.append(String.format(Locale.ROOT, ", \"%s\": {\"p50Ms\": %s, \"p99Ms\": %s, \"maxMs\": %s}", p,
                    num(medianLatency(p, LatencyRun.Result::p50)), num(medianLatency(p, LatencyRun.Result::p99)),
                    num(medianLatency(p, LatencyRun.Result::max))));
        }
        sb.append("},\n");
        sb.append(String.format(Locale.ROOT, "  \"memory\": {\"pass-kasper\": {\"peakHeapBytes\": %d, "
                + "\"peakRssBytes\": %d, \"how\": \"%s\"}},%n", peakHeapBytes, peakRssBytes, memoryHow));
        sb.append("  \"statefulAggregatesMatch\": ").append(aggregatesMatch).append("\n}\n");
        return sb.toString();
    }

    private String runs(String pipeline) {
        List<String> parts = new ArrayList<>();
        for (double r : rates.getOrDefault(pipeline, List.of())) {
            parts.add(num(r));
        }
        return "[" + String.join(", ", parts) + "]";
    }

    private static String num(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "null" : String.format(Locale.ROOT, "%.3f", v);
    }

    /** Writes the JSON document to a file. */
    public void writeJson(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, json());
    }
}
