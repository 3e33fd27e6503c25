package io.kasper.internal;

import io.kasper.KasperException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.FencedMemberEpochException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.IllegalGenerationException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.StaleMemberEpochException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.apache.kafka.common.errors.UnreleasedInstanceIdException;

/**
 * Decides what a failed offset commit means for the processor, and paces the attempts.
 *
 * <ul>
 *   <li>{@link Kind#RETRIABLE} (coordinator moving, loading or unavailable, timeouts, disconnects: Kafka's
 *       {@link RetriableException}s): tried again with backoff, 100 ms doubling up to 2 s.</li>
 *   <li>{@link Kind#MEMBERSHIP} (the group does not take this consumer's commits: {@link CommitFailedException},
 *       unknown member, illegal generation, rebalance in progress, stale or fenced member epoch). In group-managed
 *       mode that is what a rebalance looks like: the next poll rejoins the group and drops the offsets of the
 *       partitions that moved, so it is tried again like a retriable one. A static processor is no member of any
 *       group, so the broker rejects its commits only while other consumers are active members of its group; no
 *       rebalance will change that, and it stops the processor at once.</li>
 *   <li>{@link Kind#FATAL} (authorization, authentication, a fenced {@code group.instance.id}, anything else Kafka
 *       does not call retriable): stops the processor at once.</li>
 * </ul>
 * Under the consumer group protocol the Kafka consumer reports a commit refused for membership as a
 * {@link CommitFailedException} (unknown member id, or a stale member epoch in a synchronous commit), as a
 * {@link StaleMemberEpochException} (asynchronous commit) or a {@link FencedMemberEpochException}, all
 * {@link Kind#MEMBERSHIP}; and a fenced {@code group.instance.id} as a {@link CommitFailedException} whose message says
 * so, or an {@link UnreleasedInstanceIdException}, both {@link Kind#FATAL} as under the classic protocol.
 * Whatever the kind, commits that keep failing for the {@code brokerOutageTimeout} stop the processor too
 * ({@link #overdue}), so that it never stalls silently.
 *
 * <p>Thread-safety: not thread-safe; used by the loop thread.
 */
final class CommitFailures {

    /** What a commit failure means. */
    enum Kind {
        /** The same commit may succeed later. */
        RETRIABLE,
        /** The group rejects this consumer's membership or generation. */
        MEMBERSHIP,
        /** The broker will never accept it. */
        FATAL
    }

    /** First wait before a failed commit is tried again; it doubles up to {@link #MAX_BACKOFF_NANOS}. */
    static final long BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** What the consumer protocol's client says, lower case, when it refuses a commit of a fenced static member. */
    private static final String FENCED_INSTANCE_MESSAGE = "group instance id fenced";

    private final ProcessorLogContext context;
    private final String groupId;
    private final boolean groupManaged;
    private final Duration timeout;
    private final Supplier<String> members;
    private int failedAttempts;
    private long failingSinceNanos;
    private long nextAttemptNanos;
    private Throwable lastFailure;

    /**
     * @param members lists the group's active members in words (or says why it cannot); asked only when a static
     *     processor's commit was rejected
     */
    CommitFailures(ProcessorLogContext context, String groupId, boolean groupManaged, Duration timeout,
            Supplier<String> members) {
        this.members = members;
        this.context = context;
        this.groupId = groupId;
        this.groupManaged = groupManaged;
        this.timeout = timeout;
    }

    /**
     * Returns what {@code failure} (as passed to a commit callback or thrown by a commit) means: the first exception
     * along its cause chain that tells decides.
     */
    static Kind classify(Throwable failure) {
        Throwable t = decisive(failure);
        if (t instanceof InterruptException) {
            return Kind.RETRIABLE; // not the broker's answer: the loop thread was interrupted
        }
        if (t instanceof AuthorizationException || t instanceof AuthenticationException || isFencedInstance(t)) {
            return Kind.FATAL;
        }
        if (isMembership(t)) {
            return Kind.MEMBERSHIP;
        }
        return t instanceof RetriableException ? Kind.RETRIABLE : Kind.FATAL;
    }

