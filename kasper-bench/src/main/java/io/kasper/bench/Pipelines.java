package io.kasper.bench;

import io.confluent.parallelconsumer.ParallelConsumerOptions.ProcessingOrder;
import io.kasper.bench.Pipeline.Phase;
import io.kasper.bench.Pipeline.Role;
import io.kasper.bench.Pipeline.Started;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The registry of the pipelines under test, in table order. A new peer is one more entry here: the warm-up, timing,
 * CPU measurement, aggregate check and report apply to every entry.
 */
public final class Pipelines {

    /** Kafka Streams' commit intervals measured: the low-latency 100 ms, 1,000 ms and its at_least_once default. */
    private record Commit(String suffix, Integer millis) {
    }

    private static final List<Commit> STREAMS_COMMITS = List.of(new Commit("c100", 100), new Commit("c1000", 1000),
            new Commit("default", null));

    /** commit.interval.ms of the exactly_once_v2 Streams pipelines: Streams' default under exactly-once. */
    static final int EOS_COMMIT_MS = 100;

    /**
     * Threads of the scaled-out loops and members of the scaled-out Kasper pipelines ({@code -2-threads},
     * {@code -2-members}): as many as the Spring pipelines' consumer threads.
     */
    static final int MEMBERS = SpringBatchContainer.CONCURRENCY;

    /** What {@code --peers eos} stands for: every exactly-once pipeline (the at-least-once Kasper ones always run). */
    public static final String EOS_ALIAS = "eos";

    private Pipelines() {
    }

