package io.kasper.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kasper.ProcessorState;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class HealthStatusTest {

    // jackson-databind reaches this module through kasper-opensearch; declaring it here in test scope would drop it
    // from the demo jar. An independent parser proves the hand-written JSON is valid, not just what we expect.
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void runningAndReadyIsLiveAndReady() {
        HealthStatus status = new HealthStatus("word-count", ProcessorState.RUNNING, true, Optional.empty());

        assertThat(status.liveStatusCode()).isEqualTo(200);
        assertThat(status.readyStatusCode()).isEqualTo(200);
        assertThat(status.toJson()).isEqualTo("{\"processor\":\"word-count\",\"state\":\"RUNNING\",\"ready\":true}");
    }

    @Test
    void runningButNotReachingKafkaIsLiveButNotReady() {
        HealthStatus status = new HealthStatus("word-count", ProcessorState.RUNNING, false, Optional.empty());

        assertThat(status.liveStatusCode()).isEqualTo(200);
        assertThat(status.readyStatusCode()).isEqualTo(503);
        assertThat(status.toJson()).isEqualTo("{\"processor\":\"word-count\",\"state\":\"RUNNING\",\"ready\":false}");
    }

    @ParameterizedTest
    @EnumSource(value = ProcessorState.class, names = {"CREATED", "STARTING", "REBALANCING", "CLOSING", "CLOSED"})
    void everyOtherStateThatIsNotAFailureIsLiveButNotReady(ProcessorState state) throws Exception {
        // ready=true is what a reading straddling a state change could pass; outside RUNNING it must not show
        HealthStatus status = new HealthStatus("p", state, true, Optional.empty());

        assertThat(status.liveStatusCode()).isEqualTo(200);
        assertThat(status.readyStatusCode()).isEqualTo(503);
        JsonNode body = JSON.readTree(status.toJson());
        assertThat(body.get("state").asText()).isEqualTo(state.name());
        assertThat(body.get("ready").asBoolean()).isFalse();
        assertThat(body.has("failure")).isFalse();
    }

    @Test
    void failedIsNeitherLiveNorReadyAndCarriesItsMessageEscaped() throws Exception {
        String message = "batch of \"lines\"-2 failed:\n\tC:\\data\\x \u0001 end";
        HealthStatus status = new HealthStatus("p", ProcessorState.FAILED, false, Optional.of(message));

        assertThat(status.liveStatusCode()).isEqualTo(503);
        assertThat(status.readyStatusCode()).isEqualTo(503);
        assertThat(status.toJson()).isEqualTo("{\"processor\":\"p\",\"state\":\"FAILED\",\"ready\":false,"
                + "\"failure\":\"batch of \\\"lines\\\"-2 failed:\\n\\tC:\\\\data\\\\x \\u0001 end\"}");
        assertThat(JSON.readTree(status.toJson()).get("failure").asText()).isEqualTo(message);
    }

    @Test
    void aFailureIsShownOnlyInTheFailedState() {
        HealthStatus status = new HealthStatus("p", ProcessorState.CLOSING, false, Optional.of("stale"));

        assertThat(status.failure()).isEmpty();
        assertThat(status.toJson()).doesNotContain("failure");
    }

    @Test
    void theProcessorNameIsEscapedToo() throws Exception {
        HealthStatus status = new HealthStatus("a\"b\\c", ProcessorState.RUNNING, true, Optional.empty());

        assertThat(JSON.readTree(status.toJson()).get("processor").asText()).isEqualTo("a\"b\\c");
    }

    @Test
    void beforeTheProcessorExistsItIsCreatedLiveAndNotReady() {
        HealthStatus status = HealthStatus.notCreatedYet("word-count");

        assertThat(status.state()).isEqualTo(ProcessorState.CREATED);
        assertThat(status.liveStatusCode()).isEqualTo(200);
        assertThat(status.readyStatusCode()).isEqualTo(503);
    }
}
