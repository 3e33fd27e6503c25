package io.kasper.bench;

import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A pipeline under test: its name, its phase, its role in the comparison, how to start it and how to find its
 * consumer group. Every registered pipeline gets the same warm-up, timing and CPU measurement.
 *
 * @param name the name in the progress lines, the table and the JSON
 * @param phase {@link Phase#PASS} copies the input; {@link Phase#STATEFUL} aggregates the words input
 * @param role what its figures are compared with
 * @param starter starts it under a fresh name
 * @param groupOf maps that name to the consumer group whose committed offsets end a run
 * @param exactlyOnce whether it writes its output in Kafka transactions: its run ends when its input offsets are
 *     committed (in the same transactions as the output) and its output is counted with a read_committed read
 */
public record Pipeline(String name, Phase phase, Role role, Starter starter, UnaryOperator<String> groupOf,
        boolean exactlyOnce) {

    /** An at-least-once pipeline. */
    public Pipeline(String name, Phase phase, Role role, Starter starter, UnaryOperator<String> groupOf) {
        this(name, phase, role, starter, groupOf, false);
    }

    /** The phase a pipeline belongs to. */
    public enum Phase {
        /** Copies the pass-through input to an output topic. */
        PASS,
        /** Aggregates the words input (count and sum per word) and emits the changed aggregates. */
        STATEFUL
    }

    /** The role of a pipeline in the ratios of the report. */
    public enum Role {
        /** The Kasper pipeline of its phase: every other one is divided by it. */
        KASPER,
        /** A hand-rolled consumer loop: the best of them is the other yardstick. */
        HAND_ROLLED,
        /** Any other peer (Kafka Streams, ...). */
        PEER
    }

    /** Starts a pipeline under a fresh name (its consumer group or application id follows from it). */
    @FunctionalInterface
    public interface Starter {
        /**
         * Starts the pipeline.
         *
         * @param env the environment (its options carry N, partitions, ...)
         * @param name a name unique in the run; stateful pipelines also key their Redis state by it
         * @param input the input topic
         * @param output a fresh output topic
         */
        Started start(Env env, String name, String input, String output);
    }

    /**
     * A started pipeline.
     *
     * @param running the running pipeline; closing it stops it
     * @param aggregates reads the aggregates of the given words from a stateful pipeline's state while it still runs
     *     (null for pass-throughs)
     */
    public record Started(RunningPipeline running, Function<Set<String>, Map<String, Aggregate>> aggregates) {

        /** A started pass-through. */
        public static Started pass(RunningPipeline running) {
            return new Started(running, null);
        }
    }
}
