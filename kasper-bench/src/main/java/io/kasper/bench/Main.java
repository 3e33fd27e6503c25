package io.kasper.bench;

import io.kasper.GroupProtocol;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Runs the whole benchmark on one forked broker and one Redis server: an idle CPU baseline, the produce ceiling, the
 * registered pass-through and stateful pipelines ({@link Pipelines}; each warmed up until its rate settles, then timed
 * R times in rotation with its CPU per record, in this JVM or with {@code --fork-pipelines} each round in a JVM of
 * its own), two latency runs, the memory of the Kasper pass-through and a join
 * and a leave in a group of Kasper members under each group protocol; prints a table.
 */
public final class Main {

    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration IDLE_WINDOW = Duration.ofSeconds(2);
    private static final Duration QUIET_WINDOW = Duration.ofSeconds(1);
    /** commit.interval.ms of the Streams latency run: Streams' low-latency setting (and its exactly-once default). */
    private static final int STREAMS_LATENCY_COMMIT_MS = 100;

    private final Env env;
    private final Options options;
    private final Report report;
    private final long started = System.nanoTime();

    private Main(Env env) {
        this.env = env;
        this.options = env.options();
        this.report = new Report(options);
        report.brokerData(env.brokerData());
        progress0(env.brokerData().description());
    }

