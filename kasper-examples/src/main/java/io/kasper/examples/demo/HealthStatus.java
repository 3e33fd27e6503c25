package io.kasper.examples.demo;

import io.kasper.KasperException;
import io.kasper.ProcessorState;
import io.kasper.TopicProcessor;
import java.net.HttpURLConnection;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One reading of a topic processor's health, as the demo's {@code /health/live} and {@code /health/ready} answer it:
 * the HTTP status of each probe and the JSON body both return.
 *
 * <p>Live is 200 unless the processor {@link ProcessorState#FAILED} (a closed processor did not fail, so the process
 * is still healthy); ready is 200 only when the processor is ready. Thread-safety: immutable.
 *
 * @param processor the topic processor's name
 * @param state its lifecycle state
 * @param ready whether it is ready; only ever true in {@link ProcessorState#RUNNING}
 * @param failure the message of the failure that stopped it, present only in {@link ProcessorState#FAILED}
 */
record HealthStatus(String processor, ProcessorState state, boolean ready, Optional<String> failure) {

    private static final int OK = HttpURLConnection.HTTP_OK;
    private static final int UNAVAILABLE = HttpURLConnection.HTTP_UNAVAILABLE;

    HealthStatus {
        Objects.requireNonNull(processor, "processor");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(failure, "failure");
        // a body saying "ready" next to another state, or a failure of a processor that did not fail, would
        // contradict itself; the reading is built from separate calls that may straddle a state change
        ready = ready && state == ProcessorState.RUNNING;
        failure = state == ProcessorState.FAILED ? failure : Optional.empty();
    }

    /**
     * Reads the health of a processor that does not exist yet (the demo is still starting its cluster and producing
     * the input): {@link ProcessorState#CREATED}, not ready.
     *
     * @param processor the name the processor will have
     * @return the reading
     */
    static HealthStatus notCreatedYet(String processor) {
        return new HealthStatus(processor, ProcessorState.CREATED, false, Optional.empty());
    }

    /**
     * Reads the current health of a processor.
     *
     * @param processor the processor; its health methods are safe from any thread
     * @return the reading
     */
    static HealthStatus of(TopicProcessor processor) {
        ProcessorState state = processor.state();
        boolean ready = processor.isReady();
        Optional<String> failure = processor.failure().map(HealthStatus::describe);
        return new HealthStatus(processor.config().topicProcessorName(), state, ready, failure);
    }

    private static String describe(KasperException failure) {
        // some exceptions have no message; their type still tells an operator more than nothing
        return failure.getMessage() != null ? failure.getMessage() : failure.getClass().getName();
    }

    /** Returns the HTTP status of the liveness probe: 200 unless the processor failed, then 503. */
    int liveStatusCode() {
        return state == ProcessorState.FAILED ? UNAVAILABLE : OK;
    }

    /** Returns the HTTP status of the readiness probe: 200 when the processor is ready, else 503. */
    int readyStatusCode() {
        return ready ? OK : UNAVAILABLE;
    }

    /**
     * Returns the JSON body, e.g. {@code {"processor":"p","state":"RUNNING","ready":true}}, with a
     * {@code "failure"} member when the processor failed.
     */
    String toJson() {
        StringBuilder json = new StringBuilder(96).append('{');
        appendString(json.append("\"processor\":"), processor);
        appendString(json.append(",\"state\":"), state.name());
        json.append(",\"ready\":").append(ready);
        failure.ifPresent(message -> appendString(json.append(",\"failure\":"), message));
        return json.append('}').toString();
    }

    /** Appends {@code value} as a JSON string: quoted, with quotes, backslashes and control characters escaped. */
    static void appendString(StringBuilder json, String value) {
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                case '\b' -> json.append("\\b");
                case '\f' -> json.append("\\f");
                default -> {
                    if (c < 0x20) {
                        // JSON allows no raw control character inside a string
                        json.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
