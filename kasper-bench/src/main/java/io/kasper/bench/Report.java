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
            new Group("pass-hand-rolled", "pass-streams", List.of("pass-hand-rolled", "pass-kasper", "pass-streams",
                    "pass-spring-batch")),
            new Group("agg-hand-rolled-redis", "agg-streams",
                    List.of("agg-hand-rolled-redis", "agg-kasper-redis", "agg-streams", "agg-spring-redis")));

    private final Options options;
    private final Map<String, List<Double>> rates = new LinkedHashMap<>();
    private final Map<String, Long> duplicates = new LinkedHashMap<>();
    private final Map<String, List<LatencyRun.Result>> latencies = new LinkedHashMap<>();
    private long peakHeapBytes = -1;
    private long peakRssBytes = -1;
    private String memoryHow = "not measured";
    private LargeMemory largeMemory;
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

    /**
     * The large-value memory run: the forked JVM's heap flag, the processor's byte budget and batch limit (defaults
     * derived from that heap), its peaks, the most bytes it held, how often the budget paused it, and the records.
     */
    public record LargeMemory(int heapMb, long budget, long batchMaxBytes, long peakAfterGc, long peakUsed,
            long vmHwm, long maxHeld, long pauses, double seconds, int records, long copied) {

        /** Parses the child's MEMORY line. */
        static LargeMemory parse(String line, int heapMb, int records, long copied) {
            return new LargeMemory(heapMb, field(line, "budgetBytes"), field(line, "batchMaxBytes"),
                    field(line, "peakAfterGcBytes"), field(line, "peakHeapBytes"), field(line, "vmHwmBytes"),
                    field(line, "maxHeldBytes"), field(line, "pauses"),
                    Double.parseDouble(line.replaceAll(".*seconds=([0-9.E-]+).*", "$1")), records, copied);
        }

        private static long field(String line, String name) {
            return Long.parseLong(line.replaceAll(".*\\b" + name + "=(-?\\d+).*", "$1"));
        }
    }

    /** Records the large-value memory run. */
    public void largeMemory(LargeMemory m) {
        this.largeMemory = m;
    }

    /** Returns the large-value memory run, or null when it did not run. */
    public LargeMemory largeMemory() {
        return largeMemory;
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
        if (largeMemory != null) {
            LargeMemory m = largeMemory;
            sb.append(String.format(Locale.ROOT, "large values: pass-kasper over %,d records of %,d bytes in a forked "
                    + "JVM -Xmx%dm: budget (maxBufferedBytes) %.1f MiB, batchMaxBytes %.1f MiB; peak heap after GC "
                    + "%.1f MiB (budget + %.1f MiB), peak used heap %.1f MiB, VmHWM %.1f MiB, max held %.1f MiB, "
                    + "%d budget pauses, %.1f s, %,d copied%n", m.records(), Options.LARGE_VALUE_BYTES, m.heapMb(),
                    mib(m.budget()), mib(m.batchMaxBytes()), mib(m.peakAfterGc()), mib(m.peakAfterGc() - m.budget()),
                    mib(m.peakUsed()), mib(m.vmHwm()), mib(m.maxHeld()), m.pauses(), m.seconds(), m.copied()));
        }
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
        if (largeMemory != null) {
            LargeMemory m = largeMemory;
            sb.append(String.format(Locale.ROOT, "  \"largeValues\": {\"records\": %d, \"valueSize\": %d, "
                    + "\"heapMb\": %d, \"budgetBytes\": %d, \"batchMaxBytes\": %d, \"peakHeapAfterGcBytes\": %d, "
                    + "\"peakUsedHeapBytes\": %d, \"vmHwmBytes\": %d, \"maxHeldBytes\": %d, \"budgetPauses\": %d, "
                    + "\"seconds\": %s, \"copied\": %d},%n", m.records(), Options.LARGE_VALUE_BYTES, m.heapMb(),
                    m.budget(), m.batchMaxBytes(), m.peakAfterGc(), m.peakUsed(), m.vmHwm(), m.maxHeld(), m.pauses(),
                    num(m.seconds()), m.copied()));
        }
        sb.append("  \"statefulAggregatesMatch\": ").append(aggregatesMatch).append("\n}\n");
        return sb.toString();
    }

    private static double mib(long bytes) {
        return bytes / 1048576.0;
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
