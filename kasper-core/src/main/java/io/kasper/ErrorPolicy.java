package io.kasper;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.errors.RetriableException;

/**
 * How a {@link TopicProcessor} reacts to failures, set with {@link TopicProcessorConfig.Builder#errorPolicy}. Built
 * with {@link #builder()}; {@link #defaults()} fails on the first poison message, as Kasper always did.
 *
 * <ul>
 *   <li><b>Poison messages</b> ({@link PoisonMessageException}, or a record a {@link DeserializingProcessor} cannot
 *       deserialize): {@link PoisonPolicy#FAIL} (default), {@link PoisonPolicy#SKIP} or {@link PoisonPolicy#DEAD_LETTER}
 *       to {@link #deadLetterTopic()}. A dead-letter record keeps the original key, value and headers and adds the
 *       headers {@value #HEADER_TOPIC}, {@value #HEADER_PARTITION}, {@value #HEADER_OFFSET}, {@value #HEADER_TIMESTAMP},
 *       {@value #HEADER_EXCEPTION_CLASS}, {@value #HEADER_EXCEPTION_MESSAGE} and {@value #HEADER_PROCESSOR} (UTF-8
 *       text).</li>
 *   <li><b>Transient failures</b>: when {@code process} throws an exception whose cause chain holds a
 *       {@linkplain KasperException#isRetriable() retriable} {@link KasperException} (such as the
 *       {@code StoreException} of a lost connection) or a Kafka {@link RetriableException}, the batch's buffered
 *       output is discarded and {@code process} is called again with the same batch, after {@link #retryBackoff()}
 *       doubling up to {@link #maxRetryBackoff()}, at most {@link #maxRetries()} times; then the batch fails. Output
 *       the failed call already made durable with {@link Sender#flush()} stays in its topic, and the next call
 *       produces it again (at-least-once). Output produced by Kasper is retried by the idempotent producer itself (no
 *       duplicates, order kept) for up to {@link #brokerOutageTimeout()}.</li>
 *   <li><b>Broker outages</b>: the processor rides out an unreachable cluster (commits are retried with backoff,
 *       output is retried by the producer) and fails with a {@link KasperException}, committing nothing more, once no
 *       broker has answered for {@link #brokerOutageTimeout()}. A {@link Sender#flush()} waits at most what is left
 *       of that timeout; one that runs out of it fails its batch at once, without retries.</li>
 *   <li><b>Commit failures</b>: retriable ones (coordinator moving or unavailable, timeouts) are retried with backoff;
 *       commits failing without a success for {@link #brokerOutageTimeout()} stop the processor. Commits the broker
 *       will never accept (authorization, a fenced {@code group.instance.id}, a static processor's commit rejected
 *       because other consumers are active members of its group) stop it at once with a {@link KasperException}
 *       naming the group, the broker's reason and the fix.</li>
 * </ul>
 *
 * <p>Thread-safety: immutable, so thread-safe.
 */
public final class ErrorPolicy {

    /** Default {@code poisonPolicy}: {@link PoisonPolicy#FAIL}, the processor stops at the first poison message. */
    public static final PoisonPolicy DEFAULT_POISON_POLICY = PoisonPolicy.FAIL;
    /** Default {@code maxRetries}: calls of {@code process} after the first one fails transiently. */
    public static final int DEFAULT_MAX_RETRIES = 5;
    /** Default {@code retryBackoff}: the wait before the first retry; it doubles for each further one. */
    public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofMillis(100);
    /** Default {@code maxRetryBackoff}: the longest wait between two retries. */
    public static final Duration DEFAULT_MAX_RETRY_BACKOFF = Duration.ofSeconds(5);
    /** Default {@code brokerOutageTimeout}: how long the processor waits for an unreachable cluster. */
    public static final Duration DEFAULT_BROKER_OUTAGE_TIMEOUT = Duration.ofMinutes(2);
    /** Shortest {@code brokerOutageTimeout}: below it, a broker's ordinary leader election would look like an outage. */
    public static final Duration MIN_BROKER_OUTAGE_TIMEOUT = Duration.ofSeconds(2);

