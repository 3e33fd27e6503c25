package io.kasper.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs the whole benchmark on one forked broker and one Redis server: the produce ceiling, four pass-through
 * pipelines, four stateful pipelines, two latency runs and the memory of the Kasper pass-through; prints a table.
 */
public final class Main {

    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(10);

    private final Env env;
    private final Options options;
    private final Report report;
    private final long started = System.nanoTime();

    private Main(Env env) {
        this.env = env;
        this.options = env.options();
        this.report = new Report(options);
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
        if (options.runs("pass") || options.runs("memory") || options.runs("latency")) {
            warmUp();
        }
        String input = options.runs("pass") || options.runs("memory") ? passThroughPhase() : null;
        if (options.runs("stateful")) {
            statefulPhase();
        }
        if (options.runs("latency")) {
            latencyPhase();
        }
        if (options.runs("memory")) {
            memoryPhase(input);
        }
        if (options.runs("large")) {
            largeValuePhase();
        }
    }

    /**
     * Warms the JIT up (untimed): produces min(N, 100,000) records and copies them once with the hand-rolled loop and
     * once with Kasper, so that the first measured pipeline does not pay for class loading and compilation.
     */
    private void warmUp() {
        Options small = new Options(Math.min(options.records(), 100_000), options.valueSize(), options.partitions(),
                1, options.latencyRate(), options.latencySeconds(), null, options.forkMemory(),
                options.maxUncommittedBatches(), options.largeRecords(), options.largeHeapMb(), options.phases());
        Env warm = env.with(small);
        String topic = warm.createTopic(warm.fresh("warmup"));
        InputData.producePassThrough(warm, topic);
        for (String kind : List.of("hand", "kasper")) {
            String out = warm.createTopic(warm.fresh("warmup-out"));
            String name = warm.fresh("warmup-" + kind);
            boolean hand = kind.equals("hand");
            try (RunningPipeline p = hand ? HandRolledPipe.start(warm, name, topic, out)
                    : KasperPipe.start(warm, name, topic, out)) {
                warm.awaitDone(hand ? name : KasperPipe.group(name), topic, small.records(), out, p::failed,
                        RUN_TIMEOUT);
            }
        }
        progress("warm-up done (%,d records produced and copied twice, untimed)", small.records());
    }

    private String passThroughPhase() {
        String input = null;
        for (int run = 1; run <= options.repeat(); run++) {
            String topic = env.createTopic(env.fresh("input"));
            double rate = InputData.producePassThrough(env, topic);
            report.rate(Report.CEILING, rate, 0);
            progress("run %d/%d %-22s %,12.0f msg/s", run, options.repeat(), Report.CEILING, rate);
            if (input == null) {
                input = topic;
            }
            String in = input;
            int r = run;
            List<Runnable> pipelines = List.of(
                    () -> timePassThrough(r, "pass-hand-rolled", in,
                            (group, out) -> HandRolledPipe.start(env, group, in, out), name -> name),
                    () -> timePassThrough(r, "pass-kasper", in,
                            (name, out) -> KasperPipe.start(env, name, in, out), KasperPipe::group),
                    () -> timePassThrough(r, "pass-streams", in,
                            (appId, out) -> StreamsPipe.start(env, appId, in, out), name -> name),
                    () -> timePassThrough(r, "pass-spring-batch", in,
                            (group, out) -> SpringBatchPipe.start(env, group, in, out), name -> name));
            inRotation(run, pipelines);
        }
        return input;
    }

    /** Runs the pipelines of one round, starting with a different one each round so no pipeline is always first. */
    private static void inRotation(int run, List<Runnable> pipelines) {
        for (int i = 0; i < pipelines.size(); i++) {
            pipelines.get((i + run - 1) % pipelines.size()).run();
        }
    }

    /** Starts a pipeline given (name, output topic). */
    @FunctionalInterface
    private interface Starter {
        RunningPipeline start(String name, String output);
    }

    private void timePassThrough(int run, String label, String input, Starter starter,
            java.util.function.UnaryOperator<String> groupOf) {
        String output = env.createTopic(env.fresh("out-" + label));
        String name = env.fresh("bench-" + label);
        long t0 = System.nanoTime();
        long t1;
        try (RunningPipeline pipeline = starter.start(name, output)) {
            t1 = env.awaitDone(groupOf.apply(name), input, options.records(), output, pipeline::failed, RUN_TIMEOUT);
            if (pipeline.failed()) {
                throw new IllegalStateException(label + " failed", pipeline.failure());
            }
        }
        long held = env.endOffsetSum(output);
        double rate = options.records() / ((t1 - t0) / 1e9);
        report.rate(label, rate, held - options.records());
        progress("run %d/%d %-22s %,12.0f msg/s  (output %,d records, %,d duplicates)", run, options.repeat(), label,
                rate, held, held - options.records());
    }

