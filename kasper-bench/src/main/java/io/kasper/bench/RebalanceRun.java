package io.kasper.bench;

import io.kasper.GroupProtocol;
import io.kasper.KasperMetrics;
import io.kasper.TopicProcessor;
import io.kasper.TopicProcessorConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * One rebalance measurement under one group protocol: {@value #MEMBERS} group-managed Kasper pass-through members of
 * one processor (same {@code topicProcessorName}, each its own {@link TopicProcessor} on its own thread) share the
 * partitions of a fresh input topic fed at a steady rate; after a warm-up and a steady window, a 4th member joins,
 * and a window later the first member leaves ({@link TopicProcessor#close()}, an orderly leave). A read_committed
 * consumer of the output records when each record arrived; the members' {@link io.kasper.PartitionListener}
 * callbacks record who owned which partition number when. The figures come from {@link Arrivals}.
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

    private RebalanceRun() {
    }

    /**
     * Runs the measurement under one protocol: {@code --rebalance-rate} msg/s, windows of {@code --rebalance-seconds}.
     *
     * @param progress told a line at each step
     * @throws IllegalStateException when a member, the input or the measuring consumer fails, the group does not
     *     form within 60 s, or the output does not hold every input record within 60 s of the input's end
     */
    static Result measure(Env env, GroupProtocol protocol, Consumer<String> progress) {
        Options o = env.options();
        String label = protocol.name().toLowerCase(Locale.ROOT);
        String input = env.createTopic(env.fresh("rebalance-in-" + label));
        String output = env.createTopic(env.fresh("rebalance-out-" + label));
        String name = env.fresh("bench-rebalance-" + label);
        int partitions = o.partitions();
        Ownership ownership = new Ownership();
        MeterRegistry registry = new SimpleMeterRegistry();
        List<TopicProcessor> processors = new ArrayList<>();
        for (int m = 0; m <= MEMBERS; m++) {
            processors.add(member(env, name, input, output, protocol, ownership, m, registry));
        }
        OutputRecorder recorder = new OutputRecorder(env, output, partitions);
        InputPacer pacer = new InputPacer(env, input, partitions, o.rebalanceRate());
        List<RunningPipeline> members = new ArrayList<>();
        long[] incompleteMax = {-1};
        Runnable check = () -> {
            check(members, recorder, pacer);
            incompleteMax[0] = Math.max(incompleteMax[0], incompleteMaxNanos(registry));
        };
        CompletableFuture<Void> leaving = null;
        try {
            recorder.start();
            pacer.start();
            for (int m = 0; m < MEMBERS; m++) {
                members.add(start(processors.get(m), m));
            }
            long formingDeadline = System.nanoTime() + FORMING_TIMEOUT.toNanos();
            while (ownership.ownedNow(partitions) < partitions || recorder.partitionsWithOutput() < partitions) {
                if (System.nanoTime() > formingDeadline) {
                    throw new IllegalStateException("the rebalance group " + name + " did not own and output all "
                            + partitions + " partitions within " + FORMING_TIMEOUT + ": owned "
                            + ownership.ownedNow(partitions) + ", with output " + recorder.partitionsWithOutput());
                }
                check.run();
                Env.sleep(50);
            }
            hold(Duration.ofSeconds(Math.min(WARM_UP_SECONDS, o.rebalanceSeconds())), check);
            settle(recorder, pacer, o.rebalanceRate(), check, progress, protocol);
            Duration window = Duration.ofSeconds(o.rebalanceSeconds());
            long steady = System.nanoTime();
            hold(window, check);
            long join = System.nanoTime();
            members.add(start(processors.get(MEMBERS), MEMBERS));
            progress.accept(String.format(Locale.ROOT, "rebalance %s: a 4th member joined", protocol));
            hold(window, check);
            long leave = System.nanoTime();
            RunningPipeline leaver = members.get(0);
            leaving = CompletableFuture.runAsync(leaver::close);
            progress.accept(String.format(Locale.ROOT, "rebalance %s: member 0 is leaving", protocol));
            hold(window, check);
            long end = System.nanoTime();
            pacer.finish();
            long drainDeadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
            while (recorder.distinct() < pacer.sent()) {
                if (System.nanoTime() > drainDeadline) {
                    throw new IllegalStateException("the output of rebalance group " + name + " holds "
                            + recorder.distinct() + " of " + pacer.sent() + " records " + DRAIN_TIMEOUT
                            + " after the input ended");
                }
                check.run();
                Env.sleep(20);
            }
            check.run();
            leaving.get(60, TimeUnit.SECONDS);
            closeAll(members);
            recorder.finish();
            Arrivals arrivals = recorder.arrivals();
            long normal = Math.round(arrivals.normalGap(steady, join, NORMAL_GAP_PERCENTILE));
            double steadyRate = arrivals.rate(steady, join);
            List<Window> windows = List.of(
                    window("steady", arrivals, ownership, steady, join, false, normal, steadyRate),
                    window("join", arrivals, ownership, join, leave, false, normal, steadyRate),
                    window("leave", arrivals, ownership, leave, end, true, normal, steadyRate));
            return new Result(protocol, steadyRate, normal / 1e6,
                    incompleteMax[0] < 0 ? Double.NaN : incompleteMax[0] / 1e6, pacer.sent(),
                    recorder.duplicates(), windows);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("member 0 of rebalance group " + name + " did not leave in order", e);
        } finally {
            pacer.finish();
            closeAll(members);
            recorder.finish();
            processors.forEach(TopicProcessor::close);
        }
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
        TopicProcessorConfig.Builder b = TopicProcessorConfig.builder().topicProcessorName(name)
                .bootstrapServers(env.bootstrap()).inputTopics(input).groupManaged().groupProtocol(protocol)
                .partitionListener(ownership.listener(member)).batchSize(KasperPipe.BATCH_SIZE)
                .batchWaitDuration(KasperPipe.BATCH_WAIT).maxUncommittedBatches(env.options().maxUncommittedBatches())
                .closeTimeout(Duration.ofSeconds(30)).meterRegistry(registry);
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

    /**
     * Waits until the output has caught up with the input (less than {@link #CAUGHT_UP} of input not yet out), so
     * that the steady window does not measure the backlog of the group's forming or of a cold JIT; gives up after
     * {@link #SETTLE_TIMEOUT} and says so.
     */
    private static void settle(OutputRecorder recorder, InputPacer pacer, int rate, Runnable check,
            Consumer<String> progress, GroupProtocol protocol) {
        long behindAllowed = rate * CAUGHT_UP.toMillis() / 1000;
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        while (pacer.sent() - recorder.distinct() >= behindAllowed) {
            if (System.nanoTime() > deadline) {
                progress.accept(String.format(Locale.ROOT, "rebalance %s: the output is still %,d records behind "
                        + "after the warm-up and %s more; measuring anyway", protocol,
                        pacer.sent() - recorder.distinct(), SETTLE_TIMEOUT));
                return;
            }
            check.run();
            Env.sleep(50);
        }
    }

    /** Waits, checking every 100 ms that everything still runs (a Timer's max is sampled there too). */
    private static void hold(Duration duration, Runnable check) {
        long until = System.nanoTime() + duration.toNanos();
        for (long left; (left = until - System.nanoTime()) > 0; ) {
            check.run();
            Env.sleep(Math.max(1, Math.min(100, TimeUnit.NANOSECONDS.toMillis(left))));
        }
    }

    private static void check(List<RunningPipeline> members, OutputRecorder recorder, InputPacer pacer) {
        for (int m = 0; m < members.size(); m++) {
            if (members.get(m).failed()) {
                throw new IllegalStateException("rebalance member " + m + " failed", members.get(m).failure());
            }
        }
        if (recorder.failure.get() != null) {
            throw new IllegalStateException("the consumer of the rebalance output failed", recorder.failure.get());
        }
        if (pacer.failure.get() != null) {
            throw new IllegalStateException("the producer of the rebalance input failed", pacer.failure.get());
        }
    }

    /** Closes the members still running at once, so that their leaves do not queue up one rebalance each. */
    private static void closeAll(List<RunningPipeline> members) {
        CompletableFuture.allOf(members.stream().map(m -> CompletableFuture.runAsync(m::close))
                .toArray(CompletableFuture[]::new)).join();
    }

    /** A record's value: the send time, the record's sequence number, padding to the value size. */
    static byte[] value(long sentNanos, long sequence, int size) {
        return ByteBuffer.allocate(Math.max(16, size)).putLong(sentNanos).putLong(sequence).array();
    }

    /** Produces {@code rate} msg/s round-robin over the partitions on its own thread until {@link #finish()}. */
    private static final class InputPacer {
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final Env env;
        private final String topic;
        private final int partitions;
        private final int rate;
        private final Thread thread;
        private volatile boolean stop;
        private volatile long sent;

        InputPacer(Env env, String topic, int partitions, int rate) {
            this.env = env;
            this.topic = topic;
            this.partitions = partitions;
            this.rate = rate;
            this.thread = new Thread(this::run, "rebalance-input");
        }

        void start() {
            thread.start();
        }

        long sent() {
            return sent;
        }

        /** Stops producing, flushes and waits for the thread. */
        void finish() {
            stop = true;
            join(thread);
        }

        private void run() {
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(env.producerProps())) {
                long start = System.nanoTime();
                long seq = 0;
                int size = env.options().valueSize();
                while (!stop) {
                    long due = (System.nanoTime() - start) * rate / 1_000_000_000L;
                    for (; seq < due; seq++) {
                        producer.send(new ProducerRecord<>(topic, (int) (seq % partitions),
                                ("k" + seq).getBytes(StandardCharsets.UTF_8), value(System.nanoTime(), seq, size)),
                                (md, e) -> {
                                    if (e != null) {
                                        failure.compareAndSet(null, e);
                                    }
                                });
                        sent = seq + 1;
                    }
                    LockSupport.parkNanos(200_000);
                }
                producer.flush();
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
            }
        }
    }

    /** Reads the output topic from the start on its own thread, recording each record's arrival. */
    private static final class OutputRecorder {
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final Env env;
        private final String topic;
        private final Longs[] byPartition;
        private final Longs sent = new Longs();
        private final Longs arrived = new Longs();
        private final BitSet seen = new BitSet();
        private final Thread thread;
        private volatile boolean stop;
        private final AtomicLong distinct = new AtomicLong();
        private final AtomicLong duplicates = new AtomicLong();
        private final AtomicInteger partitionsWithOutput = new AtomicInteger();

        OutputRecorder(Env env, String topic, int partitions) {
            this.env = env;
            this.topic = topic;
            this.byPartition = new Longs[partitions];
            Arrays.setAll(byPartition, p -> new Longs());
            this.thread = new Thread(this::run, "rebalance-output");
        }

        void start() {
            thread.start();
        }

        long distinct() {
            return distinct.get();
        }

        long duplicates() {
            return duplicates.get();
        }

        int partitionsWithOutput() {
            return partitionsWithOutput.get();
        }

        void finish() {
            stop = true;
            join(thread);
        }

        /** Returns what was recorded; call after {@link #finish()}. */
        Arrivals arrivals() {
            long[][] times = new long[byPartition.length][];
            for (int p = 0; p < times.length; p++) {
                times[p] = byPartition[p].toArray();
            }
            return new Arrivals(times, sent.toArray(), arrived.toArray());
        }

        private void run() {
            Properties props = env.consumerProps(null);
            props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5);
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
                consumer.assign(IntStream.range(0, byPartition.length).mapToObj(p -> new TopicPartition(topic, p))
                        .toList());
                consumer.seekToBeginning(consumer.assignment());
                while (!stop) {
                    ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(20));
                    // one time per poll: the records of a batch arrive together, with no gap between them
                    long now = System.nanoTime();
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        ByteBuffer value = ByteBuffer.wrap(r.value());
                        long sentAt = value.getLong();
                        int seq = Math.toIntExact(value.getLong());
                        if (byPartition[r.partition()].size() == 0) {
                            partitionsWithOutput.incrementAndGet();
                        }
                        byPartition[r.partition()].add(now);
                        sent.add(sentAt);
                        arrived.add(now);
                        if (seen.get(seq)) {
                            duplicates.incrementAndGet();
                        } else {
                            seen.set(seq);
                            distinct.incrementAndGet();
                        }
                    }
                }
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
            }
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join(DRAIN_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A growable array of longs, for one writing thread. */
    private static final class Longs {
        private long[] values = new long[1024];
        private int size;

        void add(long v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        int size() {
            return size;
        }

        long[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
