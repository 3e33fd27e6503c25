package io.kasper.bench;

import io.kasper.TopicProcessorConfig;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The benchmark's command-line flags, parsed by picocli.
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
 * @param phases the phases to run: {@code pass}, {@code stateful}, {@code latency}, {@code memory}, {@code large},
 *     {@code rebalance}
 * @param peers the names of the pipelines to run besides Kasper's, or null for every registered pipeline
 * @param warmUpMaxRounds the most warm-up rounds per pipeline; 0 scales it with N (see {@link #warmUpRoundCap()})
 * @param rebalanceRate input rate of the rebalance phase, msg/s
 * @param rebalanceSeconds length of each window of the rebalance phase (steady, after the join, after the leave)
 * @param forkPipelines whether each round of a pass-through or stateful pipeline runs in a JVM of its own, warmed up
 *     there first (see {@link PipelineChild})
 * @param networkDelayMicros the one-way delay in microseconds between the clients and the broker (see
 *     {@link DelayProxy}); 0 for a direct connection
 */
public record Options(int records, int valueSize, int partitions, int repeat, int latencyRate, int latencySeconds,
        Path json, boolean forkMemory, int maxUncommittedBatches, int largeRecords, int largeHeapMb,
        Set<String> phases, Set<String> peers, int warmUpMaxRounds, int rebalanceRate, int rebalanceSeconds,
        boolean forkPipelines, int networkDelayMicros) {

    /** Value size of the large-value memory phase: 1,000,000 bytes, just under the broker's default 1 MiB limit. */
    public static final int LARGE_VALUE_BYTES = 1_000_000;
    /** Every phase, in the order they run. */
    public static final List<String> ALL_PHASES = List.of("pass", "stateful", "latency", "memory", "large",
            "rebalance");

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
                maxUncommittedBatches, largeRecords, largeHeapMb, phases, peers, warmUpMaxRounds, rebalanceRate,
                rebalanceSeconds, forkPipelines, networkDelayMicros);
    }

    /** Returns the one-way delay between the clients and the broker; zero for a direct connection. */
    public Duration networkDelay() {
        return Duration.ofNanos(networkDelayMicros * 1_000L);
    }

    /** Returns whether a phase is selected. */
    public boolean runs(String phase) {
        return phases.contains(phase);
    }

    /** The usage text. */
    public static final String USAGE = new CommandLine(new Flags()).getUsageMessage(CommandLine.Help.Ansi.OFF).strip();

    /**
     * Parses the flags.
     *
     * @param args the command line
     * @return the options, defaults filled in
     * @throws IllegalArgumentException on an unknown flag or a bad value, with the usage text
     */
    public static Options parse(String... args) {
        Flags flags = new Flags();
        try {
            new CommandLine(flags).parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage() + "\n" + USAGE, e);
        }
        return flags.toOptions();
    }

    /** The flags as picocli fills them; a null field was not given. */
    @Command(name = "java -jar kasper-bench.jar", sortOptions = false)
    static final class Flags {
        @Option(names = "--records", paramLabel = "N", converter = Positive.class,
                description = "records per run (default 1000000; --quick: 200000)")
        Integer records;
        @Option(names = "--value-size", paramLabel = "BYTES", converter = Positive.class,
                description = "value size, at least 16 (default 100)")
        int valueSize = 100;
        @Option(names = "--partitions", paramLabel = "P", converter = Positive.class,
                description = "partitions of every topic (default 12)")
        int partitions = 12;
        @Option(names = "--repeat", paramLabel = "R", converter = Positive.class,
                description = "runs per measurement, medians reported (default 3; --quick: 1)")
        Integer repeat;
        @Option(names = "--latency-rate", paramLabel = "MSGS", converter = Positive.class,
                description = "input rate of the latency runs (default 10000)")
        int latencyRate = 10_000;
        @Option(names = "--latency-seconds", paramLabel = "S", converter = Positive.class,
                description = "duration of each latency run (default 30; --quick: 10)")
        Integer latencySeconds;
        @Option(names = "--json", paramLabel = "FILE", description = "also write the figures as JSON to FILE")
        Path json;
        @Option(names = "--no-fork-memory", description = "measure memory in this JVM instead of a forked one")
        boolean noForkMemory;
        @Option(names = "--max-uncommitted", paramLabel = "B", converter = Positive.class,
                description = "maxUncommittedBatches of the Kasper pipelines (default 4)")
        int maxUncommitted = TopicProcessorConfig.DEFAULT_MAX_UNCOMMITTED_BATCHES;
        @Option(names = "--large-records", paramLabel = "N", converter = Positive.class,
                description = "records of 1,000,000 bytes in the large-value memory phase (default 300)")
        int largeRecords = 300;
        @Option(names = "--large-heap", paramLabel = "MB", converter = Positive.class,
                description = "-Xmx of the forked JVM of the large-value memory phase (default 256)")
        int largeHeapMb = 256;
        @Option(names = "--phases", paramLabel = "LIST", split = ",",
                description = "comma-separated subset of pass,stateful,latency,memory,large,rebalance (default all)")
        List<String> phases;
        @Option(names = "--peers", paramLabel = "LIST", split = ",",
                description = "comma-separated pipelines to run besides Kasper's at-least-once ones; eos stands for "
                        + "every exactly-once pipeline and its latency rows (default all registered)")
        List<String> peers;
        @Option(names = "--warmup-rounds", paramLabel = "MAX", converter = Positive.class,
                description = "most warm-up rounds per pipeline (default N/25000 clamped to 2..8)")
        int warmUpRounds;
        @Option(names = "--rebalance-rate", paramLabel = "MSGS", converter = Positive.class,
                description = "input rate of the rebalance phase (default 5000)")
        int rebalanceRate = 5_000;
        @Option(names = "--rebalance-seconds", paramLabel = "S", converter = Positive.class,
                description = "each window of the rebalance phase: steady, after the join, after the leave "
                        + "(default 10; --quick: 6)")
        Integer rebalanceSeconds;
        @Option(names = "--fork-pipelines",
                description = "run each round of a pass-through or stateful pipeline in a JVM of its own (this JVM's "
                        + "heap flags), warmed up there first, so that no pipeline shares the JIT, heap or code cache "
                        + "with another")
        boolean forkPipelines;
        @Option(names = "--network-delay-ms", paramLabel = "MS", converter = DelayMillis.class,
                description = "one-way delay between every client and the broker, as across racks or availability "
                        + "zones: the clients connect through a proxy that holds each byte this long in each direction "
                        + "(decimals allowed, e.g. 0.5; default 0, a direct loopback connection)")
        int networkDelayMicros;
        @Option(names = "--quick",
                description = "200000 records, R=1, latency 10 s, rebalance windows 6 s (explicit flags still win)")
        boolean quick;

        Options toOptions() {
            if (valueSize < 16) {
                throw new IllegalArgumentException("--value-size must be at least 16, was " + valueSize + "\n"
                        + USAGE);
            }
            Set<String> phaseSet = phases == null ? Set.copyOf(ALL_PHASES) : names("--phases", phases, ALL_PHASES);
            Set<String> peerSet = peers == null ? null : names("--peers", expandEos(peers), Pipelines.names());
            return new Options(records != null ? records : quick ? 200_000 : 1_000_000, valueSize, partitions,
                    repeat != null ? repeat : quick ? 1 : 3, latencyRate,
                    latencySeconds != null ? latencySeconds : quick ? 10 : 30, json, !noForkMemory, maxUncommitted,
                    largeRecords, largeHeapMb, phaseSet, peerSet, warmUpRounds, rebalanceRate,
                    rebalanceSeconds != null ? rebalanceSeconds : quick ? 6 : 10, forkPipelines,
                    networkDelayMicros);
        }

        /** Replaces {@value Pipelines#EOS_ALIAS} by the names of the exactly-once pipelines. */
        private static List<String> expandEos(List<String> given) {
            List<String> expanded = new ArrayList<>();
            for (String name : given) {
                if (name.trim().equals(Pipelines.EOS_ALIAS)) {
                    expanded.addAll(Pipelines.exactlyOnceNames());
                } else {
                    expanded.add(name);
                }
            }
            return expanded;
        }

        private static Set<String> names(String flag, List<String> given, List<String> known) {
            Set<String> names = new LinkedHashSet<>();
            for (String name : given) {
                if (!known.contains(name.trim())) {
                    throw new IllegalArgumentException(flag + " takes names of " + known + ", was "
                            + String.join(",", given) + "\n" + USAGE);
                }
                names.add(name.trim());
            }
            return Set.copyOf(names);
        }
    }

    /** A positive integer; {@code _} may group digits ({@code 1_000_000}). */
    static final class Positive implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String text) {
            try {
                int v = Integer.parseInt(text.replace("_", ""));
                if (v >= 1) {
                    return v;
                }
            } catch (NumberFormatException notANumber) {
                // reported below, as for a number below 1
            }
            throw new CommandLine.TypeConversionException("needs a positive integer, was " + text);
        }
    }

    /** Milliseconds, decimals allowed, from 0 to 1,000, as whole microseconds. */
    static final class DelayMillis implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String text) {
            try {
                BigDecimal micros = new BigDecimal(text).movePointRight(3);
                if (micros.signum() >= 0 && micros.compareTo(BigDecimal.valueOf(1_000_000)) <= 0) {
                    return micros.intValue();
                }
            } catch (NumberFormatException notANumber) {
                // reported below, as for a number out of range
            }
            throw new CommandLine.TypeConversionException("needs milliseconds from 0 to 1000, was " + text);
        }
    }
}
