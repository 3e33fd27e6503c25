package io.kasper.bench;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * One timed run of a pipeline over an input topic that already holds N records: a fresh name and output topic, the
 * clock and the CPU window opened right before the pipeline's clients are created, closed once the input is fully
 * committed (and, for a pass-through, the output holds N records). Nothing else runs in the bench JVM meanwhile but
 * the completion poller, whose own CPU is left out.
 *
 * <p>An exactly-once pipeline commits its input offsets in the same transaction as its output, so its run ends when
 * the input is committed: its output is readable at that moment, and its output rate is its rate. Its output's end
 * offsets also count transaction markers; after the run a read_committed read counts its records and duplicates
 * exactly (see {@link CommittedOutput}), and a record missing from it fails the run.
 */
public final class TimedRun {

    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(10);

    private TimedRun() {
    }

    /**
     * The figures of one run.
     *
     * @param rate N / time until the input was committed (and the output complete), msg/s
     * @param outputRate N / time until the output held N records, msg/s (pass-throughs; NaN otherwise)
     * @param duplicates output records beyond the first copy of each input (pass-throughs; 0 otherwise)
     * @param cpu CPU µs per record over the timed window
     * @param aggregates the aggregates read back before the pipeline stopped (stateful pipelines; null otherwise)
     */
    public record Result(double rate, double outputRate, long duplicates, CpuWindow.Usage cpu,
            Map<String, Aggregate> aggregates) {
    }

    /**
     * Runs a pipeline once.
     *
     * @param words for a stateful pipeline, the words whose aggregates to read back; ignored for pass-throughs
     */
    public static Result run(Env env, Pipeline pipeline, String input, Set<String> words) {
        long records = env.options().records();
        boolean pass = pipeline.phase() == Pipeline.Phase.PASS;
        boolean watchOutput = pass && !pipeline.exactlyOnce();
        String output = env.createTopic(env.fresh("out-" + pipeline.name()));
        String name = env.fresh("bench-" + pipeline.name());
        CpuWindow window = CpuWindow.open(env);
        long t0 = System.nanoTime();
        Env.Completion done;
        CpuWindow.Usage cpu;
        Map<String, Aggregate> aggregates = null;
        Pipeline.Started started = pipeline.starter().start(env, name, input, output);
        try (RunningPipeline running = started.running()) {
            done = env.awaitCompletion(pipeline.groupOf().apply(name), input, records, watchOutput ? output : null,
                    running::failed, RUN_TIMEOUT);
            cpu = window.close(records);
            if (running.failed()) {
                throw new IllegalStateException(pipeline.name() + " failed", running.failure());
            }
            if (started.aggregates() != null && words != null) {
                aggregates = started.aggregates().apply(words);
            }
        }
        double rate = records / ((done.committed() - t0) / 1e9);
        double outputRate = watchOutput ? records / ((done.output() - t0) / 1e9) : pass ? rate : Double.NaN;
        long duplicates = watchOutput ? env.endOffsetSum(output) - records : pass ? exactDuplicates(env, pipeline,
                output, records) : 0;
        env.deleteTopics(output);
        env.deleteTopics(name); // a Streams pipeline's changelog and repartition topics
        if (pipeline.phase() == Pipeline.Phase.STATEFUL) {
            env.clearRedis();
        }
        return new Result(rate, outputRate, duplicates, cpu, aggregates);
    }

    /** Reads a transactional pass-through's output read_committed; fails if an input record is missing from it. */
    private static long exactDuplicates(Env env, Pipeline pipeline, String output, long records) {
        CommittedOutput.Count count = CommittedOutput.count(env, output, records);
        if (count.distinct() < records) {
            throw new IllegalStateException(pipeline.name() + ": a read_committed read of " + output + " holds "
                    + count.distinct() + " of the " + records + " input records (" + count.records() + " read)");
        }
        return count.duplicates();
    }
}