    /** Returns every registered pipeline, pass-throughs first. */
    public static List<Pipeline> all() {
        List<Pipeline> all = new ArrayList<>();
        UnaryOperator<String> same = name -> name;
        all.add(new Pipeline("pass-hand-rolled", Phase.PASS, Role.HAND_ROLLED, (env, name, in, out) ->
                Started.pass(HandRolledPipe.start(env, name, in, out, LoopCommit.SYNC)), same));
        all.add(new Pipeline("pass-hand-rolled-async", Phase.PASS, Role.HAND_ROLLED, (env, name, in, out) ->
                Started.pass(HandRolledPipe.start(env, name, in, out, LoopCommit.ASYNC)), same));
        all.add(new Pipeline("pass-hand-rolled-async-os-buffer", Phase.PASS, Role.HAND_ROLLED, (env, name, in, out) ->
                Started.pass(HandRolledPipe.start(env, name, in, out, LoopCommit.ASYNC, true)), same));
        all.add(new Pipeline("pass-hand-rolled-async-2-threads", Phase.PASS, Role.HAND_ROLLED, (env, name, in, out) ->
                Started.pass(HandRolledPipe.start(env, name, in, out, LoopCommit.ASYNC, false, MEMBERS)), same));
        all.add(new Pipeline("pass-kasper", Phase.PASS, Role.KASPER, (env, name, in, out) ->
                Started.pass(KasperPipe.start(env, name, in, out)), KasperPipe::group));
        all.add(new Pipeline("pass-kasper-batch-5000", Phase.PASS, Role.PEER, (env, name, in, out) ->
                Started.pass(KasperPipe.start(env, name, in, out, KasperPipe.CHUNK_BATCH_SIZE)), KasperPipe::group));
        all.add(new Pipeline("pass-kasper-2-members", Phase.PASS, Role.PEER, (env, name, in, out) ->
                Started.pass(KasperPipe.startGroup(env, name, in, out)), KasperPipe::group));
        all.add(new Pipeline("pass-kasper-traced", Phase.PASS, Role.PEER, (env, name, in, out) ->
                Started.pass(KasperTracedPipe.start(env, name, in, out)), KasperPipe::group));
        for (Commit c : STREAMS_COMMITS) {
            all.add(new Pipeline("pass-streams-" + c.suffix(), Phase.PASS, Role.PEER, (env, name, in, out) ->
                    Started.pass(StreamsPipe.start(env, name, in, out, c.millis(), false)), same));
        }
        all.add(new Pipeline("pass-kasper-eos", Phase.PASS, Role.PEER, (env, name, in, out) ->
                Started.pass(KasperPipe.startExactlyOnce(env, name, in, out)), KasperPipe::group, true));
        all.add(new Pipeline("pass-streams-eos", Phase.PASS, Role.PEER, (env, name, in, out) ->
                Started.pass(StreamsPipe.start(env, name, in, out, EOS_COMMIT_MS, true)), same, true));
        all.add(new Pipeline("pass-spring-batch", Phase.PASS, Role.PEER, (env, name, in, out) ->
                Started.pass(SpringBatchPipe.start(env, name, in, out)), same));
        all.add(new Pipeline("pass-parallel-consumer", Phase.PASS, Role.PEER, (env, name, in, out) ->
                Started.pass(ParallelConsumerPipe.start(env, name, in, out, ProcessingOrder.KEY)), same));
        all.add(new Pipeline("pass-parallel-consumer-unordered", Phase.PASS, Role.PEER, (env, name, in, out) ->
                Started.pass(ParallelConsumerPipe.start(env, name, in, out, ProcessingOrder.UNORDERED)), same));
        all.add(new Pipeline("agg-hand-rolled-redis", Phase.STATEFUL, Role.HAND_ROLLED, (env, name, in, out) ->
                redis(env, name, HandRolledRedisAgg.start(env, name, in, out, name, LoopCommit.SYNC)), same));
        all.add(new Pipeline("agg-hand-rolled-redis-async", Phase.STATEFUL, Role.HAND_ROLLED, (env, name, in, out) ->
                redis(env, name, HandRolledRedisAgg.start(env, name, in, out, name, LoopCommit.ASYNC)), same));
        all.add(new Pipeline("agg-hand-rolled-redis-async-2-threads", Phase.STATEFUL, Role.HAND_ROLLED,
                (env, name, in, out) -> redis(env, name,
                        HandRolledRedisAgg.start(env, name, in, out, name, LoopCommit.ASYNC, MEMBERS)), same));
        all.add(new Pipeline("agg-kasper-redis", Phase.STATEFUL, Role.KASPER, (env, name, in, out) ->
                redis(env, name, KasperRedisAgg.start(env, name, in, out, name, false)), KasperPipe::group));
        all.add(new Pipeline("agg-kasper-redis-2-members", Phase.STATEFUL, Role.PEER, (env, name, in, out) ->
                redis(env, name, KasperRedisAgg.startGroup(env, name, in, out, name)), KasperPipe::group));
        for (Commit c : STREAMS_COMMITS) {
            all.add(new Pipeline("agg-streams-" + c.suffix(), Phase.STATEFUL, Role.PEER, (env, name, in, out) -> {
                StreamsPipe.Started s = StreamsAgg.start(env, name, in, out, c.millis(), false);
                return new Started(s, words -> StreamsAgg.read(s));
            }, same));
        }
        all.add(new Pipeline("agg-kasper-redis-eos", Phase.STATEFUL, Role.PEER, (env, name, in, out) ->
                redis(env, name, KasperRedisAgg.start(env, name, in, out, name, true)), KasperPipe::group, true));
        all.add(new Pipeline("agg-streams-eos", Phase.STATEFUL, Role.PEER, (env, name, in, out) -> {
            StreamsPipe.Started s = StreamsAgg.start(env, name, in, out, EOS_COMMIT_MS, true);
            return new Started(s, words -> StreamsAgg.read(s));
        }, same, true));
        all.add(new Pipeline("agg-spring-redis", Phase.STATEFUL, Role.PEER, (env, name, in, out) ->
                redis(env, name, SpringRedisAgg.start(env, name, in, out, name)), same));
        return all;
    }

    /** Returns the registered pipelines of a phase that are selected, in table order. */
    public static List<Pipeline> of(Phase phase, Set<String> selected) {
        List<Pipeline> list = new ArrayList<>();
        for (Pipeline p : all()) {
            if (p.phase() == phase && (selected == null || selected.contains(p.name()) || p.role() == Role.KASPER)) {
                list.add(p);
            }
        }
        return list;
    }

    /** Returns the names of every registered pipeline. */
    public static List<String> names() {
        return all().stream().map(Pipeline::name).toList();
    }

    /** Returns the names of the exactly-once pipelines, in table order. */
    public static List<String> exactlyOnceNames() {
        return all().stream().filter(Pipeline::exactlyOnce).map(Pipeline::name).toList();
    }

    /** A Redis-backed pipeline: its aggregates are read back under its key prefix (its name). */
    private static Started redis(Env env, String prefix, RunningPipeline running) {
        return new Started(running, words -> HandRolledRedisAgg.read(env.redisUri(), prefix, words));
    }
}
