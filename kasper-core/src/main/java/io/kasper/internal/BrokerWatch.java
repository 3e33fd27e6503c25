package io.kasper.internal;

import io.kasper.KasperException;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Notices when the Kafka cluster stops answering and fails the processor once it has not answered for the
 * {@code brokerOutageTimeout}. Every answer the loop sees anyway (records fetched, output acknowledged, a commit
 * accepted) counts as contact; after a short silence the watch asks a broker itself, for the end offsets of a few
 * partitions, so that an idle processor notices an outage too. As the loop's {@link OutageBudget} it also bounds
 * each {@code Sender.flush()}: a flush waits at most what is left of the outage timeout, and one that waits in vain
 * counts as silence.
 *
 * <p>Thread-safety: not thread-safe; used by the loop thread.
 */
final class BrokerWatch implements OutageBudget {

    /** Silence after which the watch asks a broker itself; also the spacing of those questions. */
    static final long PROBE_AFTER_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** Longest the loop thread blocks on one question. */
    private static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);

    private final ProcessorLogContext context;
    private final ProcessorLogger log;
    private final String bootstrapServers;
    private final Duration outageTimeout;
    private final ProcessorStatus status;
    private long lastContactNanos;
    private long lastProbeNanos;
    private long silentSinceNanos = -1;
    private boolean outageDeclared;

    BrokerWatch(ProcessorLogContext context, String bootstrapServers, Duration outageTimeout, ProcessorStatus status,
            long nowNanos) {
        this.context = context;
        this.log = context.logger(BrokerWatch.class);
        this.bootstrapServers = bootstrapServers;
        this.outageTimeout = outageTimeout;
        this.status = status;
        this.lastContactNanos = nowNanos;
        this.lastProbeNanos = nowNanos;
    }

    /** Records that the cluster answered. */
    void contact(long nowNanos) {
        lastContactNanos = nowNanos;
        if (silentSinceNanos >= 0) {
            log.info("the Kafka cluster answers again after {} ms",
                    TimeUnit.NANOSECONDS.toMillis(nowNanos - silentSinceNanos));
            silentSinceNanos = -1;
        }
        status.brokerUnreachable(false);
    }

    /** Records that a request to the cluster failed (not an answer: the silence goes on). */
    void failedRequest() {
        unreachable();
    }

    /**
     * Asks a broker for end offsets when the cluster has been silent for a while, and fails once the silence
     * exceeds the outage timeout.
     *
     * @param consumer the loop's consumer
     * @param partitions supplies the partitions to ask about (any partitions of the input topics); called only when
     *     the watch asks
     * @param nowNanos the loop's clock
     * @throws KasperException when no broker has answered for the outage timeout
     */
    void check(Consumer<?, ?> consumer, Supplier<Collection<TopicPartition>> partitions, long nowNanos) {
        if (nowNanos - lastContactNanos < PROBE_AFTER_NANOS || nowNanos - lastProbeNanos < PROBE_AFTER_NANOS) {
            return;
        }
        lastProbeNanos = nowNanos;
        try {
            consumer.endOffsets(partitions.get(), PROBE_TIMEOUT);
            contact(nowNanos);
            return;
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            unreachable();
        }
        long silentNanos = nowNanos - lastContactNanos;
        if (silentNanos >= outageTimeout.toNanos()) {
            outageDeclared = true;
            throw new KasperException(context.message("no Kafka broker of '" + bootstrapServers
                    + "' has answered for " + TimeUnit.NANOSECONDS.toMillis(silentNanos)
                    + " ms (errorPolicy brokerOutageTimeout " + outageTimeout + "); stopping. Input whose output "
                    + "is not acknowledged stays uncommitted and is processed again after a restart"));
        }
    }

    /**
     * Returns the outage timeout from now while the cluster answers; once it is silent, what is left of the timeout
     * since its last answer, but at least the time of one question to a broker, as {@link #check} grants too.
     */
    @Override
    public long waitDeadline(long nowNanos) {
        if (!isUnreachable()) {
            return nowNanos + outageTimeout.toNanos();
        }
        return Math.max(lastContactNanos + outageTimeout.toNanos(), nowNanos + PROBE_TIMEOUT.toNanos());
    }

    @Override
    public void blocking(long nowNanos) {
        status.blocking(nowNanos);
    }

    @Override
    public void unblocked() {
        status.unblocked();
    }

    @Override
    public void answered(long nowNanos) {
        contact(nowNanos);
    }

    @Override
    public void unanswered(long nowNanos) {
        unreachable();
    }

    @Override
    public boolean isSpent(long nowNanos) {
        return isUnreachable() && nowNanos - lastContactNanos >= outageTimeout.toNanos();
    }

    @Override
    public KasperException outage(String what, long nowNanos) {
        outageDeclared = true;
        return new KasperException(context.message(what + " was not acknowledged, and "
                + "the Kafka cluster at '" + bootstrapServers + "' has acknowledged nothing for "
                + TimeUnit.NANOSECONDS.toMillis(nowNanos - lastContactNanos) + " ms (errorPolicy brokerOutageTimeout "
                + outageTimeout + "); stopping. Input whose output is not acknowledged stays uncommitted and is "
                + "processed again after a restart"));
    }

    /** Returns whether the cluster is currently believed unreachable (a request failed, or a probe went unanswered). */
    boolean isUnreachable() {
        return silentSinceNanos >= 0;
    }

    /**
     * Returns whether the processor stops on a broker outage, so that waiting for acknowledgements or a final commit
     * would only delay the failure: {@link #check} or a flush declared one (the silence reached the outage timeout),
     * or {@code failure} was caused by a Kafka timeout (output gives up after the same timeout) while the cluster does
     * not answer: a request failed, or nothing has answered for half the outage timeout (the loop may have been
     * blocked in a producer {@code send} all along, with no chance to notice the silence itself). One failed request,
     * or a timeout while the cluster answers, is no such proof.
     *
     * @param failure what stops the processor, or null when it was asked to stop
     * @param nowNanos the loop's clock
     */
    boolean isOutage(Throwable failure, long nowNanos) {
        if (outageDeclared) {
            return true;
        }
        if (!isUnreachable() && nowNanos - lastContactNanos < outageTimeout.toNanos() / 2) {
            return false;
        }
        return KasperException.causeChain(failure).stream()
                .anyMatch(org.apache.kafka.common.errors.TimeoutException.class::isInstance);
    }

    private void unreachable() {
        if (silentSinceNanos < 0) {
            silentSinceNanos = lastContactNanos;
            log.warn("the Kafka cluster at '{}' does not answer; riding it out for up to {} "
                    + "(errorPolicy brokerOutageTimeout)", bootstrapServers, outageTimeout);
        }
        status.brokerUnreachable(true);
    }
}
