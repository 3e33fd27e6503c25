package io.kasper.internal;

import io.kasper.KasperObservations;
import io.kasper.Traceparent;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Makes the {@value KasperObservations#BATCH} and {@value KasperObservations#COMMIT} observations of one processor
 * (see {@link KasperObservations}). With a no-op registry ({@link ObservationRegistry#isNoop()}, checked once) every
 * method returns at once and nothing is allocated, so a processor without tracing pays nothing per record.
 *
 * <p>Thread-safety: not thread-safe; used by the loop thread only.
 */
final class BatchObservations {

    /** Key in a commit observation's context of the links it took, per partition number, for {@link #putBack}. */
    private static final String TAKEN_LINKS = "kasper.takenLinks";

    private final ObservationRegistry registry;
    private final boolean off;
    private final String processor;
    private final String guarantee;
    /**
     * Per partition number, the span contexts of batches released for commit and not yet linked to a commit: a commit
     * takes only those of the partition numbers it commits (a revocation commits some of them on its own).
     */
    private final Map<Integer, Set<String>> released = new TreeMap<>();

    BatchObservations(ObservationRegistry registry, String processor, String guarantee) {
        this.registry = registry;
        this.off = registry.isNoop();
        this.processor = processor;
        this.guarantee = guarantee;
    }

    /** Returns whether nothing is observed. */
    boolean isOff() {
        return off;
    }

    /**
     * Starts the observation of one attempt at a batch, linked to the trace contexts of its records.
     *
     * @param records the records of this attempt (without the ones set aside as poison)
     * @param attempt 1 for the first
     * @return the started observation, or null when off
     */
    Observation startAttempt(Batch batch, List<ConsumerRecord<byte[], byte[]>> records, int attempt) {
        if (off) {
            return null;
        }
        Set<String> links = new LinkedHashSet<>();
        int dropped = 0;
        for (ConsumerRecord<byte[], byte[]> record : records) {
            String traceparent = Traceparent.read(record.headers());
            if (traceparent != null && !links.contains(traceparent)) {
                if (links.size() < KasperObservations.MAX_LINKS) {
                    links.add(traceparent);
                } else {
                    dropped++;
                }
            }
        }
        KasperObservations.Context context = new KasperObservations.Context(new ArrayList<>(links));
        return Observation.createNotStarted(KasperObservations.BATCH, () -> context, registry)
                .contextualName("kasper.batch " + processor)
                .lowCardinalityKeyValue(KasperObservations.PROCESSOR, processor)
                .lowCardinalityKeyValue(KasperObservations.PARTITION, Integer.toString(batch.partition()))
                .highCardinalityKeyValue(KasperObservations.ATTEMPT, Integer.toString(attempt))
                .highCardinalityKeyValue(KasperObservations.SIZE, Integer.toString(records.size()))
                .highCardinalityKeyValue(KasperObservations.OFFSETS, String.valueOf(batch.offsetRanges()))
                .highCardinalityKeyValue(KasperObservations.LINKS_DROPPED, Integer.toString(dropped))
                .start();
    }

    /**
     * Returns the context of the observation's span, to write into output headers.
     *
     * @return a valid {@code traceparent}, or null when off or when no tracing handler set one
     */
    static String traceparent(Observation observation) {
        return observation == null ? null
                : ((KasperObservations.Context) observation.getContext()).traceparent();
    }

    /**
     * Stops an attempt's observation.
     *
     * @param observation what {@link #startAttempt} returned; nothing happens when null
     * @param outcome one of the {@code OUTCOME_*} values of {@link KasperObservations}
     * @param error what the attempt threw, or null
     */
    static void stop(Observation observation, String outcome, Throwable error) {
        if (observation == null) {
            return;
        }
        if (error != null) {
            observation.error(error);
        }
        observation.lowCardinalityKeyValue(KasperObservations.OUTCOME, outcome).stop();
    }

    /**
     * Remembers the span of a batch whose offsets were released, for the link of the next commit of its partition
     * number.
     */
    void released(int partition, String batchTraceparent) {
        if (batchTraceparent != null
                && released.values().stream().mapToInt(Set::size).sum() < KasperObservations.MAX_LINKS) {
            released.computeIfAbsent(partition, p -> new LinkedHashSet<>()).add(batchTraceparent);
        }
    }

    /**
     * Forgets the released batches of partition numbers this processor no longer owns: no commit of this processor
     * will carry their offsets, and their links would keep others' out once the cap is reached.
     */
    void forget(Set<Integer> partitions) {
        released.keySet().removeAll(partitions);
    }

    /**
     * Starts the observation of a commit, linked to the batches of the committed partition numbers released since
     * their last commit.
     *
     * @param offsets the offsets committed
     * @return the started observation, or null when off
     */
    Observation startCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (off) {
            return null;
        }
        List<String> links = new ArrayList<>();
        Map<Integer, Set<String>> taken = new HashMap<>();
        for (TopicPartition tp : offsets.keySet()) {
            Set<String> batches = released.remove(tp.partition());
            if (batches != null) {
                links.addAll(batches);
                taken.put(tp.partition(), batches);
            }
        }
        KasperObservations.Context context = new KasperObservations.Context(links);
        context.put(TAKEN_LINKS, taken);
        StringBuilder committed = new StringBuilder();
        offsets.forEach((tp, om) -> committed.append(committed.length() == 0 ? "" : ", ").append(tp).append('=')
                .append(om.offset()));
        return Observation.createNotStarted(KasperObservations.COMMIT, () -> context, registry)
                .contextualName("kasper.commit " + processor)
                .lowCardinalityKeyValue(KasperObservations.PROCESSOR, processor)
                .lowCardinalityKeyValue(KasperObservations.GUARANTEE, guarantee)
                .highCardinalityKeyValue(KasperObservations.COMMITTED, committed.toString())
                .start();
    }

    /**
     * Gives the links a failed commit took back to the partition numbers of the offsets to be committed again, so that
     * the commit that carries those offsets in the end links their batches.
     *
     * @param observation what {@link #startCommit} returned for the failed commit; nothing happens when null
     * @param retried the offsets the next commit retries (those of partitions revoked meanwhile left out)
     */
    void putBack(Observation observation, Map<TopicPartition, OffsetAndMetadata> retried) {
        if (observation == null) {
            return;
        }
        Map<Integer, Set<String>> taken = observation.getContext().get(TAKEN_LINKS);
        for (TopicPartition tp : retried.keySet()) {
            // removed once given back: the topic-partitions of one number share its links
            Set<String> batches = taken.remove(tp.partition());
            if (batches != null) {
                batches.forEach(batch -> released(tp.partition(), batch));
            }
        }
    }

    /**
     * Stops a commit's observation.
     *
     * @param observation what {@link #startCommit} returned; nothing happens when null
     * @param error why the commit failed, or null when the broker confirmed it
     */
    static void stopCommit(Observation observation, Throwable error) {
        stop(observation, error == null ? KasperObservations.OUTCOME_SUCCESS : KasperObservations.OUTCOME_FAILED,
                error);
    }
}
