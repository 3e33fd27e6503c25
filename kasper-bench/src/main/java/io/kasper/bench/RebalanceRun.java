package io.kasper.bench;

import io.kasper.GroupProtocol;
import io.kasper.KasperMetrics;
import io.kasper.TopicProcessor;
import io.kasper.TopicProcessorConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * One rebalance measurement under one group protocol: {@value #MEMBERS} group-managed Kasper pass-through members of
 * one processor (same {@code topicProcessorName}, each its own {@link TopicProcessor} on its own thread) share the
 * partitions of a fresh input topic fed at a steady rate; after a warm-up and a steady window, a 4th member joins,
 * and a window later the first member leaves ({@link TopicProcessor#close()}, an orderly leave). The input comes from
 * {@link RebalanceInput}; {@link RebalanceOutput} records when each output record arrived; the members'
 * {@link io.kasper.PartitionListener} callbacks record who owned which partition number when ({@link Ownership}). The
 * figures come from {@link Arrivals}.
 *
 * <p>Thread-safety: {@link #measure} runs one measurement at a time on the calling thread (it starts its own threads
 * and stops them before it returns).
 */
final class RebalanceRun {

    /** Members at the start; one more joins, then one leaves. */
    static final int MEMBERS = 3;
    /** Length of the windows over which the lowest output rate is taken. */
    static final Duration RATE_WINDOW = Duration.ofMillis(500);
    /** Percentile of the steady window's gaps taken as the normal batching gap. */
    static final double NORMAL_GAP_PERCENTILE = 99;
    /** Longest warm-up at the target rate before the steady window (shorter when the windows are shorter). */
    static final int WARM_UP_SECONDS = 5;
    /**
     * session.timeout.ms and heartbeat.interval.ms of the classic members: the values the test broker gives groups of
     * the consumer protocol, so that both protocols notice changes at the same pace.
     */
    static final int CLASSIC_SESSION_MS = 6_000;
    /** heartbeat.interval.ms of the classic members (see {@link #CLASSIC_SESSION_MS}). */
    static final int CLASSIC_HEARTBEAT_MS = 1_000;

    /** The backlog, in time at the input rate, below which the output has caught up after the warm-up. */
    static final Duration CAUGHT_UP = Duration.ofMillis(250);
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration FORMING_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);

    /**
     * The figures of one window.
     *
     * @param name {@code steady}, {@code join} or {@code leave}
     * @param moved the partition numbers whose owner at the window's end differs from the one at its start (none at
     *     the end counts as a change)
     * @param notMoved the other partition numbers
     * @param notMovedMaxGapMs the longest gap among {@code notMoved}, ms; NaN when there are none
     * @param movedMaxGapMs the longest gap among {@code moved}, ms; NaN when there are none
     * @param pauseMs the sum over partitions of the excess of their longest gap over the normal gap, partition-ms
     * @param silenceMs the longest time in which no partition had output, ms
     * @param minRate the lowest output rate over {@link #RATE_WINDOW} windows, msg/s
     * @param dip {@code minRate} over the steady window's output rate
     * @param p99Ms the 99th percentile of the end-to-end latency of the records sent in the window, ms
     * @param maxMs the highest of those latencies, ms
     */
    record Window(String name, List<Integer> moved, List<Integer> notMoved, double notMovedMaxGapMs,
            double movedMaxGapMs, double pauseMs, double silenceMs, double minRate, double dip, double p99Ms,
            double maxMs) {
    }

    /**
     * The measurement under one protocol.
     *
     * @param protocol the group protocol of every member
     * @param steadyRate the output rate of the steady window, msg/s
     * @param normalGapMs the normal batching gap: the {@value #NORMAL_GAP_PERCENTILE}th percentile of the gaps in the
     *     steady window, ms
     * @param incompleteMaxMs the highest {@code kasper.partition.incomplete} of the members, ms; NaN when none was
     *     recorded
     * @param records records sent
     * @param duplicates output records received more than once
     * @param windows the steady, join and leave windows, in that order
     */
    record Result(GroupProtocol protocol, double steadyRate, double normalGapMs, double incompleteMaxMs, long records,
            long duplicates, List<Window> windows) {
    }

    /** When each window began, and when the last one ended ({@link System#nanoTime()}). */
    private record Timeline(long steady, long join, long leave, long end) {
    }

    private final Env env;
    private final GroupProtocol protocol;
    private final Consumer<String> progress;
    private final String name;
    private final int partitions;
    private final Ownership ownership = new Ownership();
    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final List<TopicProcessor> processors = new ArrayList<>();
    private final List<RunningPipeline> members = new ArrayList<>();
    private final RebalanceInput input;
    private final RebalanceOutput output;
    private long incompleteMax = -1;
    private Thread leaving;

    private RebalanceRun(Env env, GroupProtocol protocol, Consumer<String> progress) {
        this.env = env;
        this.protocol = protocol;
        this.progress = progress;
        String label = protocol.name().toLowerCase(Locale.ROOT);
        String in = env.createTopic(env.fresh("rebalance-in-" + label));
        String out = env.createTopic(env.fresh("rebalance-out-" + label));
        this.name = env.fresh("bench-rebalance-" + label);
        this.partitions = env.options().partitions();
        for (int m = 0; m <= MEMBERS; m++) {
            processors.add(member(env, name, in, out, protocol, ownership, m, registry));
        }
        this.input = new RebalanceInput(env, in, partitions, env.options().rebalanceRate());
        this.output = new RebalanceOutput(env, out, partitions);
    }

    /**
     * Runs the measurement under one protocol: {@code --rebalance-rate} msg/s, windows of {@code --rebalance-seconds}.
     *
     * @param progress told a line at each step
     * @throws IllegalStateException when a member, the input or the measuring consumer fails, the group does not
     *     form within 60 s, member 0 does not leave within 60 s, or the output does not hold every input record
     *     within 60 s of the input's end
     */
    static Result measure(Env env, GroupProtocol protocol, Consumer<String> progress) {
        RebalanceRun run = new RebalanceRun(env, protocol, progress);
        try {
            Timeline timeline = run.timeline();
            return run.result(timeline);
        } finally {
            run.stop();
        }
    }

    /** Forms the group, warms it up, runs the three windows, then ends the input and drains the output. */
    private Timeline timeline() {
        output.start();
        input.start();
        for (int m = 0; m < MEMBERS; m++) {
            members.add(start(processors.get(m), m));
        }
        awaitFormed();
        int seconds = env.options().rebalanceSeconds();
        hold(Duration.ofSeconds(Math.min(WARM_UP_SECONDS, seconds)));
        settle();
        Duration window = Duration.ofSeconds(seconds);
        long steady = System.nanoTime();
        hold(window);
        long join = System.nanoTime();
        members.add(start(processors.get(MEMBERS), MEMBERS));
        progress.accept(String.format(Locale.ROOT, "rebalance %s: a 4th member joined", protocol));
        hold(window);
        long leave = System.nanoTime();
        leaving = new Thread(members.get(0)::close, "rebalance-leave");
        leaving.start();
        progress.accept(String.format(Locale.ROOT, "rebalance %s: member 0 is leaving", protocol));
        hold(window);
        long end = System.nanoTime();
        input.finish();
        drain();
        awaitLeft();
        return new Timeline(steady, join, leave, end);
    }

    private void awaitFormed() {
        long deadline = System.nanoTime() + FORMING_TIMEOUT.toNanos();
        while (ownership.ownedNow(partitions) < partitions || output.partitionsWithOutput() < partitions) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the rebalance group " + name + " did not own and output all "
                        + partitions + " partitions within " + FORMING_TIMEOUT + ": owned "
                        + ownership.ownedNow(partitions) + ", with output " + output.partitionsWithOutput());
            }
            check();
            Env.sleep(50);
        }
    }

    /**
     * Waits until the output has caught up with the input (less than {@link #CAUGHT_UP} of input not yet out), so
     * that the steady window does not measure the backlog of the group's forming or of a cold JIT; gives up after
     * {@link #SETTLE_TIMEOUT} and says so.
     */
    private void settle() {
        long behindAllowed = env.options().rebalanceRate() * CAUGHT_UP.toMillis() / 1000;
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        while (input.sent() - output.distinct() >= behindAllowed) {
            if (System.nanoTime() > deadline) {
                progress.accept(String.format(Locale.ROOT, "rebalance %s: the output is still %,d records behind "
                        + "after the warm-up and %s more; measuring anyway", protocol,
                        input.sent() - output.distinct(), SETTLE_TIMEOUT));
                return;
            }
            check();
            Env.sleep(50);
        }
    }

    /** Waits until the output holds every record sent. */
    private void drain() {
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        while (output.distinct() < input.sent()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the output of rebalance group " + name + " holds "
                        + output.distinct() + " of " + input.sent() + " records " + DRAIN_TIMEOUT
                        + " after the input ended");
            }
            check();
            Env.sleep(20);
        }
        check();
    }

    private void awaitLeft() {
        try {
            leaving.join(DRAIN_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (leaving.isAlive()) {
            throw new IllegalStateException("member 0 of rebalance group " + name + " did not leave within "
                    + DRAIN_TIMEOUT);
        }
    }

    /** Waits, checking every 100 ms that everything still runs. */
    private void hold(Duration duration) {
        long until = System.nanoTime() + duration.toNanos();
        for (long left; (left = until - System.nanoTime()) > 0; ) {
            check();
            Env.sleep(Math.max(1, Math.min(100, TimeUnit.NANOSECONDS.toMillis(left))));
        }
    }

    /**
     * Fails when a member, the input or the output failed, and reads the members' {@code kasper.partition.incomplete}
     * (a member's meters go when it closes, so the highest is kept here).
     */
    private void check() {
        for (int m = 0; m < members.size(); m++) {
            if (members.get(m).failed()) {
                throw new IllegalStateException("rebalance member " + m + " failed", members.get(m).failure());
            }
        }
        if (output.failure() != null) {
            throw new IllegalStateException("the consumer of the rebalance output failed", output.failure());
        }
        if (input.failure() != null) {
            throw new IllegalStateException("the producer of the rebalance input failed", input.failure());
        }
        incompleteMax = Math.max(incompleteMax, incompleteMaxNanos(registry));
    }

    private Result result(Timeline t) {
        stop();
        Arrivals arrivals = output.arrivals();
        long normal = Math.round(arrivals.normalGap(t.steady(), t.join(), NORMAL_GAP_PERCENTILE));
        double steadyRate = arrivals.rate(t.steady(), t.join());
        List<Window> windows = List.of(
                window("steady", arrivals, ownership, t.steady(), t.join(), false, normal, steadyRate),
                window("join", arrivals, ownership, t.join(), t.leave(), false, normal, steadyRate),
                window("leave", arrivals, ownership, t.leave(), t.end(), true, normal, steadyRate));
        return new Result(protocol, steadyRate, normal / 1e6, incompleteMax < 0 ? Double.NaN : incompleteMax / 1e6,
                input.sent(), output.duplicates(), windows);
    }

    /**
     * Stops everything started: the input, the members still running (all at once, so that their leaves do not
     * queue up one rebalance each), the output; closes the members never started. Idempotent.
     */
    private void stop() {
        input.finish();
        List<Thread> closing = new ArrayList<>();
        for (RunningPipeline m : members) {
            Thread t = new Thread(m::close, "rebalance-close");
            t.start();
            closing.add(t);
        }
        for (Thread t : closing) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        output.finish();
        processors.forEach(TopicProcessor::close);
    }

    /**
     * Computes the figures of one window {@code [from, to)} from the arrivals and the ownership: owners compared at
     * {@code from} and {@code to}, rates and latency over the window, gaps ending in it (see {@link Arrivals}).
     *
     * @param last whether nothing follows: the gaps that end after {@code to}, while the output drains, count too
     * @param normal the normal batching gap, ns
     * @param steadyRate the steady output rate the dip is measured against, msg/s
     */
    static Window window(String name, Arrivals arrivals, Ownership ownership, long from, long to, boolean last,
            long normal, double steadyRate) {
        int[] before = ownership.ownersAt(arrivals.partitions(), from);
        int[] after = ownership.ownersAt(arrivals.partitions(), to);
        List<Integer> moved = new ArrayList<>();
        List<Integer> notMoved = new ArrayList<>();
        for (int p = 0; p < arrivals.partitions(); p++) {
            (before[p] >= 0 && before[p] == after[p] ? notMoved : moved).add(p);
        }
        double minRate = arrivals.minRate(from, to, RATE_WINDOW.toNanos());
        long gapsTo = last ? Long.MAX_VALUE : to;
        return new Window(name, moved, notMoved, ms(arrivals.maxGap(notMoved, from, gapsTo)),
                ms(arrivals.maxGap(moved, from, gapsTo)), arrivals.pauseBeyond(normal, from, gapsTo) / 1e6,
                ms(arrivals.longestSilence(from, gapsTo)), minRate, minRate / steadyRate,
                arrivals.latency(from, to, 99) / 1e6, arrivals.latency(from, to, 100) / 1e6);
    }

    private static double ms(long nanosOrNone) {
        return nanosOrNone < 0 ? Double.NaN : nanosOrNone / 1e6;
    }

    private static TopicProcessor member(Env env, String name, String input, String output, GroupProtocol protocol,
            Ownership ownership, int member, MeterRegistry registry) {
        TopicProcessorConfig.Builder b = KasperPipe.groupConfig(env, name, input).groupProtocol(protocol)
                .partitionListener(ownership.listener(member)).meterRegistry(registry);
        if (protocol == GroupProtocol.CLASSIC) {
            b.consumerProperty(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, CLASSIC_SESSION_MS)
                    .consumerProperty(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, CLASSIC_HEARTBEAT_MS);
        }
        return new TopicProcessor(b.build(), p -> KasperPipe.copyTo(output));
    }

    private static RunningPipeline start(TopicProcessor processor, int member) {
        return new RunningPipeline("rebalance-member-" + member, stop -> processor.runLoop(), processor::close);
    }

    /** Returns the highest {@code kasper.partition.incomplete} of the registry's timers, ns; -1 when there is none. */
    private static long incompleteMaxNanos(MeterRegistry registry) {
        return (long) registry.find(KasperMetrics.PARTITION_INCOMPLETE).timers().stream()
                .mapToDouble(t -> t.max(TimeUnit.NANOSECONDS)).max().orElse(-1);
    }
}
