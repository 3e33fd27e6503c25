package io.kasper.bench;

import java.util.List;
import java.util.Locale;

/**
 * Kasper's rate over its rivals' round by round: each measured round runs every pipeline of a phase once, so the
 * ratio within a round compares pipelines that ran minutes apart at most, and the lowest one shows whether Kasper
 * led every round and not only on the medians. Stateless, thread-safe.
 *
 * @param kasper the Kasper pipeline the ratios are of
 * @param rivals what it is compared with (e.g. "best hand-rolled")
 * @param ratios per round, Kasper's rate over the highest rival rate of that round
 */
record RoundRatios(String kasper, String rivals, double[] ratios) {

    /**
     * Computes the ratios of the rounds every pipeline completed.
     *
     * @param kasper the Kasper pipeline's name
     * @param kasperRates its rate per round, in round order
     * @param rivals a name for the rivals
     * @param rivalRates each rival's rate per round, in round order
     * @return the ratios; none when there is no rival or no complete round
     */
    static RoundRatios of(String kasper, List<Double> kasperRates, String rivals, List<List<Double>> rivalRates) {
        int rounds = rivalRates.isEmpty() ? 0 : kasperRates.size();
        for (List<Double> r : rivalRates) {
            rounds = Math.min(rounds, r.size());
        }
        double[] ratios = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            double best = 0;
            for (List<Double> r : rivalRates) {
                best = Math.max(best, r.get(i));
            }
            ratios[i] = kasperRates.get(i) / best;
        }
        return new RoundRatios(kasper, rivals, ratios);
    }

    /** Returns the lowest ratio, NaN when there is none. */
    double lowest() {
        double lowest = Double.NaN;
        for (double r : ratios) {
            lowest = Double.isNaN(lowest) ? r : Math.min(lowest, r);
        }
        return lowest;
    }

    /** Returns the line of the table's footer, or an empty string when there is no ratio. */
    String text() {
        if (ratios.length == 0) {
            return "";
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s by round: x %s", kasper, rivals));
        for (double r : ratios) {
            sb.append(String.format(Locale.ROOT, " %.2f", r));
        }
        return sb.append(String.format(Locale.ROOT, " (lowest %.2f)%n", lowest())).toString();
    }
}
