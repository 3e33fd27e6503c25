package io.kasper.bench;

import io.kasper.TopicProcessorConfig;
import java.nio.file.Path;

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
 */
public record Options(int records, int valueSize, int partitions, int repeat, int latencyRate, int latencySeconds,
        Path json, boolean forkMemory, int maxUncommittedBatches) {

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
                default -> throw new IllegalArgumentException("unknown flag " + a + "\n" + USAGE);
            }
        }
        if (valueSize < 16) {
            throw new IllegalArgumentException("--value-size must be at least 16\n" + USAGE);
        }
        return new Options(records, valueSize, partitions, repeat, rate, seconds, json, fork, maxUncommitted);
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
