package io.kasper;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Reads and writes W3C Trace Context {@code traceparent} values
 * ({@code 00-<32 hex trace id>-<16 hex span id>-<2 hex flags>}), the form in which Kasper reads the trace contexts
 * of input records and writes the batch's context into output headers. Kasper depends on no tracer: this is all of
 * the format it needs.
 *
 * <p>Thread-safety: stateless, so thread-safe.
 */
public final class Traceparent {

    /** The W3C header name, {@value}. */
    public static final String HEADER = "traceparent";

    private static final int LENGTH = 55;
    private static final String INVALID_TRACE_ID = "00000000000000000000000000000000";
    private static final String INVALID_SPAN_ID = "0000000000000000";

    private Traceparent() {
    }

    /**
     * Returns the last {@value #HEADER} header of {@code headers} when it is a valid version-00 value, else null.
     *
     * @param headers the headers of a record
     * @return the valid value, or null when the record carries none (or an invalid one)
     */
    public static String read(Headers headers) {
        Header header = headers.lastHeader(HEADER);
        if (header == null || header.value() == null || header.value().length != LENGTH) {
            return null;
        }
        String value = new String(header.value(), StandardCharsets.US_ASCII);
        return isValid(value) ? value : null;
    }

    /**
     * Returns whether {@code value} is a valid version-00 {@code traceparent}: lower-case hex fields of the right
     * lengths, and trace and span ids that are not all zeros.
     *
     * @param value the value, may be null
     * @return whether it is valid
     */
    public static boolean isValid(String value) {
        if (value == null || value.length() != LENGTH || !value.startsWith("00-") || value.charAt(35) != '-'
                || value.charAt(52) != '-') {
            return false;
        }
        return isHex(value, 3, 35) && isHex(value, 36, 52) && isHex(value, 53, 55)
                && !value.regionMatches(3, INVALID_TRACE_ID, 0, 32)
                && !value.regionMatches(36, INVALID_SPAN_ID, 0, 16);
    }

    /**
     * Formats a {@code traceparent} value.
     *
     * @param traceId 32 lower-case hex digits
     * @param spanId 16 lower-case hex digits
     * @param sampled the sampled flag
     * @return the value
     * @throws IllegalArgumentException when the ids do not make a valid value
     */
    public static String of(String traceId, String spanId, boolean sampled) {
        String value = "00-" + traceId + "-" + spanId + (sampled ? "-01" : "-00");
        if (!isValid(value)) {
            throw new IllegalArgumentException("trace id '" + traceId + "' and span id '" + spanId
                    + "' make no valid W3C traceparent: they must be 32 and 16 lower-case hex digits, not all zero");
        }
        return value;
    }

    /**
     * Returns the trace id of a valid value.
     *
     * @param traceparent a value {@link #isValid(String) valid}
     * @return its 32 hex digits of trace id
     */
    public static String traceId(String traceparent) {
        return traceparent.substring(3, 35);
    }

    /**
     * Returns the span id of a valid value.
     *
     * @param traceparent a value {@link #isValid(String) valid}
     * @return its 16 hex digits of span id
     */
    public static String spanId(String traceparent) {
        return traceparent.substring(36, 52);
    }

    /**
     * Returns the sampled flag of a valid value.
     *
     * @param traceparent a value {@link #isValid(String) valid}
     * @return whether its sampled flag is set
     */
    public static boolean sampled(String traceparent) {
        return (Character.digit(traceparent.charAt(54), 16) & 1) == 1;
    }

    private static boolean isHex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }
}
