package io.kasper.bench;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * The output of a rebalance run as timestamps ({@link System#nanoTime()}), and the figures of the rebalance phase
 * computed from them: processing gaps, the pause beyond normal batching, the longest silence of the whole output,
 * output rates over short windows and latency percentiles.
 *
 * <p>A gap of a partition is the time between two consecutive output records of it, as they arrived at the measuring
 * consumer. A gap belongs to the window {@code (from, to]} in which it ends, that is in which the output that ends it
 * arrives: a pause caused by an event counts whole, from the last output before the event, and no gap counts in two
 * windows. A pause still going on at a window's end counts in the window in which it ends; pass
 * {@link Long#MAX_VALUE} as {@code to} for the last window, after which the input stops and the output is read to
 * its end, so that every pause has ended.
 *
 * <p>Thread-safety: immutable; every method is a pure function of the timestamps and its arguments.
 */
final class Arrivals {

    private final long[][] byPartition;
    private final long[] all;
    private final long[] sent;
    private final long[] arrived;

    /**
     * Takes the timestamps of one run (copied, then sorted per partition).
     *
     * @param byPartition for each output partition, the arrival times of its records, in any order
     * @param sent for each record received, when it was sent
     * @param arrived for the same records (same index), when it arrived
     * @throws IllegalArgumentException when {@code sent} and {@code arrived} differ in length
     */
    Arrivals(long[][] byPartition, long[] sent, long[] arrived) {
        if (sent.length != arrived.length) {
            throw new IllegalArgumentException("sent and arrived must pair up, had " + sent.length + " and "
                    + arrived.length + " times");
        }
        this.byPartition = new long[byPartition.length][];
        int total = 0;
        for (int p = 0; p < byPartition.length; p++) {
            this.byPartition[p] = byPartition[p].clone();
            Arrays.sort(this.byPartition[p]);
            total += byPartition[p].length;
        }
        this.all = new long[total];
        int at = 0;
        for (long[] times : this.byPartition) {
            System.arraycopy(times, 0, all, at, times.length);
            at += times.length;
        }
        Arrays.sort(all);
        this.sent = sent.clone();
        this.arrived = arrived.clone();
    }

    /** Returns the number of partitions. */
    int partitions() {
        return byPartition.length;
    }

    /**
     * Returns the longest gap, in ns, among the given partitions' gaps ending in {@code (from, to]}; -1 when there is
     * none (no partition given, or none of them had output there).
     */
    long maxGap(Collection<Integer> partitions, long from, long to) {
        long[] max = {-1};
        for (int p : partitions) {
            gaps(byPartition[p], from, to, gap -> max[0] = Math.max(max[0], gap));
        }
        return max[0];
    }

    /**
     * Returns the pause beyond normal batching in {@code (from, to]}: over every partition, the excess of its longest
     * gap ending in the window over {@code normal}, summed, in partition-nanoseconds (12 partitions that each stop
     * once for 1 s more than normal give 12 s). One gap per partition, so that many gaps each slightly over normal,
     * as on a busy machine, do not add up to a pause.
     */
    long pauseBeyond(long normal, long from, long to) {
        long sum = 0;
        for (int p = 0; p < byPartition.length; p++) {
            sum += Math.max(0, maxGap(List.of(p), from, to) - normal);
        }
        return sum;
    }

    /**
     * Returns the longest time, in ns, in which no partition had any output, among those ending in {@code (from, to]};
     * -1 when there is none.
     */
    long longestSilence(long from, long to) {
        long[] max = {-1};
        gaps(all, from, to, gap -> max[0] = Math.max(max[0], gap));
        return max[0];
    }

    /**
     * Returns the normal batching gap: the given percentile of every partition's gaps that lie wholly inside
     * {@code [from, to]} (a window without events), in ns; NaN when there are none. Only gaps between distinct
     * arrival times count: the records of one output batch arrive together, and their gaps of 0 would otherwise
     * outnumber the gaps between batches.
     */
    double normalGap(long from, long to, double percentile) {
        long[] inside = new long[all.length];
        int n = 0;
        for (long[] times : byPartition) {
            for (int i = 0; i + 1 < times.length; i++) {
                if (times[i] >= from && times[i + 1] <= to && times[i + 1] > times[i]) {
                    inside[n++] = times[i + 1] - times[i];
                }
            }
        }
        return Stats.percentile(Arrays.copyOf(inside, n), percentile);
    }

    /** Returns the output rate over {@code [from, to)}: records that arrived in it per second. */
    double rate(long from, long to) {
        return count(from, to) / ((to - from) / 1e9);
    }

    /**
     * Returns the lowest output rate, in records per second, over the consecutive windows of {@code window} ns that
     * fit in {@code [from, to)} starting at {@code from}; NaN when none fits.
     */
    double minRate(long from, long to, long window) {
        double min = Double.NaN;
        for (long start = from; start + window <= to; start += window) {
            double rate = rate(start, start + window);
            min = Double.isNaN(min) ? rate : Math.min(min, rate);
        }
        return min;
    }

    /**
     * Returns the given percentile of the end-to-end latency (arrival minus send), in ns, of the records sent in
     * {@code [from, to)}, wherever they arrived; NaN when none was sent then.
     */
    double latency(long from, long to, double percentile) {
        long[] latencies = new long[sent.length];
        int n = 0;
        for (int i = 0; i < sent.length; i++) {
            if (sent[i] >= from && sent[i] < to) {
                latencies[n++] = arrived[i] - sent[i];
            }
        }
        return Stats.percentile(Arrays.copyOf(latencies, n), percentile);
    }

    private long count(long from, long to) {
        return lowerBound(all, to) - lowerBound(all, from);
    }

    /** Returns the index of the first time not below {@code t}. */
    private static int lowerBound(long[] sorted, long t) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Passes each gap of the sorted times that ends in {@code (from, to]}. */
    private static void gaps(long[] times, long from, long to, LongConsumer gap) {
        for (int i = 0; i + 1 < times.length; i++) {
            if (times[i + 1] > from && times[i + 1] <= to) {
                gap.accept(times[i + 1] - times[i]);
            }
        }
    }
}
