package io.kasper.bench;

import io.kasper.TopicProcessorConfig;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The benchmark's command-line flags.
 *
 * @param records N, records per measured run
 * @param valueSize bytes per value
 * @param partitions partitions of every topic
 * @param repeat R, runs of each measurement (medians are reported)
 * @param latencyRate input rate of the latency runs, msg/s
 * @param latencySeconds duration of each latency run
 * @param json file to write the JSON report to, or null
 * @param forkMemory whether the memory run of the Kasper pass-through runs in a forked JVM
 * @param maxUncommittedBatches {@code maxUncommittedBatches} of every Kasper pipeline
 * @param largeRecords records of {@link #LARGE_VALUE_BYTES} in the large-value memory phase
 * @param largeHeapMb the {@code -Xmx} in MiB of the forked JVM of the large-value memory phase
 * @param phases the phases to run: {@code pass}, {@code stateful}, {@code latency}, {@code memory}, {@code large}
 * @param peers the names of the pipelines to run besides Kasper's, or null for every registered pipeline
 * @param warmUpMaxRounds the most warm-up rounds per pipeline; 0 scales it with N (see {@link #warmUpRoundCap()})
 */
public record Options(int records, int valueSize, int partitions, int repeat, int latencyRate, int latencySeconds,
        Path json, boolean forkMemory, int maxUncommittedBatches, int largeRecords, int largeHeapMb,
        Set<String> phases, Set<String> peers, int warmUpMaxRounds) {

    /** Value size of the large-value memory phase: 1,000,000 bytes, just under the broker's default 1 MiB limit. */
    public static final int LARGE_VALUE_BYTES = 1_000_000;
    /** Every phase, in the order they run. */
    public static final List<String> ALL_PHASES = List.of("pass", "stateful", "latency", "memory", "large");

    /** Records per warm-up round: min(N, 100,000), so that the warm-up shrinks with --records. */
    public int warmUpRecords() {
        return Math.min(records, 100_000);
    }

    /**
     * Returns the most warm-up rounds per pipeline: {@code --warmup-rounds} when given, else N / 25,000 clamped to
     * 2..8 (two rounds are the fewest that can be compared; tiny test runs cannot settle and need not).
     */
    public int warmUpRoundCap() {
        return warmUpMaxRounds > 0 ? Math.max(2, warmUpMaxRounds) : Math.max(2, Math.min(8, records / 25_000));
    }

    /** Returns a copy with another N and value size, one run per measurement and no JSON file. */
    public Options scaled(int otherRecords, int otherValueSize) {
        return new Options(otherRecords, otherValueSize, partitions, 1, latencyRate, latencySeconds, null, forkMemory,
                maxUncommittedBatches, largeRecords, largeHeapMb, phases, peers, warmUpMaxRounds);
    }

    /** Returns whether a phase is selected. */
    public boolean runs(String phase) {
        return phases.contains(phase);
    }

    /** The usage text. */
    public static final String USAGE = String.join("\n",
            "usage: java -jar kasper-bench.jar [flags]",
            "  --records N          records per run (default 1000000; --quick: 200000)",
            "  --value-size BYTES   value size (default 100)",
            "  --partitions P       partitions of every topic (default 12)",
            "  --repeat R           runs per measurement, medians reported (default 3; --quick: 1)",
            "  --latency-rate MSGS  input rate of the latency runs (default 10000)",
            "  --latency-seconds S  duration of each latency run (default 30; --quick: 10)",
            "  --json FILE          also write the figures as JSON to FILE",
            "  --no-fork-memory     measure memory in this JVM instead of a forked one",
            "  --max-uncommitted B  maxUncommittedBatches of the Kasper pipelines (default 4)",
            "  --large-records N    records of 1,000,000 bytes in the large-value memory phase (default 300)",
            "  --large-heap MB      -Xmx of the forked JVM of the large-value memory phase (default 256)",
            "  --phases LIST        comma-separated subset of pass,stateful,latency,memory,large (default all)",
            "  --peers LIST         comma-separated pipelines to run besides Kasper's (default all registered)",
            "  --warmup-rounds MAX  most warm-up rounds per pipeline (default N/25000 clamped to 2..8)",
            "  --quick              200000 records, R=1, latency 10 s (explicit flags still win)");

    /** Parses the flags; throws IllegalArgumentException with the usage on a bad flag. */
    public static Options parse(String... args) {
        boolean quick = false;
        for (String a : args) {
            quick |= a.equals("--quick");
        }
        int records = quick ? 200_000 : 1_000_000;
        int valueSize = 100;
        int partitions = 12;
        int repeat = quick ? 1 : 3;
        int rate = 10_000;
        int seconds = quick ? 10 : 30;
        Path json = null;
        boolean fork = true;
        int maxUncommitted = TopicProcessorConfig.DEFAULT_MAX_UNCOMMITTED_BATCHES;
        int largeRecords = 300;
        int largeHeap = 256;
        Set<String> phases = new LinkedHashSet<>(ALL_PHASES);
        Set<String> peers = null;
        int warmUpRounds = 0;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--quick" -> { }
                case "--no-fork-memory" -> fork = false;
                case "--max-uncommitted" -> maxUncommitted = positive(a, value(args, ++i));
                case "--records" -> records = positive(a, value(args, ++i));
                case "--value-size" -> valueSize = positive(a, value(args, ++i));
                case "--partitions" -> partitions = positive(a, value(args, ++i));
                case "--repeat" -> repeat = positive(a, value(args, ++i));
                case "--latency-rate" -> rate = positive(a, value(args, ++i));
                case "--latency-seconds" -> seconds = positive(a, value(args, ++i));
                case "--json" -> json = Path.of(value(args, ++i));
                case "--large-records" -> largeRecords = positive(a, value(args, ++i));
                case "--large-heap" -> largeHeap = positive(a, value(args, ++i));
                case "--phases" -> phases = phases(value(args, ++i));
                case "--peers" -> peers = peers(value(args, ++i));
                case "--warmup-rounds" -> warmUpRounds = positive(a, value(args, ++i));
                default -> throw new IllegalArgumentException("unknown flag " + a + "\n" + USAGE);
            }
        }
        if (valueSize < 16) {
            throw new IllegalArgumentException("--value-size must be at least 16\n" + USAGE);
        }
        return new Options(records, valueSize, partitions, repeat, rate, seconds, json, fork, maxUncommitted,
                largeRecords, largeHeap, phases, peers, warmUpRounds);
    }

    private static Set<String> peers(String list) {
        Set<String> peers = new LinkedHashSet<>();
        List<String> known = Pipelines.names();
        for (String name : list.split(",")) {
            if (!known.contains(name.trim())) {
                throw new IllegalArgumentException("--peers takes names of " + known + ", was " + list + "\n"
                        + USAGE);
            }
            peers.add(name.trim());
        }
        return Set.copyOf(peers);
    }

    private static Set<String> phases(String list) {
        Set<String> phases = new LinkedHashSet<>();
        for (String phase : list.split(",")) {
            if (!ALL_PHASES.contains(phase.trim())) {
                throw new IllegalArgumentException("--phases takes a subset of " + ALL_PHASES + ", was " + list
                        + "\n" + USAGE);
            }
            phases.add(phase.trim());
        }
        return Set.copyOf(phases);
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException("flag " + args[i - 1] + " needs a value\n" + USAGE);
        }
        return args[i];
    }

    private static int positive(String flag, String text) {
        try {
            int v = Integer.parseInt(text.replace("_", ""));
            if (v < 1) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs a positive integer, was " + text + "\n" + USAGE);
        }
    }
}
