package io.kasper.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Options options;
    private final Map<String, List<Double>> rates = new LinkedHashMap<>();
    private final Map<String, Long> duplicates = new LinkedHashMap<>();
    private final Map<String, List<TimedRun.Result>> runs = new LinkedHashMap<>();
    private final Map<String, WarmUp.Outcome> warmUps = new LinkedHashMap<>();
    private IdleCpu idleCpu;
    private final Map<String, List<LatencyRun.Result>> latencies = new LinkedHashMap<>();
    private long peakHeapBytes = -1;
    private long peakRssBytes = -1;
    private String memoryHow = "not measured";
    private LargeMemory largeMemory;
    private Boolean aggregatesMatch;
    private String aggregatesDetail = "";
    private final List<RebalanceRun.Result> rebalances = new ArrayList<>();
    private BenchHeap heap = BenchHeap.ofThisJvm();
    private BrokerDataDir brokerData;

    /** Creates an empty report for the given flags. */
    public Report(Options options) {
        this.options = options;
    }

    /** Records one run's rate (msg/s) and the duplicates it left in its output (0 when exact). */
    public void rate(String pipeline, double msgPerSec, long dups) {
        rates.computeIfAbsent(pipeline, k -> new ArrayList<>()).add(msgPerSec);
        duplicates.merge(pipeline, dups, Math::max);
    }

    /** Records one timed run of a registered pipeline. */
    public void run(String pipeline, TimedRun.Result result) {
        rate(pipeline, result.rate(), result.duplicates());
        runs.computeIfAbsent(pipeline, k -> new ArrayList<>()).add(result);
    }

    /** Records the bench JVM's heap settings (this JVM's unless a test sets others). */
    public void heap(BenchHeap benchHeap) {
        this.heap = benchHeap;
    }

    /** Records where the broker kept its logs. */
    public void brokerData(BrokerDataDir dir) {
        this.brokerData = dir;
    }

    /** Records how a pipeline's warm-up went. */
    public void warmUp(String pipeline, WarmUp.Outcome outcome) {
        warmUps.put(pipeline, outcome);
    }

    /**
     * CPU used per second while no pipeline runs and the completion poller polls as in a run: the cost of the
     * measuring itself, which the broker's (and Redis') figures include and the JVM figures leave out.
     *
     * @param seconds the length of the idle window
     * @param pollerMsPerSecond CPU ms per second of the bench JVM's measuring threads
     * @param otherJvmMsPerSecond CPU ms per second of the rest of the bench JVM (GC, JIT, idle clients)
     * @param brokerMsPerSecond CPU ms per second of the broker
     * @param redisMsPerSecond CPU ms per second of Redis
     * @param brokerQuietMsPerSecond CPU ms per second of the broker just before, with nothing polling it
     */
    public record IdleCpu(double seconds, double pollerMsPerSecond, double otherJvmMsPerSecond,
            double brokerMsPerSecond, double redisMsPerSecond, double brokerQuietMsPerSecond) {
    }

    /** Records the idle CPU baseline. */
    public void idleCpu(IdleCpu idle) {
        this.idleCpu = idle;
    }

    /** Returns the median CPU µs per record of a pipeline's runs for one process, NaN when not measured. */
    public double medianCpu(String pipeline, java.util.function.ToDoubleFunction<CpuWindow.Usage> process) {
        List<Double> values = new ArrayList<>();
        for (TimedRun.Result r : runs.getOrDefault(pipeline, List.of())) {
            double v = process.applyAsDouble(r.cpu());
            if (!Double.isNaN(v)) {
                values.add(v);
            }
        }
        return Stats.median(values);
    }

    private double medianOutputRate(String pipeline) {
        List<Double> values = new ArrayList<>();
        for (TimedRun.Result r : runs.getOrDefault(pipeline, List.of())) {
            if (!Double.isNaN(r.outputRate())) {
                values.add(r.outputRate());
            }
        }
        return Stats.median(values);
    }

    /** Returns the measured registered pipelines of a phase, in registry order. */
    private List<Pipeline> measured(Pipeline.Phase phase) {
        return Pipelines.all().stream().filter(p -> p.phase() == phase && runs.containsKey(p.name())).toList();
    }

    /** Returns the median rate of the phase's Kasper pipeline, NaN when not measured. */
    private double kasperMedian(Pipeline.Phase phase) {
        return measured(phase).stream().filter(p -> p.role() == Pipeline.Role.KASPER).mapToDouble(p -> median(p.name()))
                .findFirst().orElse(Double.NaN);
    }

    /** Returns the highest median rate among the phase's hand-rolled loops, NaN when none was measured. */
    private double bestHandRolledMedian(Pipeline.Phase phase) {
        return measured(phase).stream().filter(p -> p.role() == Pipeline.Role.HAND_ROLLED)
                .mapToDouble(p -> median(p.name())).max().orElse(Double.NaN);
    }

    /**
     * Returns the round-by-round ratios of the phase's Kasper pipeline over the best hand-rolled loop and over the
     * best pipeline that is not one of Kasper's (none when its Kasper pipeline was not measured).
     */
    private List<RoundRatios> roundRatios(Pipeline.Phase phase) {
        List<Pipeline> measured = measured(phase);
        Pipeline kasper = measured.stream().filter(p -> p.role() == Pipeline.Role.KASPER).findFirst().orElse(null);
        if (kasper == null) {
            return List.of();
        }
        List<Double> kasperRates = rates.get(kasper.name());
        List<List<Double>> hand = measured.stream().filter(p -> p.role() == Pipeline.Role.HAND_ROLLED)
                .map(p -> rates.get(p.name())).toList();
        // Kasper's other pipelines (exactly-once, traced) share its name as a prefix
        List<List<Double>> others = measured.stream().filter(p -> !p.name().startsWith(kasper.name()))
                .map(p -> rates.get(p.name())).toList();
        return List.of(RoundRatios.of(kasper.name(), kasperRates, RoundRatios.Rivals.BEST_HAND_ROLLED, hand),
                RoundRatios.of(kasper.name(), kasperRates, RoundRatios.Rivals.BEST_OTHER, others));
    }

    private double min(String pipeline) {
        return rates.getOrDefault(pipeline, List.of()).stream().mapToDouble(Double::doubleValue).min()
                .orElse(Double.NaN);
    }

    private double max(String pipeline) {
        return rates.getOrDefault(pipeline, List.of()).stream().mapToDouble(Double::doubleValue).max()
                .orElse(Double.NaN);
    }

    /** Formats a ratio, blank when there is nothing to compare with (no hand-rolled loop ran, say). */
    private static String ratio(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String warmUpText(WarmUp.Outcome w) {
        return w == null ? "-" : w.rounds() + (w.settled() ? "" : "!");
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

    /** Records the rebalance measurement of one group protocol. */
    public void rebalance(RebalanceRun.Result result) {
        rebalances.add(result);
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

    /**
     * One measured pipeline's figures, computed once for both the table and the JSON document.
     *
     * @param name the pipeline
     * @param phase its phase
     * @param median the median rate (msg/s)
     * @param min the lowest rate
     * @param max the highest rate
     * @param outputRate the median rate until the output held N, commit not awaited
     * @param vsKasper {@code median} over the phase's Kasper pipeline's
     * @param vsHand {@code median} over the phase's best hand-rolled loop's
     * @param vsCeiling {@code median} over the produce-only ceiling's
     * @param cpu the median CPU µs per record of each process
     * @param warmUp how its warm-up went, null when it had none
     * @param duplicates the most duplicates a run left in its output
     */
    private record Row(String name, Pipeline.Phase phase, double median, double min, double max, double outputRate,
            double vsKasper, double vsHand, double vsCeiling, CpuWindow.Usage cpu, WarmUp.Outcome warmUp,
            long duplicates) {
    }

    /** Returns the rows of the measured registered pipelines, phase by phase in registry order. */
    private List<Row> rows() {
        double ceiling = median(CEILING);
        List<Row> rows = new ArrayList<>();
        for (Pipeline.Phase phase : Pipeline.Phase.values()) {
            double kasper = kasperMedian(phase);
            double hand = bestHandRolledMedian(phase);
            for (Pipeline p : measured(phase)) {
                String n = p.name();
                double m = median(n);
                CpuWindow.Usage cpu = new CpuWindow.Usage(medianCpu(n, CpuWindow.Usage::jvm),
                        medianCpu(n, CpuWindow.Usage::broker), medianCpu(n, CpuWindow.Usage::redis),
                        medianCpu(n, CpuWindow.Usage::proxy),
                        medianCpu(n, CpuWindow.Usage::poller), medianCpu(n, CpuWindow.Usage::jit),
                        medianCpu(n, CpuWindow.Usage::gc), medianCpu(n, CpuWindow.Usage::alloc));
                rows.add(new Row(n, phase, m, min(n), max(n), medianOutputRate(n), m / kasper, m / hand, m / ceiling,
                        cpu, warmUps.get(n), duplicates.getOrDefault(n, 0L)));
            }
        }
        return rows;
    }

    /**
     * One latency pipeline's median figures over its runs, in ms.
     *
     * @param name the pipeline
     * @param p50 the median of the runs' p50
     * @param p99 the median of the runs' p99
     * @param max the median of the runs' maximum
     */
    private record LatencyRow(String name, double p50, double p99, double max) {
    }

    private List<LatencyRow> latencyRows() {
        return latencies.keySet().stream().map(p -> new LatencyRow(p, medianLatency(p, LatencyRun.Result::p50),
                medianLatency(p, LatencyRun.Result::p99), medianLatency(p, LatencyRun.Result::max))).toList();
    }

    /** Returns the table. */
    public String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Kasper benchmark: N=%,d x %d B, %d partitions, median of %d run(s), "
                        + "Kasper maxUncommittedBatches %d%n", options.records(), options.valueSize(),
                options.partitions(), options.repeat(), options.maxUncommittedBatches()));
        sb.append(heap.describe()).append(System.lineSeparator());
        sb.append(options.forkPipelines()
                ? "pass-through and stateful pipelines: each round in a JVM of its own, warmed up there first "
                        + "(--fork-pipelines; the warmup column is the last round's)"
                : "pass-through and stateful pipelines: all in this JVM, in rotation").append(System.lineSeparator());
        if (brokerData != null) {
            sb.append(brokerData.description()).append(System.lineSeparator());
        }
        sb.append(options.networkDelay().isZero() ? "network: clients connect to the broker directly (loopback)"
                : String.format(Locale.ROOT, "network: every client reaches the broker through a proxy that delays "
                        + "each direction by %.3f ms (--network-delay-ms; its JVM's CPU is the proxy column, in "
                        + "neither jvm nor broker)",
                        options.networkDelayMicros() / 1000.0)).append(System.lineSeparator());
        sb.append(String.format(Locale.ROOT, "%-28s %10s %8s %8s %19s %10s %7s %6s %6s %7s %7s %6s %9s %6s %5s%n",
                "pipeline", "msg/s", "x kasper", "x hand", "min..max msg/s", "out msg/s", "cpu jvm", "jit", "gc",
                "broker", "redis", "proxy", "alloc B/rec", "warmup", "dups"));
        double ceiling = median(CEILING);
        sb.append(String.format(Locale.ROOT, "%-28s %,10.0f %8s %8s %19s%n", CEILING, ceiling, "", "",
                range(min(CEILING), max(CEILING))));
        for (Row r : rows()) {
            sb.append(String.format(Locale.ROOT,
                    "%-28s %,10.0f %8s %8s %19s %10s %7.2f %6.2f %6.2f %7.2f %7s %6s %,9.0f %6s %5d%n", r.name(),
                    r.median(),
                    ratio(r.vsKasper()), ratio(r.vsHand()), range(r.min(), r.max()), r.phase() == Pipeline.Phase.PASS
                            ? String.format(Locale.ROOT, "%,10.0f", r.outputRate()) : "",
                    r.cpu().jvm(), r.cpu().jit(), r.cpu().gc(), r.cpu().broker(), r.phase() == Pipeline.Phase.STATEFUL
                            ? String.format(Locale.ROOT, "%7.2f", r.cpu().redis()) : "",
                    Double.isNaN(r.cpu().proxy()) ? "" : String.format(Locale.ROOT, "%6.2f", r.cpu().proxy()),
                    r.cpu().alloc(), warmUpText(r.warmUp()), r.duplicates()));
        }
        sb.append("msg/s: median over runs of N / (time from creating the clients until the input is committed and, "
                + "for pass-throughs, the output holds N);\n"
                + "x kasper / x hand: that median over Kasper's / over the best hand-rolled loop's of the phase; "
                + "out msg/s: until the output holds N, commit not awaited;\n"
                + "cpu: median CPU µs per record over the timed window: jvm = bench JVM (pipeline, its clients, GC, "
                + "JIT) less the completion poller's threads, jit and gc = the part of jvm spent in the JIT compiler's and the "
                + "garbage collector's threads, broker, redis and proxy = those processes;\n"
                + "alloc B/rec: median heap bytes per record allocated over the timed window by the bench JVM's "
                + "threads, the measuring ones left out (independent of the machine's load);\n"
                + "warmup: warm-up rounds until two consecutive rounds were within " + WarmUp.SETTLED_PERCENT
                + "% (! = round cap reached first)\n");
        for (Pipeline.Phase phase : Pipeline.Phase.values()) {
            roundRatios(phase).forEach(r -> sb.append(r.text()));
        }
        sb.append(eosText());
        if (idleCpu != null) {
            sb.append(String.format(Locale.ROOT, "idle baseline over %.1f s (poller running, no pipeline): poller "
                    + "%.1f ms CPU/s (left out of jvm), rest of the JVM %.1f ms/s, broker %.1f ms/s (%.1f with "
                    + "nothing polling), redis %.1f ms/s%n", idleCpu.seconds(), idleCpu.pollerMsPerSecond(),
                    idleCpu.otherJvmMsPerSecond(), idleCpu.brokerMsPerSecond(), idleCpu.brokerQuietMsPerSecond(),
                    idleCpu.redisMsPerSecond()));
        }
        sb.append(String.format(Locale.ROOT, "%nlatency at %,d msg/s for %d s after a %d s warm-up at that rate (ms)%n",
                options.latencyRate(), options.latencySeconds(), LatencyRun.WARM_UP_SECONDS));
        sb.append(String.format(Locale.ROOT, "%-24s %10s %10s %10s%n", "pipeline", "p50", "p99", "max"));
        for (LatencyRow l : latencyRows()) {
            sb.append(String.format(Locale.ROOT, "%-24s %10.1f %10.1f %10.1f%n", l.name(), l.p50(), l.p99(),
                    l.max()));
        }
        sb.append(eosLatencyText());
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
        sb.append(RebalanceTable.text(options, rebalances));
        sb.append("stateful aggregates identical: ").append(aggregatesMatch == null ? "not checked"
                : aggregatesMatch ? "yes" : "NO").append(' ').append(aggregatesDetail).append('\n');
        return sb.toString();
    }

    /** The Kasper and Streams exactly-once pipelines of each phase, and Kasper's at-least-once one. */
    private record EosTrio(String kasper, String streams, String atLeastOnce) {
    }

    private static final List<EosTrio> EOS_TRIOS = List.of(new EosTrio("pass-kasper-eos", "pass-streams-eos",
            "pass-kasper"), new EosTrio("agg-kasper-redis-eos", "agg-streams-eos", "agg-kasper-redis"));

    /** The latency goal for Kasper exactly-once: transactionCommitInterval + batchWaitDuration + 50 ms. */
    static final double EOS_P99_GOAL_MS = KasperPipe.EOS_COMMIT_INTERVAL.toMillis() + KasperPipe.BATCH_WAIT.toMillis()
            + 50;
    /** The throughput goal: Kasper exactly-once over Streams exactly_once_v2. */
    static final double EOS_RATE_GOAL = 1.3;

    /** Returns the exactly-once ratios of the measured phases, or nothing when no Kasper exactly-once row ran. */
    private String eosText() {
        StringBuilder sb = new StringBuilder();
        for (EosTrio t : EOS_TRIOS) {
            double kasper = median(t.kasper());
            if (!Double.isNaN(kasper)) {
                sb.append(String.format(Locale.ROOT, "%s: x%.2f %s (goal >= %.1f), x%.2f %s (the cost of the "
                        + "guarantee)%n", t.kasper(), kasper / median(t.streams()), t.streams(), EOS_RATE_GOAL,
                        kasper / median(t.atLeastOnce()), t.atLeastOnce()));
            }
        }
        if (sb.length() > 0) {
            sb.insert(0, "exactly-once (-eos): Kasper transactionCommitInterval " + KasperPipe.EOS_COMMIT_INTERVAL
                    .toMillis() + " ms, Streams exactly_once_v2 commit.interval.ms " + Pipelines.EOS_COMMIT_MS
                    + " ms; a run ends when the input is committed, in the same transaction as the output; dups from "
                    + "a read_committed read of the output; agg-kasper-redis-eos's Redis writes are not in the "
                    + "transaction\n");
        }
        return sb.toString();
    }

    /** Returns Kasper exactly-once's latency p99 against the goal, or nothing when it was not measured. */
    private String eosLatencyText() {
        double p99 = medianLatency("latency-kasper-eos", LatencyRun.Result::p99);
        return Double.isNaN(p99) ? "" : String.format(Locale.ROOT, "latency-kasper-eos p99 %.1f ms (goal <= "
                + "transactionCommitInterval + batchWaitDuration + 50 ms = %.0f ms); every output read "
                + "read_committed%n", p99, EOS_P99_GOAL_MS);
    }

    private void eosJson(ObjectNode root) {
        ObjectNode eos = root.putObject("exactlyOnce").put("rateGoal", EOS_RATE_GOAL).put("p99GoalMs",
                EOS_P99_GOAL_MS);
        for (EosTrio t : EOS_TRIOS) {
            double kasper = median(t.kasper());
            if (!Double.isNaN(kasper)) {
                ObjectNode node = eos.putObject(t.kasper());
                num(node, "vsStreamsExactlyOnce", kasper / median(t.streams()));
                num(node, "vsAtLeastOnce", kasper / median(t.atLeastOnce()));
            }
        }
    }

    /** Returns the JSON document (keys in the order the README lists them). */
    public String json() {
        ObjectNode root = JSON.createObjectNode();
        root.put("records", options.records()).put("valueSize", options.valueSize())
                .put("partitions", options.partitions()).put("repeat", options.repeat())
                .put("forkedPipelines", options.forkPipelines())
                .put("networkDelayMs", options.networkDelayMicros() / 1000.0);
        root.putObject("benchJvmHeap").put("initialBytes", heap.initialBytes()).put("maxBytes", heap.maxBytes())
                .put("preTouched", heap.preTouched()).put("steady", heap.steady());
        if (brokerData != null) {
            root.putObject("brokerData").put("ramBacked", brokerData.parent() != null)
                    .put("description", brokerData.description());
        }
        ObjectNode pipelines = root.putObject("pipelines");
        ObjectNode byRound = root.putObject("kasperByRound");
        for (Pipeline.Phase phase : Pipeline.Phase.values()) {
            for (RoundRatios r : roundRatios(phase)) {
                ObjectNode node = byRound.has(r.kasper()) ? (ObjectNode) byRound.get(r.kasper())
                        : byRound.putObject(r.kasper());
                node.set(r.rivals().jsonField(), list(r.ratios()));
            }
        }
        double ceiling = median(CEILING);
        ObjectNode ceilingNode = pipelines.putObject(CEILING);
        num(ceilingNode, "msgPerSec", ceiling);
        ceilingNode.set("runs", list(rates.getOrDefault(CEILING, List.of())));
        ceilingNode.put("vsCeiling", 1.0);
        for (Row r : rows()) {
            ObjectNode node = pipelines.putObject(r.name());
            num(node, "msgPerSec", r.median());
            node.set("runs", list(rates.getOrDefault(r.name(), List.of())));
            num(node, "min", r.min());
            num(node, "max", r.max());
            num(node, "outputMsgPerSec", r.outputRate());
            num(node, "vsKasper", r.vsKasper());
            num(node, "vsBestHandRolled", r.vsHand());
            num(node, "vsCeiling", r.vsCeiling());
            CpuWindow.Usage usage = r.cpu();
            ObjectNode cpu = node.putObject("cpuUsPerRecord");
            num(cpu, "jvm", usage.jvm());
            num(cpu, "broker", usage.broker());
            num(cpu, "redis", usage.redis());
            num(cpu, "proxy", usage.proxy());
            num(cpu, "poller", usage.poller());
            num(cpu, "jit", usage.jit());
            num(cpu, "gc", usage.gc());
            num(node, "allocBytesPerRecord", usage.alloc());
            WarmUp.Outcome w = r.warmUp();
            if (w == null) {
                node.putNull("warmUp");
            } else {
                ObjectNode warmUp = node.putObject("warmUp").put("rounds", w.rounds()).put("settled", w.settled());
                warmUp.set("msgPerSec", list(w.rates()));
                warmUp.set("jitUsPerRecord", list(w.jit()));
            }
            node.put("duplicates", r.duplicates());
        }
        if (idleCpu != null) {
            ObjectNode idle = root.putObject("cpuIdleBaseline");
            num(idle, "seconds", idleCpu.seconds());
            num(idle, "pollerMsPerSecond", idleCpu.pollerMsPerSecond());
            num(idle, "otherJvmMsPerSecond", idleCpu.otherJvmMsPerSecond());
            num(idle, "brokerMsPerSecond", idleCpu.brokerMsPerSecond());
            num(idle, "brokerQuietMsPerSecond", idleCpu.brokerQuietMsPerSecond());
            num(idle, "redisMsPerSecond", idleCpu.redisMsPerSecond());
        }
        ObjectNode latency = root.putObject("latency").put("rate", options.latencyRate())
                .put("seconds", options.latencySeconds());
        for (LatencyRow l : latencyRows()) {
            ObjectNode node = latency.putObject(l.name());
            num(node, "p50Ms", l.p50());
            num(node, "p99Ms", l.p99());
            num(node, "maxMs", l.max());
        }
        eosJson(root);
        root.putObject("memory").putObject("pass-kasper").put("peakHeapBytes", peakHeapBytes)
                .put("peakRssBytes", peakRssBytes).put("how", memoryHow);
        if (largeMemory != null) {
            LargeMemory m = largeMemory;
            ObjectNode large = root.putObject("largeValues").put("records", m.records())
                    .put("valueSize", Options.LARGE_VALUE_BYTES).put("heapMb", m.heapMb())
                    .put("budgetBytes", m.budget()).put("batchMaxBytes", m.batchMaxBytes())
                    .put("peakHeapAfterGcBytes", m.peakAfterGc()).put("peakUsedHeapBytes", m.peakUsed())
                    .put("vmHwmBytes", m.vmHwm()).put("maxHeldBytes", m.maxHeld()).put("budgetPauses", m.pauses());
            num(large, "seconds", m.seconds());
            large.put("copied", m.copied());
        }
        if (!rebalances.isEmpty()) {
            RebalanceTable.json(root.putObject("rebalance"), options, rebalances);
        }
        root.put("statefulAggregatesMatch", aggregatesMatch);
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the benchmark report as JSON", e);
        }
    }

    private static double mib(long bytes) {
        return bytes / 1048576.0;
    }

    private static String range(double min, double max) {
        return String.format(Locale.ROOT, "%,.0f..%,.0f", min, max);
    }

    private static ArrayNode list(List<Double> values) {
        ArrayNode array = JSON.createArrayNode();
        values.forEach(v -> {
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                array.addNull(); // not measured, as num() writes it
            } else {
                array.add(rounded(v));
            }
        });
        return array;
    }

    /** Puts a figure rounded to 3 decimals, or null when it was not measured (NaN) or has no base (infinite). */
    static void num(ObjectNode node, String field, double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            node.putNull(field);
        } else {
            node.put(field, rounded(v));
        }
    }

    private static double rounded(double v) {
        return Math.round(v * 1000) / 1000.0;
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
