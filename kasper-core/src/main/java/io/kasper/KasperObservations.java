package io.kasper;

import io.micrometer.observation.Observation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The names and keys of the observations a {@link TopicProcessor} makes when its config has an
 * {@link TopicProcessorConfig.Builder#observationRegistry observationRegistry}; with a tracing handler each becomes a
 * span.
 *
 * <ul>
 *   <li>{@value #BATCH}: one per attempt at processing a batch, from the first {@code process} call of the attempt
 *       until its output is handed to the producer (or the attempt fails, with the error). Low-cardinality keys
 *       {@value #PROCESSOR}, {@value #PARTITION}, {@value #OUTCOME}; high-cardinality {@value #ATTEMPT} (1 for the
 *       first), {@value #SIZE} (records of the batch) and {@value #OFFSETS}. It links to the trace contexts
 *       ({@value Traceparent#HEADER} headers) of its input records, at most {@value #MAX_LINKS} distinct ones; the
 *       number left out is the high-cardinality key {@value #LINKS_DROPPED}.</li>
 *   <li>{@value #COMMIT}: one per commit, from the moment the offsets of batches whose output is acknowledged are
 *       handed to the broker (under exactly-once: the transaction's commit, which also makes its output visible)
 *       until the broker confirmed it: the end of the span is when the output became durable and the input counts as
 *       done. Keys {@value #PROCESSOR}, {@value #GUARANTEE}, {@value #OUTCOME} and high-cardinality
 *       {@value #COMMITTED} (the offsets). It links to the {@value #BATCH} spans of the batches it commits, at most
 *       {@value #MAX_LINKS}.</li>
 * </ul>
 *
 * <p>Both are roots, not children of the input records' traces: a batch has many input records, and links lead from
 * each of them to the batch that handled it. Output records sent through the {@link Sender} carry the batch span's
 * context as their {@value Traceparent#HEADER} header unless the processor set one; dead-letter copies keep the
 * original record's {@value Traceparent#HEADER} and get the batch's as {@value #BATCH_TRACEPARENT_HEADER}.
 *
 * <p>Micrometer's Observation API has no links: the contexts are {@link Context}s that carry them, and
 * {@code kasper-tracing}'s {@code KasperTracingObservationHandler} turns them into span links (a plain Micrometer
 * Tracing handler makes spans without links and without output headers).
 *
 * <p>Thread-safety: constants only.
 */
public final class KasperObservations {

    /** The observation of one attempt at a batch. */
    public static final String BATCH = "kasper.batch";
    /** The observation of one commit. */
    public static final String COMMIT = "kasper.commit";

    /** Key: the processor's name. */
    public static final String PROCESSOR = "kasper.processor";
    /** Key: the partition number of the batch. */
    public static final String PARTITION = "kasper.partition";
    /** Key: how the attempt or commit ended, one of the {@code OUTCOME_*} values. */
    public static final String OUTCOME = "kasper.outcome";
    /** Key: the attempt number, 1 for the first. */
    public static final String ATTEMPT = "kasper.attempt";
    /** Key: the number of records of the batch. */
    public static final String SIZE = "kasper.batch.size";
    /** Key: the input offsets of the batch, {@code topic-partition@first..last} per topic. */
    public static final String OFFSETS = "kasper.batch.offsets";
    /** Key: how many distinct input trace contexts were not linked ({@link #MAX_LINKS}). */
    public static final String LINKS_DROPPED = "kasper.links.dropped";
    /** Key: the processing guarantee of the commit. */
    public static final String GUARANTEE = "kasper.guarantee";
    /** Key: the committed offsets, {@code topic-partition=offset}. */
    public static final String COMMITTED = "kasper.committed";

    /** Outcome: the attempt's output was handed to the producer, or the commit was confirmed. */
    public static final String OUTCOME_SUCCESS = "success";
    /** Outcome: the attempt failed with a transient error and the batch is tried again after a pause. */
    public static final String OUTCOME_RETRY = "retry";
    /** Outcome: the attempt named poison records; the batch is tried again without them. */
    public static final String OUTCOME_POISON = "poison";
    /** Outcome: the batch (or commit) failed for good. */
    public static final String OUTCOME_FAILED = "failed";
    /** Outcome: under exactly-once the transaction is aborted and the batch processed again from its offset. */
    public static final String OUTCOME_ABORTED = "aborted";
    /** Outcome: the processor was asked to stop while the batch waited to be retried; it is processed again later. */
    public static final String OUTCOME_STOPPED = "stopped";

    /** The most links a span gets; a batch of thousands of traced records links to the first distinct ones. */
    public static final int MAX_LINKS = 128;

    /** The header of a dead-letter copy that carries the context of the batch that set it aside. */
    public static final String BATCH_TRACEPARENT_HEADER = "kasper-batch-traceparent";

    private KasperObservations() {
    }

    /**
     * The context of a {@value #BATCH} or {@value #COMMIT} observation: the trace contexts to link, and the
     * {@value Traceparent#HEADER} of the span made of it, which a tracing handler sets on start so that Kasper can
     * write it into output headers.
     *
     * <p>Thread-safety: not thread-safe; used by the processor's loop thread (and the handlers it calls).
     */
    public static final class Context extends Observation.Context {

        private final List<String> links;
        private String traceparent;

        /**
         * Creates a context.
         *
         * @param links valid {@value Traceparent#HEADER} values to link, at most {@link #MAX_LINKS}
         */
        public Context(List<String> links) {
            this.links = Collections.unmodifiableList(new ArrayList<>(links));
        }

        /**
         * Returns the trace contexts the span links to.
         *
         * @return valid {@value Traceparent#HEADER} values, distinct, at most {@link #MAX_LINKS}
         */
        public List<String> links() {
            return links;
        }

        /**
         * Returns the span's own context as set by a tracing handler.
         *
         * @return a valid {@value Traceparent#HEADER} value, or null when no handler set one
         */
        public String traceparent() {
            return traceparent;
        }

        /**
         * Sets the span's own context; called by a tracing handler when it starts the span.
         *
         * @param traceparent a valid {@value Traceparent#HEADER} value
         * @throws IllegalArgumentException when it is not a valid value
         */
        public void traceparent(String traceparent) {
            if (!Traceparent.isValid(traceparent)) {
                throw new IllegalArgumentException("'" + traceparent + "' is no valid W3C traceparent "
                        + "(00-<32 hex>-<16 hex>-<2 hex>)");
            }
            this.traceparent = traceparent;
        }
    }
}
