package io.kasper.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kasper.GroupProtocol;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Unit tests of the rebalance figures in {@link Report}'s text table and JSON. */
class RebalanceTableTest {

    private static final RebalanceRun.Window JOIN = new RebalanceRun.Window("join", List.of(3, 7),
            List.of(0, 1, 2, 4, 5, 6, 8, 9, 10, 11), 80.4, 912.5, 1_700.0, 40.0, 2_500.0, 0.5, 612.25, 930.0);
    private static final RebalanceRun.Window STEADY = new RebalanceRun.Window("steady", List.of(),
            List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), 75.0, Double.NaN, 0.0, 30.0, 4_900.0, 0.98, 90.0, 120.0);

    @Test
    void bothProtocolsAppearInTheTableAndTheJsonWithTheSameFigures() throws Exception {
        Report report = new Report(Options.parse("--rebalance-rate", "5000", "--rebalance-seconds", "10"));
        report.rebalance(new RebalanceRun.Result(GroupProtocol.CLASSIC, 5_000.0, 70.0, 0.0, 200_000, 0,
                List.of(STEADY, JOIN)));
        report.rebalance(new RebalanceRun.Result(GroupProtocol.CONSUMER, 5_000.0, 70.0, Double.NaN, 200_000, 3,
                List.of(STEADY, JOIN)));

        String table = report.table();
        assertThat(table).contains("windows of 10 s").containsPattern(
                "CLASSIC +join +2/12 +80 +913 +1,700 +40 +2,500 +0.50 +612.3 +930.0\n");
        assertThat(table).containsPattern("CONSUMER +steady +0/12 +75 +- +0 ");
        assertThat(table).contains("CONSUMER: steady output 5,000 msg/s, normal gap (p99 of the steady gaps) 70 ms, "
                + "kasper.partition.incomplete max - ms, 200,000 records, 3 duplicates");

        JsonNode json = new ObjectMapper().readTree(report.json()).path("rebalance");
        assertThat(json.path("rate").asInt()).isEqualTo(5000);
        assertThat(json.path("rateWindowMs").asInt()).isEqualTo(500);
        JsonNode join = json.path("CLASSIC").path("windows").path("join");
        assertThat(join.path("moved").toString()).isEqualTo("[3,7]");
        assertThat(join.path("movedMaxGapMs").asDouble()).isEqualTo(912.5);
        assertThat(join.path("p99Ms").asDouble()).isEqualTo(612.25);
        assertThat(json.path("CONSUMER").path("windows").path("steady").path("movedMaxGapMs").isNull()).isTrue();
        assertThat(json.path("CONSUMER").path("incompleteMaxMs").isNull()).isTrue();
        assertThat(json.path("CONSUMER").path("duplicates").asLong()).isEqualTo(3);
    }

    @Test
    void withoutRebalancesNeitherTheTableNorTheJsonHasTheSection() throws Exception {
        Report report = new Report(Options.parse());

        assertThat(report.table()).doesNotContain("rebalances:");
        assertThat(new ObjectMapper().readTree(report.json()).has("rebalance")).isFalse();
    }
}