    /**
     * Returns whether another running consumer took this one's {@code group.instance.id}. The consumer protocol's
     * client says so only in the message of a {@link CommitFailedException}.
     */
    private static boolean isFencedInstance(Throwable t) {
        return t instanceof FencedInstanceIdException || t instanceof UnreleasedInstanceIdException
                || t instanceof CommitFailedException && String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT)
                        .contains(FENCED_INSTANCE_MESSAGE);
    }

    private static boolean isMembership(Throwable t) {
        return t instanceof CommitFailedException || t instanceof UnknownMemberIdException
                || t instanceof IllegalGenerationException || t instanceof RebalanceInProgressException
                || t instanceof FencedMemberEpochException || t instanceof StaleMemberEpochException;
    }

    /** Returns the first exception along the cause chain whose type classifies it, else {@code failure} itself. */
    private static Throwable decisive(Throwable failure) {
        for (Throwable t : KasperException.causeChain(failure)) {
            if (t instanceof InterruptException || t instanceof AuthorizationException
                    || t instanceof AuthenticationException || isFencedInstance(t)
                    || isMembership(t) || t instanceof RetriableException) {
                return t;
            }
        }
        return failure;
    }

    /** Returns whether a failure of this kind stops the processor at once (see the class comment). */
    boolean stops(Kind kind) {
        return kind == Kind.FATAL || kind == Kind.MEMBERSHIP && !groupManaged;
    }

    /** Returns whether the backoff after the last failure has passed. */
    boolean mayCommit(long nowNanos) {
        return failedAttempts == 0 || nowNanos >= nextAttemptNanos;
    }

    /** Returns nanoseconds until the next attempt may start: 0 unless an attempt failed and its backoff runs. */
    long nanosUntilNextAttempt(long nowNanos) {
        return failedAttempts == 0 ? 0 : Math.max(0, nextAttemptNanos - nowNanos);
    }

    /** Returns the number of attempts that had failed since the previous success, and forgets them. */
    int succeeded() {
        int failed = failedAttempts;
        failedAttempts = 0;
        lastFailure = null;
        return failed;
    }

    /** Forgets the failed attempts when nothing is left to commit, so that they cannot become {@link #overdue}. */
    void nothingPending() {
        failedAttempts = 0;
        lastFailure = null;
    }

    /**
     * Records a failed attempt and schedules the next one.
     *
     * @return the number of attempts failed in a row, this one included
     */
    int failed(Throwable failure, long nowNanos) {
        if (failedAttempts == 0) {
            failingSinceNanos = nowNanos;
        }
        failedAttempts++;
        lastFailure = failure;
        nextAttemptNanos = nowNanos + Math.min(MAX_BACKOFF_NANOS, BACKOFF_NANOS << Math.min(failedAttempts - 1, 10));
        return failedAttempts;
    }

    /**
     * Returns the failure to stop with when commits have failed without a success in between for the
     * {@code brokerOutageTimeout}.
     */
    Optional<KasperException> overdue(long nowNanos) {
        if (failedAttempts == 0 || nowNanos - failingSinceNanos < timeout.toNanos()) {
            return Optional.empty();
        }
        return Optional.of(new KasperException(context.message("commits of group '" + groupId
                + "' have failed for " + TimeUnit.NANOSECONDS.toMillis(nowNanos - failingSinceNanos) + " ms ("
                + failedAttempts + " attempts, errorPolicy brokerOutageTimeout " + timeout + "), the last with "
                + lastFailure + "; stopping. Input processed since the last successful commit is processed again "
                + "after a restart"), lastFailure));
    }

    /**
     * Returns the failure to stop with when the broker rejected a commit for good.
     *
     * @param failure what the commit failed with, one that {@link #stops} the processor
     */
    KasperException rejected(Throwable failure) {
        Throwable cause = decisive(failure);
        String prefix = context.message((cause instanceof KafkaException
                ? "the broker rejected the commit of group '" + groupId + "': "
                : "committing the offsets of group '" + groupId + "' failed: ") + reason(cause) + "; ");
        String fix;
        if (isFencedInstance(cause)) {
            fix = "another running consumer uses the same " + ConsumerConfig.GROUP_INSTANCE_ID_CONFIG + ": give every "
                    + "instance its own groupInstanceId";
        } else if (isMembership(cause)) {
            fix = "another consumer is an active member of this group (" + members.get() + "); a static processor "
                    + "(inputPartitions) must have its consumer group to itself: stop the other members or give this "
                    + "processor another topicProcessorName";
        } else if (cause instanceof GroupAuthorizationException) {
            fix = "the principal needs the READ ACL on group '" + groupId + "'";
        } else if (cause instanceof TopicAuthorizationException e) {
            fix = "the principal needs the READ ACL on topics " + e.unauthorizedTopics();
        } else if (cause instanceof AuthorizationException || cause instanceof AuthenticationException) {
            fix = "check the credentials and ACLs of the principal";
        } else if (cause instanceof KafkaException) {
            fix = "Kafka does not consider this error retriable";
        } else {
            fix = "this is not an error of the broker";
        }
        return new KasperException(prefix + fix + ". Input processed since the last successful commit is processed "
                + "again after a restart", failure);
    }

    /**
     * Returns the broker's reason in words. A {@link CommitFailedException}'s own message blames
     * {@code max.poll.interval.ms}, which is wrong for a static processor, so it is described instead.
     */
    static String reason(Throwable failure) {
        if (failure instanceof CommitFailedException && !isFencedInstance(failure)) {
            return "the group coordinator does not know this consumer as a member of the group and takes commits "
                    + "only from its members (CommitFailedException)";
        }
        return failure.getMessage() + " (" + failure.getClass().getSimpleName() + ")";
    }
}
