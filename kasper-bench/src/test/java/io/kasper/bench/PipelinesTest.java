package io.kasper.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** Unit tests of the pipeline registry ({@link Pipelines}) and its --peers selection. */
class PipelinesTest {

    @Test
    void everyPeerIsRegisteredOnceAndEachPhaseHasOneKasperPipeline() {
        assertThat(Pipelines.names()).doesNotHaveDuplicates().contains("pass-hand-rolled", "pass-hand-rolled-async",
                "pass-hand-rolled-async-os-buffer", "pass-hand-rolled-async-2-threads", "pass-kasper",
                "pass-kasper-2-members", "pass-kasper-batch-5000", "pass-kasper-traced", "pass-streams-c100",
                "pass-streams-c1000", "pass-streams-default", "pass-spring-batch", "pass-parallel-consumer",
                "pass-parallel-consumer-unordered", "agg-hand-rolled-redis", "agg-hand-rolled-redis-async",
                "agg-hand-rolled-redis-async-2-threads", "agg-kasper-redis", "agg-kasper-redis-2-members",
                "agg-streams-c100", "agg-streams-c1000", "agg-streams-default", "pass-kasper-eos", "pass-streams-eos",
                "agg-kasper-redis-eos", "agg-streams-eos");
        for (Pipeline.Phase phase : Pipeline.Phase.values()) {
            assertThat(Pipelines.of(phase, null)).filteredOn(p -> p.role() == Pipeline.Role.KASPER).hasSize(1);
        }
    }

    @Test
    void eosPeersSelectEveryExactlyOncePipelineAndKasperAtLeastOnceStillRuns() {
        Options options = Options.parse("--peers", "eos,pass-hand-rolled");

        assertThat(Pipelines.exactlyOnceNames()).containsExactly("pass-kasper-eos", "pass-streams-eos",
                "agg-kasper-redis-eos", "agg-streams-eos");
        assertThat(Pipelines.of(Pipeline.Phase.PASS, options.peers())).extracting(Pipeline::name)
                .containsExactly("pass-hand-rolled", "pass-kasper", "pass-kasper-eos", "pass-streams-eos");
        assertThat(Pipelines.of(Pipeline.Phase.STATEFUL, options.peers())).extracting(Pipeline::name)
                .containsExactly("agg-kasper-redis", "agg-kasper-redis-eos", "agg-streams-eos");
    }

    @Test
    void peersSelectPipelinesAndKasperAlwaysRuns() {
        Options options = Options.parse("--peers", "pass-hand-rolled,agg-streams-c1000");

        assertThat(Pipelines.of(Pipeline.Phase.PASS, options.peers())).extracting(Pipeline::name)
                .containsExactly("pass-hand-rolled", "pass-kasper");
        assertThat(Pipelines.of(Pipeline.Phase.STATEFUL, options.peers())).extracting(Pipeline::name)
                .containsExactly("agg-kasper-redis", "agg-streams-c1000");
        assertThat(Pipelines.of(Pipeline.Phase.PASS, Set.of())).extracting(Pipeline::name)
                .containsExactly("pass-kasper");
        assertThatThrownBy(() -> Options.parse("--peers", "pass-streams")).hasMessageContaining("--peers");
    }
}