    /** Dead-letter header: the record's input topic. */
    public static final String HEADER_TOPIC = "kasper.dlt.topic";
    /** Dead-letter header: the record's input partition (decimal). */
    public static final String HEADER_PARTITION = "kasper.dlt.partition";
    /** Dead-letter header: the record's offset (decimal). */
    public static final String HEADER_OFFSET = "kasper.dlt.offset";
    /** Dead-letter header: the record's timestamp in epoch milliseconds (decimal). */
    public static final String HEADER_TIMESTAMP = "kasper.dlt.timestamp";
    /** Dead-letter header: the class name of the failure that made the record poison. */
    public static final String HEADER_EXCEPTION_CLASS = "kasper.dlt.exception.class";
    /** Dead-letter header: the message of that failure (empty when it had none). */
    public static final String HEADER_EXCEPTION_MESSAGE = "kasper.dlt.exception.message";
    /** Dead-letter header: the {@code topicProcessorName} of the processor that gave up on the record. */
    public static final String HEADER_PROCESSOR = "kasper.dlt.processor";

    private static final ErrorPolicy DEFAULTS = builder().build();

    private final PoisonPolicy poisonPolicy;
    private final String deadLetterTopic;
    private final int maxRetries;
    private final Duration retryBackoff;
    private final Duration maxRetryBackoff;
    private final Duration brokerOutageTimeout;

    private ErrorPolicy(Builder b) {
        this.poisonPolicy = b.poisonPolicy;
        this.deadLetterTopic = b.deadLetterTopic;
        this.maxRetries = b.maxRetries;
        this.retryBackoff = b.retryBackoff;
        this.maxRetryBackoff = b.maxRetryBackoff;
        this.brokerOutageTimeout = b.brokerOutageTimeout;
    }

    /**
     * Returns the default policy, every field at its {@code DEFAULT_*}: fail on poison messages, 5 retries from 100 ms
     * to 5 s, 2 minute outage timeout.
     *
     * @return the default policy
     */
    public static ErrorPolicy defaults() {
        return DEFAULTS;
    }

    /**
     * Returns a new builder with every field at its default.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns a new builder holding every setting of this policy, to build a policy that differs in a few of them.
     *
     * @return the builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.poisonPolicy = poisonPolicy;
        b.deadLetterTopic = deadLetterTopic;
        b.maxRetries = maxRetries;
        b.retryBackoff = retryBackoff;
        b.maxRetryBackoff = maxRetryBackoff;
        b.brokerOutageTimeout = brokerOutageTimeout;
        return b;
    }

    /**
     * Returns what is done with poison messages.
     *
     * @return what is done with poison messages
     */
    public PoisonPolicy poisonPolicy() {
        return poisonPolicy;
    }

    /**
     * Returns the dead-letter topic; present exactly when the policy is {@link PoisonPolicy#DEAD_LETTER}.
     *
     * @return the dead-letter topic; present exactly when the policy is {@link PoisonPolicy#DEAD_LETTER}
     */
    public Optional<String> deadLetterTopic() {
        return Optional.ofNullable(deadLetterTopic);
    }

    /**
     * Returns how often a batch is processed again after a transient failure before it fails.
     *
     * @return how often a batch is processed again after a transient failure before it fails
     */
    public int maxRetries() {
        return maxRetries;
    }

    /**
     * Returns the wait before the first retry.
     *
     * @return the wait before the first retry
     */
    public Duration retryBackoff() {
        return retryBackoff;
    }

    /**
     * Returns the longest wait between two retries.
     *
     * @return the longest wait between two retries
     */
    public Duration maxRetryBackoff() {
        return maxRetryBackoff;
    }

    /**
     * Returns how long the processor keeps going while no broker answers, or while its commits keep failing, before it
     * fails.
     *
     * @return how long the processor keeps going while no broker answers, or while its commits keep failing, before it fails
     */
    public Duration brokerOutageTimeout() {
        return brokerOutageTimeout;
    }

