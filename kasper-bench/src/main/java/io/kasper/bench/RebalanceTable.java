package io.kasper.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Renders the rebalance phase's results as text and as JSON from one list of columns, so that both always show the
 * same figures.
 *
 * <p>Thread-safety: stateless.
 */
final class RebalanceTable {

    /** A figure of a window: its header in the text table, its field in the JSON, its text format. */
    private record Column(String header, String field, String format, ToDoubleFunction<RebalanceRun.Window> value) {
    }

    private static final List<Column> COLUMNS = List.of(
            new Column("gap not moved ms", "notMovedMaxGapMs", "%,.0f", RebalanceRun.Window::notMovedMaxGapMs),
            new Column("gap moved ms", "movedMaxGapMs", "%,.0f", RebalanceRun.Window::movedMaxGapMs),
            new Column("pause partition-ms", "pauseMs", "%,.0f", RebalanceRun.Window::pauseMs),
            new Column("no output ms", "noOutputMs", "%,.0f", RebalanceRun.Window::silenceMs),
            new Column("min msg/s per 500ms", "minMsgPerSec", "%,.0f", RebalanceRun.Window::minRate),
            new Column("x steady", "dip", "%.2f", RebalanceRun.Window::dip),
            new Column("p99 ms", "p99Ms", "%,.1f", RebalanceRun.Window::p99Ms),
            new Column("max ms", "maxMs", "%,.1f", RebalanceRun.Window::maxMs));

    private RebalanceTable() {
    }

    /** Returns the text table of the results, empty when there are none. */
    static String text(Options options, List<RebalanceRun.Result> results) {
        if (results.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%nrebalances: %d group-managed Kasper pass-through members over %d "
                + "partitions at %,d msg/s (batchWaitDuration %d ms); windows of %d s: steady, after a 4th member "
                + "joined, after one left (close)%n", RebalanceRun.MEMBERS, options.partitions(),
                options.rebalanceRate(), KasperPipe.BATCH_WAIT.toMillis(), options.rebalanceSeconds()));
        sb.append(String.format(Locale.ROOT, "%-9s %-7s %6s", "protocol", "window", "moved"));
        for (Column c : COLUMNS) {
            sb.append(' ').append(c.header());
        }
        sb.append('\n');
        for (RebalanceRun.Result r : results) {
            for (RebalanceRun.Window w : r.windows()) {
                sb.append(String.format(Locale.ROOT, "%-9s %-7s %6s", r.protocol(), w.name(),
                        w.moved().size() + "/" + (w.moved().size() + w.notMoved().size())));
                for (Column c : COLUMNS) {
                    double v = c.value().applyAsDouble(w);
                    String cell = Double.isNaN(v) ? "-" : String.format(Locale.ROOT, c.format(), v);
                    sb.append(' ').append(String.format(Locale.ROOT, "%" + c.header().length() + "s", cell));
                }
                sb.append('\n');
            }
        }
        for (RebalanceRun.Result r : results) {
            sb.append(String.format(Locale.ROOT, "%s: steady output %,.0f msg/s, normal gap (p%.0f of the steady "
                    + "gaps) %,.0f ms, kasper.partition.incomplete max %s ms, %,d records, %,d duplicates%n",
                    r.protocol(), r.steadyRate(), RebalanceRun.NORMAL_GAP_PERCENTILE, r.normalGapMs(),
                    Double.isNaN(r.incompleteMaxMs()) ? "-"
                            : String.format(Locale.ROOT, "%,.1f", r.incompleteMaxMs()), r.records(),
                    r.duplicates()));
        }
        sb.append("moved: partition numbers whose owner at the window's end was not the one at its start; gap: "
                + "longest time between two consecutive outputs of a partition, ending in the window, among those not "
                + "moved / moved;\npause: sum over partitions of their longest gap's excess over the normal gap; no "
                + "output: longest time no partition had output; min msg/s: lowest output rate over 500 ms windows, "
                + "x steady = that over the steady rate;\np99/max: end-to-end latency of the records sent in the "
                + "window\n");
        return sb.toString();
    }

    /** Fills {@code node} with the results: the settings, then per protocol its figures and windows. */
    static void json(ObjectNode node, Options options, List<RebalanceRun.Result> results) {
        node.put("members", RebalanceRun.MEMBERS).put("partitions", options.partitions())
                .put("rate", options.rebalanceRate()).put("seconds", options.rebalanceSeconds())
                .put("rateWindowMs", RebalanceRun.RATE_WINDOW.toMillis());
        for (RebalanceRun.Result r : results) {
            ObjectNode protocol = node.putObject(r.protocol().name());
            Report.num(protocol, "steadyMsgPerSec", r.steadyRate());
            Report.num(protocol, "normalGapMs", r.normalGapMs());
            Report.num(protocol, "incompleteMaxMs", r.incompleteMaxMs());
            protocol.put("records", r.records()).put("duplicates", r.duplicates());
            ObjectNode windows = protocol.putObject("windows");
            for (RebalanceRun.Window w : r.windows()) {
                ObjectNode window = windows.putObject(w.name());
                ArrayNode moved = window.putArray("moved");
                w.moved().forEach(moved::add);
                for (Column c : COLUMNS) {
                    Report.num(window, c.field(), c.value().applyAsDouble(w));
                }
            }
        }
    }
}