    /** Command-line entry point; see {@link Options#USAGE}. */
    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        run(options);
        System.exit(0);
    }

    /** Runs the benchmark in this JVM, prints the table, writes the JSON if asked, and returns the report. */
    public static Report run(Options options) throws Exception {
        progress0(BenchHeap.ofThisJvm().describe());
        progress0("starting a forked Kafka broker and a Redis server");
        try (Env env = new Env(options)) {
            Main main = new Main(env);
            main.all();
            System.out.println();
            System.out.print(main.report.table());
            if (options.json() != null) {
                main.report.writeJson(options.json());
                System.out.println("JSON written to " + options.json().toAbsolutePath());
            }
            main.progress("done");
            return main.report;
        }
    }

    private void all() throws Exception {
        idleBaseline();
        String input = options.runs("pass") || options.runs("memory") ? passThroughPhase() : null;
        if (options.runs("stateful")) {
            statefulPhase();
        }
        if (options.runs("latency")) {
            if (input == null || options.forkPipelines()) {
                // the latency runs are in this JVM: warm it up as a pass-through phase in it would have
                warmUpHere(Pipelines.of(Pipeline.Phase.PASS, Set.of("pass-streams-c100")), Pipeline.Phase.PASS);
            }
            latencyPhase();
        }
        if (options.runs("memory")) {
            memoryPhase(input);
        }
        if (options.runs("large")) {
            largeValuePhase();
        }
        if (options.runs("rebalance")) {
            rebalancePhase();
        }
    }

    /**
     * Measures the CPU that the measuring itself costs: first the broker alone for one second with nothing polling,
     * then the completion poller polling an empty topic and group for two seconds as it does during a run.
     */
    private void idleBaseline() {
        String topic = env.createTopic(env.fresh("idle"));
        long quiet0 = ProcessCpu.ofPid(env.brokerPid());
        long q0 = System.nanoTime();
        Env.sleep(QUIET_WINDOW.toMillis());
        double quiet = (ProcessCpu.ofPid(env.brokerPid()) - quiet0) / 1e6 / ((System.nanoTime() - q0) / 1e9);
        long pollerThread = Thread.currentThread().getId();
        long poller0 = ProcessCpu.ofThread(pollerThread) + env.adminThreadCpuNanos();
        long jvm0 = ProcessCpu.ofThisJvm();
        long broker0 = ProcessCpu.ofPid(env.brokerPid());
        long redis0 = ProcessCpu.ofPid(env.redisPid());
        long t0 = System.nanoTime();
        try {
            env.awaitDone(env.fresh("idle-group"), topic, 1, topic, () -> false, IDLE_WINDOW);
        } catch (IllegalStateException expected) {
            // nothing is ever produced: the wait runs out, which is the point
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double poller = (ProcessCpu.ofThread(pollerThread) + env.adminThreadCpuNanos() - poller0) / 1e6 / seconds;
        double jvm = (ProcessCpu.ofThisJvm() - jvm0) / 1e6 / seconds - poller;
        double broker = (ProcessCpu.ofPid(env.brokerPid()) - broker0) / 1e6 / seconds;
        double redis = (ProcessCpu.ofPid(env.redisPid()) - redis0) / 1e6 / seconds;
        report.idleCpu(new Report.IdleCpu(seconds, poller, jvm, broker, redis, quiet));
        progress("idle baseline (poller only, %.1f s): poller %.1f ms CPU/s, rest of the JVM %.1f ms/s, broker %.1f "
                + "ms/s (%.1f ms/s with nothing polling), redis %.1f ms/s", seconds, poller, jvm, broker, quiet,
                redis);
    }

    /**
     * Warms every given pipeline up on its own warm-up input of min(N, 100,000) records until its rate has settled
     * (see {@link WarmUp}), so that no measured round pays for class loading and the JIT's first compilations.
     */
    private void warmUp(List<Pipeline> pipelines, Pipeline.Phase phase) {
        if (!options.forkPipelines()) { // else each forked round warms its own JVM up, over the phase's input
            warmUpHere(pipelines, phase);
        }
    }

    /** Warms pipelines up in this JVM, also under {@code --fork-pipelines} (the latency runs are in this JVM). */
    private void warmUpHere(List<Pipeline> pipelines, Pipeline.Phase phase) {
        Env warm = env.with(options.scaled(options.warmUpRecords(), options.valueSize()));
        String topic = warm.createTopic(warm.fresh("warmup-" + phase.name().toLowerCase(Locale.ROOT)));
        if (phase == Pipeline.Phase.PASS) {
            InputData.producePassThrough(warm, topic);
        } else {
            InputData.produceWords(warm, topic);
        }
        for (Pipeline p : pipelines) {
            WarmUp.Outcome outcome = WarmUp.settle(warm, p, topic, options.warmUpRoundCap(), this::progress);
            report.warmUp(p.name(), outcome);
        }
    }

    private String passThroughPhase() {
        List<Pipeline> pipelines = Pipelines.of(Pipeline.Phase.PASS, options.peers());
        warmUp(pipelines, Pipeline.Phase.PASS);
        String input = null;
        for (int run = 1; run <= options.repeat(); run++) {
            String topic = env.createTopic(env.fresh("input"));
            double rate = InputData.producePassThrough(env, topic);
            report.rate(Report.CEILING, rate, 0);
            progress("run %d/%d %-28s %,12.0f msg/s", run, options.repeat(), Report.CEILING, rate);
            if (input == null) {
                input = topic;
            } else {
                env.deleteTopics(topic); // only the first run's input is processed: the others measure the ceiling
            }
            String in = input;
            int r = run;
            inRotation(run, pipelines.stream().<Runnable>map(p -> () -> measure(r, p, in, null, null)).toList());
        }
        return input;
    }

    /** Runs the pipelines of one round, starting with a different one each round so no pipeline is always first. */
    private static void inRotation(int run, List<Runnable> pipelines) {
        for (int i = 0; i < pipelines.size(); i++) {
            pipelines.get((i + run - 1) % pipelines.size()).run();
        }
    }

    /** Times one run of a pipeline, records it and, for a stateful one, checks its aggregates. */
    private void measure(int run, Pipeline p, String input, Map<String, Aggregate> expected, List<String> mismatches) {
        Set<String> words = expected == null ? null : expected.keySet();
        TimedRun.Result result;
        if (options.forkPipelines()) {
            ForkedRun.Outcome forked = ForkedRun.run(env, p, input, words, line -> progress("  forked: %s", line));
            result = forked.result();
            report.warmUp(p.name(), forked.warmUp());
        } else {
            result = TimedRun.run(env, p, input, words);
        }
        report.run(p.name(), result);
        CpuWindow.Usage cpu = result.cpu();
        progress("run %d/%d %-28s %,12.0f msg/s  (%s cpu µs/record: jvm %.2f (jit %.2f, gc %.2f), broker %.2f, "
                + "redis %.2f%s%s; alloc %,.0f B/record)", run,
                options.repeat(), p.name(), result.rate(), p.phase() == Pipeline.Phase.PASS
                        ? String.format(Locale.ROOT, "output complete at %,.0f msg/s, %,d duplicates;",
                                result.outputRate(), result.duplicates()) : "", cpu.jvm(), cpu.jit(), cpu.gc(), cpu.broker(),
                cpu.redis(), Double.isNaN(cpu.proxy()) ? "" : String.format(Locale.ROOT, ", proxy %.2f", cpu.proxy()),
                String.format(Locale.ROOT, "; poller %.2f, left out", cpu.poller()), cpu.alloc());
        if (expected != null) {
            check(mismatches, p.name(), run, expected, result.aggregates());
        }
    }

    private void statefulPhase() {
        List<Pipeline> pipelines = Pipelines.of(Pipeline.Phase.STATEFUL, options.peers());
        warmUp(pipelines, Pipeline.Phase.STATEFUL);
        String input = env.createTopic(env.fresh("words"));
        Map<String, Aggregate> expected = InputData.produceWords(env, input);
        progress("produced %,d word records (%,d distinct words)", options.records(), expected.size());
        List<String> mismatches = new ArrayList<>();
        for (int run = 1; run <= options.repeat(); run++) {
            int r = run;
            inRotation(run, pipelines.stream().<Runnable>map(p -> () -> measure(r, p, input, expected, mismatches))
                    .toList());
        }
        report.aggregates(mismatches.isEmpty(), mismatches.isEmpty()
                ? "(" + expected.size() + " words, each pipeline equal to the expected count and sum)"
                : String.join("; ", mismatches));
    }

    private void check(List<String> mismatches, String label, int run, Map<String, Aggregate> expected,
            Map<String, Aggregate> actual) {
        if (!expected.equals(actual)) {
            long differing = expected.keySet().stream().filter(k -> !expected.get(k).equals(actual.get(k))).count();
            mismatches.add(String.format(Locale.ROOT, "%s run %d: %d of %d words differ (%d keys read)", label, run,
                    differing, expected.size(), actual.size()));
        }
    }

    /**
     * Measures the latency of Kasper at-least-once and, when their throughput pipelines are selected, of Streams
     * at-least-once (commit every 100 ms) and of Kasper and Streams exactly-once (transactions every 100 ms); every
     * output is read read_committed.
     */
    private void latencyPhase() {
        for (int run = 1; run <= options.repeat(); run++) {
            latency(run, "latency-kasper", (in, out) -> KasperPipe.start(env, env.fresh("bench-lat"), in, out));
            if (selected("pass-streams-c100")) {
                latency(run, "latency-streams", (in, out) -> StreamsPipe.start(env, env.fresh("bench-lat"), in, out,
                        STREAMS_LATENCY_COMMIT_MS, false));
            }
            if (selected("pass-kasper-eos")) {
                latency(run, "latency-kasper-eos", (in, out) -> KasperPipe.startExactlyOnce(env,
                        env.fresh("bench-lat"), in, out));
            }
            if (selected("pass-streams-eos")) {
                latency(run, "latency-streams-eos", (in, out) -> StreamsPipe.start(env, env.fresh("bench-lat"), in,
                        out, Pipelines.EOS_COMMIT_MS, true));
            }
        }
    }

    private boolean selected(String pipeline) {
        return options.peers() == null || options.peers().contains(pipeline);
    }

    private void latency(int run, String label, java.util.function.BiFunction<String, String, RunningPipeline> s) {
        progress("run %d/%d %-22s %,d msg/s for %d s ...", run, options.repeat(), label, options.latencyRate(),
                options.latencySeconds());
        LatencyRun.Result r = LatencyRun.measure(env, label, s);
        report.latency(label, r);
        progress("run %d/%d %-22s p50 %.1f ms, p99 %.1f ms, max %.1f ms (%,d records; p99 of the %d s warm-up, "
                + "not measured: %.1f ms)", run, options.repeat(), label, r.p50(), r.p99(), r.max(), r.received(),
                LatencyRun.WARM_UP_SECONDS, r.warmUpP99());
    }

    private void memoryPhase(String input) throws Exception {
        String output = env.createTopic(env.fresh("out-memory"));
        String name = env.fresh("bench-memory");
        if (!options.forkMemory()) {
            try (MemorySampler sampler = new MemorySampler();
                    RunningPipeline pipeline = KasperPipe.start(env, name, input, output)) {
                env.awaitDone(KasperPipe.group(name), input, options.records(), output, pipeline::failed,
                        RUN_TIMEOUT);
                sampler.close();
                report.memory(sampler.peakHeapBytes(), sampler.peakSampledRssBytes(),
                        "in the bench JVM: used heap sampled every 50 ms, VmRSS sampled, whole bench JVM");
            }
            progress("memory (in-process) measured");
            return;
        }
        String result = fork("-Xmx1g", input, output, name);
        long heap = Long.parseLong(result.replaceAll(".*peakHeapBytes=(-?\\d+).*", "$1"));
        long rss = Long.parseLong(result.replaceAll(".*vmHwmBytes=(-?\\d+).*", "$1"));
        report.memory(heap, rss, "forked JVM -Xmx1g running only pass-kasper: used heap sampled every 50 ms, "
                + "RSS = VmHWM of that JVM");
        progress("memory of pass-kasper (forked JVM): peak heap %.1f MiB, VmHWM %.1f MiB", heap / 1048576.0,
                rss / 1048576.0);
    }

    /**
     * Runs the Kasper pass-through alone in a forked JVM with a small heap over records of 1,000,000 bytes, with the
     * byte limits at their defaults (derived from that heap), and records its peak heap against its budget.
     */
    private void largeValuePhase() throws Exception {
        Options large = options.scaled(options.largeRecords(), Options.LARGE_VALUE_BYTES);
        Env env1 = env.with(large);
        String input = env1.createTopic(env1.fresh("large-in"));
        InputData.produceLarge(env1, input);
        progress("produced %,d records of %,d bytes", large.records(), large.valueSize());
        String output = env1.createTopic(env1.fresh("large-out"));
        String name = env1.fresh("bench-large");
        String result = fork("-Xmx" + options.largeHeapMb() + "m", input, output, name);
        long held = env1.endOffsetSum(output);
        if (held < large.records()) {
            throw new IllegalStateException("large-value run copied " + held + " of " + large.records());
        }
        Report.LargeMemory m = Report.LargeMemory.parse(result, options.largeHeapMb(), large.records(), held);
        report.largeMemory(m);
        progress("large values in a forked JVM -Xmx%dm: budget %.1f MiB, peak heap after GC %.1f MiB (budget + "
                + "%.1f MiB), peak used heap %.1f MiB, max held bytes %.1f MiB, %d budget pauses, %.1f s",
                options.largeHeapMb(), m.budget() / 1048576.0, m.peakAfterGc() / 1048576.0,
                (m.peakAfterGc() - m.budget()) / 1048576.0, m.peakUsed() / 1048576.0, m.maxHeld() / 1048576.0,
                m.pauses(), m.seconds());
    }

    /**
     * Measures a join and a leave in a group of Kasper members under each group protocol (see {@link RebalanceRun}).
     */
    private void rebalancePhase() {
        for (GroupProtocol protocol : GroupProtocol.values()) {
            progress("rebalance %s: %d members, %,d msg/s, windows of %d s ...", protocol, RebalanceRun.MEMBERS,
                    options.rebalanceRate(), options.rebalanceSeconds());
            RebalanceRun.Result r = RebalanceRun.measure(env, protocol, line -> progress("%s", line));
            report.rebalance(r);
            for (RebalanceRun.Window w : r.windows()) {
                progress("rebalance %s %-6s moved %s, longest gap %.0f ms not moved / %.0f ms moved, no output for "
                        + "%.0f ms, min %,.0f msg/s per 500 ms (x%.2f), p99 %.1f ms", protocol, w.name(), w.moved(),
                        w.notMovedMaxGapMs(), w.movedMaxGapMs(), w.silenceMs(), w.minRate(), w.dip(), w.p99Ms());
            }
        }
    }

    /** Runs {@link MemoryChild} in a JVM with the given heap flag and returns its MEMORY line. */
    private String fork(String heapFlag, String input, String output, String name) throws Exception {
        List<String> command = ChildJvm.command(List.of(heapFlag), MemoryChild.class, List.of(env.bootstrap(), input,
                output, name, Integer.toString(options.partitions()),
                Integer.toString(options.maxUncommittedBatches())));
        ChildJvm.Output out = ChildJvm.run(command, "MEMORY ", null, line -> { }, RUN_TIMEOUT);
        if (!out.succeeded()) {
            throw new IllegalStateException("memory child failed: " + out.log());
        }
        return out.result();
    }

    private void progress(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[%6.1f s] %s%n", (System.nanoTime() - started) / 1e9,
                String.format(Locale.ROOT, format, args));
        System.out.flush();
    }

    private static void progress0(String message) {
        System.out.println("[   0.0 s] " + message);
    }
}
