package io.kasper.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Warms a pipeline up until its rate has settled: untimed-for-the-report rounds over a warm-up input (min(N, 100,000)
 * records), each with a fresh name and output, until two consecutive rounds' rates differ by less than
 * {@value #SETTLED_PERCENT}% of the larger, or the round cap is reached. Each round's JIT compiler CPU is recorded
 * with it: the rule looks at rates only, and the JIT does not fall silent (every round starts new clients, whose
 * start-up code it goes on compiling), so the outcome shows how much compiling each round still did.
 */
public final class WarmUp {

    /** Two consecutive rounds closer than this, in percent of the faster one, count as settled. */
    public static final int SETTLED_PERCENT = 10;

    private WarmUp() {
    }

    /**
     * How a pipeline's warm-up went.
     *
     * @param rounds the rounds run
     * @param settled whether the last two rounds were within {@value #SETTLED_PERCENT}% (false: the cap ended it)
     * @param rates each round's rate, msg/s
     * @param jit each round's CPU of the JIT compiler threads, µs per record (NaN where /proc cannot be read)
     */
    public record Outcome(int rounds, boolean settled, List<Double> rates, List<Double> jit) {
    }

    /**
     * Runs warm-up rounds of a pipeline.
     *
     * @param warm the environment whose N is the warm-up's record count
     * @param input a topic holding that many records of the pipeline's phase
     * @param cap the most rounds (at least 2)
     * @param progress receives one line per round
     */
    public static Outcome settle(Env warm, Pipeline pipeline, String input, int cap, Consumer<String> progress) {
        List<Double> rates = new ArrayList<>();
        List<Double> jit = new ArrayList<>();
        for (int round = 1; round <= cap; round++) {
            TimedRun.Result result = TimedRun.run(warm, pipeline, input, null);
            double rate = result.rate();
            rates.add(rate);
            jit.add(result.cpu().jit());
            boolean settled = round >= 2 && settled(rates.get(round - 2), rate);
            progress.accept(String.format(java.util.Locale.ROOT,
                    "warm-up %-28s round %d/%d %,12.0f msg/s  (cpu µs/record: jvm %.2f, of it jit %.2f)%s",
                    pipeline.name(), round, cap, rate, result.cpu().jvm(), result.cpu().jit(),
                    settled ? "  (settled)" : ""));
            if (settled) {
                return new Outcome(round, true, rates, jit);
            }
        }
        return new Outcome(cap, false, rates, jit);
    }

    /** Returns whether two consecutive rates differ by less than {@value #SETTLED_PERCENT}% of the larger. */
    static boolean settled(double previous, double current) {
        return Math.abs(current - previous) < SETTLED_PERCENT / 100.0 * Math.max(previous, current);
    }
}