    /**
     * Returns the wait before retry number {@code retry}: {@code retryBackoff * 2^(retry-1)}, at most
     * {@code maxRetryBackoff}.
     *
     * @param retry 1 for the first retry
     * @return the wait
     * @throws IllegalArgumentException when {@code retry < 1}
     */
    public Duration backoff(int retry) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry must be at least 1, was " + retry);
        }
        Duration wait = retryBackoff;
        for (int i = 1; i < retry && wait.compareTo(maxRetryBackoff) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(maxRetryBackoff) > 0 ? maxRetryBackoff : wait;
    }

    /**
     * Returns the sum of every backoff of one batch that uses all its retries.
     *
     * @return the sum of every backoff of one batch that uses all its retries
     */
    public Duration totalBackoff() {
        Duration total = Duration.ZERO;
        for (int retry = 1; retry <= maxRetries; retry++) {
            total = total.plus(backoff(retry));
        }
        return total;
    }

    /**
     * Returns whether a failure of {@code process} is transient: its cause chain holds a
     * {@linkplain KasperException#isRetriable() retriable} {@link KasperException} (such as a retriable
     * {@code StoreException}) or a Kafka {@link RetriableException}, before any {@link PoisonMessageException}: a
     * poison message never is. The chain is read as {@link KasperException#causeChain} returns it.
     *
     * @param failure what {@code process} threw
     * @return whether processing the batch again may succeed
     */
    public static boolean isTransient(Throwable failure) {
        for (Throwable t : KasperException.causeChain(failure)) {
            if (t instanceof PoisonMessageException) {
                return false;
            }
            if (t instanceof KasperException kasper && kasper.isRetriable() || t instanceof RetriableException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Returns whether {@code o} is an {@code ErrorPolicy} with equal settings.
     *
     * @param o the other object
     * @return whether every setting is equal
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof ErrorPolicy other && poisonPolicy == other.poisonPolicy
                && Objects.equals(deadLetterTopic, other.deadLetterTopic) && maxRetries == other.maxRetries
                && retryBackoff.equals(other.retryBackoff) && maxRetryBackoff.equals(other.maxRetryBackoff)
                && brokerOutageTimeout.equals(other.brokerOutageTimeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(poisonPolicy, deadLetterTopic, maxRetries, retryBackoff, maxRetryBackoff,
                brokerOutageTimeout);
    }

    @Override
    public String toString() {
        return "ErrorPolicy{poison=" + poisonPolicy + (deadLetterTopic == null ? "" : " to '" + deadLetterTopic + "'")
                + ", maxRetries=" + maxRetries + ", retryBackoff=" + retryBackoff + ".." + maxRetryBackoff
                + ", brokerOutageTimeout=" + brokerOutageTimeout + "}";
    }

    /**
     * Builds an {@link ErrorPolicy}; {@link #build()} validates every field.
     *
     * <p>Thread-safety: not thread-safe; use one builder from one thread.
     */
    public static final class Builder {

        private PoisonPolicy poisonPolicy = DEFAULT_POISON_POLICY;
        private String deadLetterTopic;
        private int maxRetries = DEFAULT_MAX_RETRIES;
        private Duration retryBackoff = DEFAULT_RETRY_BACKOFF;
        private Duration maxRetryBackoff = DEFAULT_MAX_RETRY_BACKOFF;
        private Duration brokerOutageTimeout = DEFAULT_BROKER_OUTAGE_TIMEOUT;

        private Builder() {
        }

        /**
         * Sets what is done with poison messages. Default {@link ErrorPolicy#DEFAULT_POISON_POLICY} ({@code FAIL}).
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder poisonPolicy(PoisonPolicy policy) {
            this.poisonPolicy = policy;
            return this;
        }

        /**
         * Sends poison messages to a dead-letter topic: shorthand for {@code poisonPolicy(DEAD_LETTER)} with the
         * topic, which must exist when the {@link TopicProcessor} is created and must not be an input topic.
         *
         * @param topic the dead-letter topic
         * @return this builder
         */
        public Builder deadLetterTopic(String topic) {
            this.poisonPolicy = PoisonPolicy.DEAD_LETTER;
            this.deadLetterTopic = topic;
            return this;
        }

        /**
         * Sets how often a batch is processed again after a transient failure. Default
         * {@value ErrorPolicy#DEFAULT_MAX_RETRIES}; 0 fails on the first one.
         *
         * @param retries at least 0
         * @return this builder
         */
        public Builder maxRetries(int retries) {
            this.maxRetries = retries;
            return this;
        }

        /**
         * Sets the wait before the first retry and the longest wait; each retry doubles the previous wait. Defaults
         * {@link ErrorPolicy#DEFAULT_RETRY_BACKOFF} (100 ms) and {@link ErrorPolicy#DEFAULT_MAX_RETRY_BACKOFF} (5 s).
         *
         * @param initial positive
         * @param max at least {@code initial}
         * @return this builder
         */
        public Builder retryBackoff(Duration initial, Duration max) {
            this.retryBackoff = initial;
            this.maxRetryBackoff = max;
            return this;
        }

        /**
         * Sets how long the processor keeps going while no broker answers, or while its commits keep failing (without
         * a success in between). Default {@link ErrorPolicy#DEFAULT_BROKER_OUTAGE_TIMEOUT} (2 minutes), at least
         * {@link ErrorPolicy#MIN_BROKER_OUTAGE_TIMEOUT} (2 s). It is also the producer's {@code delivery.timeout.ms}
         * and {@code max.block.ms}, unless those are set explicitly, and the longest a {@link Sender#flush()} waits
         * for acknowledgements.
         *
         * @param timeout at least {@link ErrorPolicy#MIN_BROKER_OUTAGE_TIMEOUT}
         * @return this builder
         */
        public Builder brokerOutageTimeout(Duration timeout) {
            this.brokerOutageTimeout = timeout;
            return this;
        }

        /**
         * Validates every field and builds the policy.
         *
         * @return the immutable policy
         * @throws InvalidConfigException naming every invalid field, its rule and its value
         */
        public ErrorPolicy build() {
            ConfigErrors errors = new ConfigErrors("ErrorPolicy");
            if (poisonPolicy == null) {
                errors.reject("poisonPolicy", "must be one of FAIL, SKIP, DEAD_LETTER", null);
            } else if (poisonPolicy == PoisonPolicy.DEAD_LETTER && (deadLetterTopic == null
                    || deadLetterTopic.isBlank())) {
                errors.reject("deadLetterTopic", "must be set when poisonPolicy is DEAD_LETTER", deadLetterTopic);
            } else if (poisonPolicy != PoisonPolicy.DEAD_LETTER && deadLetterTopic != null) {
                errors.add("deadLetterTopic is used only with poisonPolicy DEAD_LETTER, but poisonPolicy was "
                        + poisonPolicy + " and deadLetterTopic '" + deadLetterTopic + "'");
            }
            if (maxRetries < 0) {
                errors.reject("maxRetries", "must be at least 0", maxRetries);
            }
            boolean backoffValid = errors.requirePositive("retryBackoff", retryBackoff)
                    & errors.requirePositive("maxRetryBackoff", maxRetryBackoff);
            if (backoffValid && maxRetryBackoff.compareTo(retryBackoff) < 0) {
                errors.reject("maxRetryBackoff", "must be at least retryBackoff (" + retryBackoff + ")",
                        maxRetryBackoff);
            }
            if (brokerOutageTimeout == null || brokerOutageTimeout.compareTo(MIN_BROKER_OUTAGE_TIMEOUT) < 0) {
                errors.reject("brokerOutageTimeout", "must be at least " + MIN_BROKER_OUTAGE_TIMEOUT,
                        brokerOutageTimeout);
            }
            errors.throwIfAny();
            return new ErrorPolicy(this);
        }
    }
}
