package io.kasper.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Runs one round of a pipeline in a JVM of its own ({@link PipelineChild}, {@code --fork-pipelines}) and returns its
 * figures: the JIT's profiles, the heap and the code cache then hold that pipeline's code and garbage only, as in a
 * service that runs one pipeline. The child gets this JVM's heap flags, attaches to the same broker and Redis, warms
 * the pipeline up over the input and times one run; its CPU window is its own JVM.
 */
final class ForkedRun {

    /** Waits for a child at most this long: its warm-up plus the 10-minute timeout of a run. */
    private static final Duration CHILD_TIMEOUT = Duration.ofMinutes(20);
    /** Fresh names each child may use: its warm-up rounds and its run, each an output topic and a name. */
    private static final int NAMES_PER_CHILD = 1_000;

    /**
     * One forked round.
     *
     * @param result the timed run's figures
     * @param warmUp how the child's warm-up went
     */
    record Outcome(TimedRun.Result result, WarmUp.Outcome warmUp) {
    }

    private ForkedRun() {
    }

    /**
     * Runs one round of {@code pipeline} in a new JVM.
     *
     * @param input the topic holding N records of the pipeline's phase, for the warm-up and the run
     * @param words for a stateful pipeline, the words whose aggregates to read back; null for a pass-through
     * @param progress receives each warm-up line of the child
     * @throws IllegalStateException when the child cannot be started, fails or prints no result
     */
    static Outcome run(Env env, Pipeline pipeline, String input, Set<String> words, Consumer<String> progress) {
        try {
            return runChild(env, pipeline, input, words, progress);
        } catch (IOException e) {
            throw new IllegalStateException(pipeline.name() + ": its JVM could not be run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(pipeline.name() + ": interrupted while its JVM ran", e);
        }
    }

    private static Outcome runChild(Env env, Pipeline pipeline, String input, Set<String> words,
            Consumer<String> progress) throws IOException, InterruptedException {
        Path wordsFile = null;
        Path aggregatesFile = null;
        try {
            if (words != null) {
                wordsFile = Files.createTempFile("kasper-bench-words", ".txt");
                Files.write(wordsFile, words, StandardCharsets.UTF_8);
                aggregatesFile = Files.createTempFile("kasper-bench-aggregates", ".tsv");
            }
            List<String> command = command(env, pipeline, input, wordsFile, aggregatesFile);
            ChildJvm.Output out = ChildJvm.run(command, PipelineChild.RESULT, PipelineChild.PROGRESS, progress,
                    CHILD_TIMEOUT);
            if (!out.succeeded()) {
                throw new IllegalStateException(pipeline.name() + ": its JVM " + (out.exitValue() < 0
                        ? "did not exit within " + CHILD_TIMEOUT.toMinutes() + " minutes"
                        : "exited with " + out.exitValue() + (out.result() == null ? " and no result" : ""))
                        + "\n" + out.log());
            }
            String result = out.result().substring(PipelineChild.RESULT.length());
            Map<String, Aggregate> aggregates = aggregatesFile == null ? null : readAggregates(aggregatesFile);
            return new Outcome(PipelineChild.result(result, aggregates), PipelineChild.warmUp(result));
        } finally {
            if (wordsFile != null) {
                Files.deleteIfExists(wordsFile);
            }
            if (aggregatesFile != null) {
                Files.deleteIfExists(aggregatesFile);
            }
        }
    }

    private static List<String> command(Env env, Pipeline pipeline, String input, Path wordsFile,
            Path aggregatesFile) {
        Options o = env.options();
        Env.Servers s = env.servers();
        return ChildJvm.command(heapFlags(ManagementFactory.getRuntimeMXBean().getInputArguments()),
                PipelineChild.class, List.of(s.bootstrap(), Long.toString(s.brokerPid()), s.redisUri(),
                Long.toString(s.redisPid()), Long.toString(s.proxyPid()),
                Integer.toString(env.reserveNames(NAMES_PER_CHILD)), pipeline.name(), input,
                wordsFile == null ? "-" : wordsFile.toString(), aggregatesFile == null ? "-" : aggregatesFile.toString(),
                "--records", Integer.toString(o.records()), "--value-size", Integer.toString(o.valueSize()),
                "--partitions", Integer.toString(o.partitions()), "--max-uncommitted",
                Integer.toString(o.maxUncommittedBatches()), "--warmup-rounds", Integer.toString(o.warmUpRoundCap()),
                "--network-delay-ms", Double.toString(o.networkDelayMicros() / 1000.0)));
    }

    /** The flags of this JVM that size and pre-touch its heap: the child runs on a heap like the bench's. */
    static List<String> heapFlags(List<String> jvmArguments) {
        List<String> heap = new ArrayList<>();
        for (String a : jvmArguments) {
            if (a.startsWith("-Xms") || a.startsWith("-Xmx") || a.equals("-XX:+AlwaysPreTouch")
                    || a.equals("-XX:-AlwaysPreTouch")) {
                heap.add(a);
            }
        }
        return heap;
    }

    private static Map<String, Aggregate> readAggregates(Path file) throws IOException {
        Map<String, Aggregate> aggregates = new HashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isEmpty()) {
                int tab = line.indexOf('\t');
                aggregates.put(line.substring(0, tab), Aggregate.decode(line.substring(tab + 1)));
            }
        }
        return aggregates;
    }
}