    private void statefulPhase() {
        String input = env.createTopic(env.fresh("words"));
        Map<String, Aggregate> expected = InputData.produceWords(env, input);
        progress("produced %,d word records (%,d distinct words)", options.records(), expected.size());
        List<String> mismatches = new ArrayList<>();
        for (int run = 1; run <= options.repeat(); run++) {
            String hrPrefix = env.fresh("hr");
            String kpPrefix = env.fresh("kp");
            String spPrefix = env.fresh("sp");
            int r = run;
            inRotation(run, List.of(
                    () -> {
                        timeStateful(r, "agg-hand-rolled-redis", input, (name, out) ->
                                HandRolledRedisAgg.start(env, name, input, out, hrPrefix), name -> name, null);
                        check(mismatches, "agg-hand-rolled-redis", r, expected,
                                HandRolledRedisAgg.read(env.redisUri(), hrPrefix, expected.keySet()));
                    },
                    () -> {
                        timeStateful(r, "agg-kasper-redis", input, (name, out) ->
                                KasperRedisAgg.start(env, name, input, out, kpPrefix), KasperPipe::group, null);
                        check(mismatches, "agg-kasper-redis", r, expected,
                                HandRolledRedisAgg.read(env.redisUri(), kpPrefix, expected.keySet()));
                    },
                    () -> {
                        AtomicReference<Map<String, Aggregate>> fromStreams = new AtomicReference<>();
                        timeStateful(r, "agg-streams", input, (name, out) -> StreamsAgg.start(env, name, input, out),
                                name -> name, p -> fromStreams.set(StreamsAgg.read((StreamsPipe.Started) p)));
                        check(mismatches, "agg-streams", r, expected, fromStreams.get());
                    },
                    () -> {
                        timeStateful(r, "agg-spring-redis", input, (group, out) ->
                                SpringRedisAgg.start(env, group, input, out, spPrefix), name -> name, null);
                        check(mismatches, "agg-spring-redis", r, expected,
                                HandRolledRedisAgg.read(env.redisUri(), spPrefix, expected.keySet()));
                    }));
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

    private void timeStateful(int run, String label, String input, Starter starter,
            java.util.function.UnaryOperator<String> groupOf, java.util.function.Consumer<RunningPipeline> before) {
        String output = env.createTopic(env.fresh("out-" + label));
        String name = env.fresh("bench-" + label);
        long t0 = System.nanoTime();
        long t1;
        try (RunningPipeline pipeline = starter.start(name, output)) {
            t1 = env.awaitDone(groupOf.apply(name), input, options.records(), null, pipeline::failed, RUN_TIMEOUT);
            if (before != null) {
                before.accept(pipeline);
            }
        }
        double rate = options.records() / ((t1 - t0) / 1e9);
        report.rate(label, rate, 0);
        progress("run %d/%d %-22s %,12.0f msg/s  (output %,d aggregates)", run, options.repeat(), label, rate,
                env.endOffsetSum(output));
    }

    private void latencyPhase() {
        for (int run = 1; run <= options.repeat(); run++) {
            latency(run, "latency-kasper", (in, out) -> KasperPipe.start(env, env.fresh("bench-lat"), in, out));
            latency(run, "latency-streams", (in, out) -> StreamsPipe.start(env, env.fresh("bench-lat"), in, out));
        }
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
        Options large = new Options(options.largeRecords(), Options.LARGE_VALUE_BYTES, options.partitions(), 1,
                options.latencyRate(), options.latencySeconds(), null, true, options.maxUncommittedBatches(),
                options.largeRecords(), options.largeHeapMb(), options.phases());
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

    /** Runs {@link MemoryChild} in a JVM with the given heap flag and returns its MEMORY line. */
    private String fork(String heapFlag, String input, String output, String name) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, heapFlag, "-cp", System.getProperty("java.class.path"),
                MemoryChild.class.getName(), env.bootstrap(), input, output, name,
                Integer.toString(options.partitions()), Integer.toString(options.maxUncommittedBatches()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String result = null;
        StringBuilder log = new StringBuilder();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("MEMORY ")) {
                    result = line;
                } else {
                    log.append(line).append('\n');
                }
            }
        }
        if (!child.waitFor(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || result == null) {
            child.destroyForcibly();
            throw new IllegalStateException("memory child failed: " + log);
        }
        return result;
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
