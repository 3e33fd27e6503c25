package io.kasper;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class TraceparentTest {

    private static final String VALID = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void acceptsVersion00WithLowerCaseHexAndNonZeroIds() {
        assertThat(Traceparent.isValid(VALID)).isTrue();
        assertThat(Traceparent.traceId(VALID)).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(Traceparent.spanId(VALID)).isEqualTo("00f067aa0ba902b7");
        assertThat(Traceparent.sampled(VALID)).isTrue();
        assertThat(Traceparent.sampled(VALID.substring(0, 53) + "00")).isFalse();
    }

    @Test
    void rejectsOtherVersionsUpperCaseZeroIdsAndWrongLengths() {
        assertThat(Traceparent.isValid(null)).isFalse();
        assertThat(Traceparent.isValid("01" + VALID.substring(2))).isFalse();
        assertThat(Traceparent.isValid(VALID.toUpperCase())).isFalse();
        assertThat(Traceparent.isValid("00-00000000000000000000000000000000-00f067aa0ba902b7-01")).isFalse();
        assertThat(Traceparent.isValid("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01")).isFalse();
        assertThat(Traceparent.isValid(VALID + "-x")).isFalse();
    }

    @Test
    void readsTheLastValidHeaderAndIgnoresAnInvalidOne() {
        RecordHeaders headers = new RecordHeaders();
        assertThat(Traceparent.read(headers)).isNull();
        headers.add(Traceparent.HEADER, VALID.getBytes(UTF_8));
        assertThat(Traceparent.read(headers)).isEqualTo(VALID);
        headers.add(Traceparent.HEADER, "garbage".getBytes(UTF_8));
        assertThat(Traceparent.read(headers)).isNull();
    }

    @Test
    void formatsAndRefusesIdsThatMakeNoValidValue() {
        assertThat(Traceparent.of("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", true)).isEqualTo(VALID);
        assertThatThrownBy(() -> Traceparent.of("abc", "00f067aa0ba902b7", false))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("trace id 'abc' and span id '00f067aa0ba902b7' make no valid W3C traceparent: they must "
                        + "be 32 and 16 lower-case hex digits, not all zero");
    }
}
