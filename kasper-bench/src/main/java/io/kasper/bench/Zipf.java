package io.kasper.bench;

import java.util.Random;

/** Draws ranks 0..n-1 with Zipf probabilities (rank k weighs 1/(k+1)^s), deterministically from a seed. */
public final class Zipf {

    private final double[] cumulative;
    private final Random random;

    /**
     * Creates a generator.
     *
     * @param n the number of ranks, at least 1
     * @param exponent the Zipf exponent s, at least 0 (0 is uniform)
     * @param seed the seed: the same seed gives the same sequence
     */
    public Zipf(int n, double exponent, long seed) {
        if (n < 1 || exponent < 0) {
            throw new IllegalArgumentException("need n >= 1 and exponent >= 0, got " + n + ", " + exponent);
        }
        cumulative = new double[n];
        double total = 0;
        for (int k = 0; k < n; k++) {
            total += 1.0 / Math.pow(k + 1, exponent);
            cumulative[k] = total;
        }
        for (int k = 0; k < n; k++) {
            cumulative[k] /= total;
        }
        cumulative[n - 1] = 1.0;
        random = new Random(seed);
    }

    /** Returns the next rank, 0 being the most frequent. */
    public int next() {
        double u = random.nextDouble();
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] < u) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
