package io.kasper.opensearch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which failures of an OpenSearch exchange are transient. */
class OpenSearchFailuresTest {

    @Test
    void ioFailuresOfTheExchangeAreTransient() {
        assertThat(OpenSearchFailures.isTransient(new ConnectException("Connection refused"))).isTrue();
        assertThat(OpenSearchFailures.isTransient(new HttpConnectTimeoutException("connect timed out"))).isTrue();
        assertThat(OpenSearchFailures.isTransient(new HttpTimeoutException("request timed out"))).isTrue();
        assertThat(OpenSearchFailures.isTransient(new IOException("Connection reset"))).isTrue();
    }

    @Test
    void jacksonFailuresAndOtherExceptionsAreNot() {
        assertThat(OpenSearchFailures.isTransient(new JsonParseException((JsonParser) null, "Unexpected character")))
                .as("an IOException, but a body that cannot be parsed").isFalse();
        // the wrapper is not transient by itself: the store's rule is asked about its cause in turn
        assertThat(OpenSearchFailures.isTransient(new UncheckedIOException(new ConnectException()))).isFalse();
        assertThat(OpenSearchFailures.isTransient(new IllegalArgumentException("bad key"))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(ints = {429, 502, 503, 504})
    void overloadAndUnavailabilityStatusesAreTransient(int status) {
        assertThat(OpenSearchFailures.isTransientStatus(status)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 409, 413, 500})
    void requestPermissionAndServerErrorStatusesAreNot(int status) {
        assertThat(OpenSearchFailures.isTransientStatus(status)).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
            "429, es_rejected_execution_exception, true",
            "429, circuit_breaking_exception, true",
            "503, unavailable_shards_exception, true",
            "0, no_shard_available_action_exception, true",
            "0, es_rejected_execution_exception, true",
            "403, cluster_block_exception, false",
            "400, mapper_parsing_exception, false",
            "400, illegal_argument_exception, false",
            "0, illegal_argument_exception, false"})
    void itemErrorsAreTransientByStatusOrType(int status, String type, boolean transientError) {
        assertThat(OpenSearchFailures.isTransientItemError(status, type)).isEqualTo(transientError);
    }
}
