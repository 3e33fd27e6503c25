package io.kasper.bench;

import java.util.Arrays;
import java.util.List;

/** Order statistics over measured values: median and nearest-rank percentiles. */
public final class Stats {

    private Stats() {
    }

    /** Returns the median of the values (the mean of the two middle values for an even count); NaN when empty. */
    public static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
    }

    /**
     * Returns the nearest-rank percentile of the values: the smallest value such that at least {@code p} percent of
     * the values are less than or equal to it; {@code p = 100} gives the maximum. Sorts {@code values} in place.
     *
     * @param values the values; empty gives NaN
     * @param p the percentile, in (0, 100]
     */
    public static double percentile(long[] values, double p) {
        if (p <= 0 || p > 100) {
            throw new IllegalArgumentException("percentile must be in (0, 100], was " + p);
        }
        if (values.length == 0) {
            return Double.NaN;
        }
        Arrays.sort(values);
        int rank = (int) Math.ceil(p / 100.0 * values.length);
        return values[Math.max(0, rank - 1)];
    }
}
