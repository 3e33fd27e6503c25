package io.kasper.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Kasper's rate over its rivals' round by round: each measured round runs every pipeline of a phase once, so the
 * ratio within a round compares pipelines that ran minutes apart at most, and the lowest one shows whether Kasper
 * led every round and not only on the medians. Thread-safe (immutable).
 *
 * @param kasper the Kasper pipeline the ratios are of
 * @param rivals what it is compared with
 * @param ratios per round, Kasper's rate over the highest rival rate of that round
 */
record RoundRatios(String kasper, Rivals rivals, List<Double> ratios) {

    /** The pipelines Kasper is compared with, as the table names them and as the JSON document does. */
    enum Rivals {
        /** The phase's hand-rolled loops. */
        BEST_HAND_ROLLED("best hand-rolled", "vsBestHandRolled"),
        /** Every pipeline of the phase that is not one of Kasper's. */
        BEST_OTHER("best other pipeline", "vsBestOther");

        private final String label;
        private final String jsonField;

        Rivals(String label, String jsonField) {
            this.label = label;
            this.jsonField = jsonField;
        }

        /** Returns the field of the JSON document's {@code kasperByRound} entry. */
        String jsonField() {
            return jsonField;
        }
    }

    RoundRatios {
        ratios = List.copyOf(ratios);
    }

    /**
     * Computes the ratios of the rounds every pipeline completed.
     *
     * @param kasper the Kasper pipeline's name
     * @param kasperRates its rate per round, in round order
     * @param rivals which pipelines {@code rivalRates} are
     * @param rivalRates each rival's rate per round, in round order
     * @return the ratios; none when there is no rival or no complete round
     */
    static RoundRatios of(String kasper, List<Double> kasperRates, Rivals rivals, List<List<Double>> rivalRates) {
        int rounds = rivalRates.isEmpty() ? 0 : kasperRates.size();
        for (List<Double> r : rivalRates) {
            rounds = Math.min(rounds, r.size());
        }
        List<Double> ratios = new ArrayList<>(rounds);
        for (int i = 0; i < rounds; i++) {
            double best = 0;
            for (List<Double> r : rivalRates) {
                best = Math.max(best, r.get(i));
            }
            ratios.add(kasperRates.get(i) / best);
        }
        return new RoundRatios(kasper, rivals, ratios);
    }

    /** Returns the lowest ratio, NaN when there is none. */
    double lowest() {
        return ratios.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    /** Returns the line of the table's footer, or an empty string when there is no ratio. */
    String text() {
        if (ratios.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s by round: x %s", kasper, rivals.label));
        for (double r : ratios) {
            sb.append(String.format(Locale.ROOT, " %.2f", r));
        }
        return sb.append(String.format(Locale.ROOT, " (lowest %.2f)%n", lowest())).toString();
    }
}
