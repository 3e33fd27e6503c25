package io.kasper.redis;

import io.kasper.InvalidConfigException;
import io.kasper.store.spi.StoreConfigRules;
import io.kasper.store.spi.UriScrubber;
import io.kasper.KasperException;
import io.lettuce.core.RedisURI;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.time.Duration;
import java.util.Locale;

/**
 * Settings of a {@link RedisStore} or {@link RedisMultiStore}: where Redis is, the key prefix, timeouts, bulk chunking,
 * flush durability and metrics. Build with {@link #builder()}; {@link Builder#build()} validates every field.
 *
 * <p><b>Connection loss and retriable failures:</b> the stores keep Lettuce's auto-reconnect and its default
 * disconnected behavior: a command issued while the connection is down is queued, sent once it is back, and fails
 * with {@code RedisCommandTimeoutException} if that takes longer than {@link #commandTimeout()}. Reconnect attempts
 * back off exponentially, doubling from about a millisecond up to 1 s between attempts (Lettuce's default goes up to
 * 30 s: after a 10 s outage it took 7 s to notice the server was back, against 0.6 s with the 1 s cap). A failed
 * call's {@link io.kasper.store.StoreException} is {@linkplain io.kasper.store.StoreException#isRetriable()
 * retriable} for connection failures, timeouts, I/O errors, the {@code LOADING}, {@code BUSY}, {@code TRYAGAIN},
 * {@code CLUSTERDOWN} and {@code MASTERDOWN} replies, commands rejected while disconnected, and a {@code flush()}
 * that too few replicas acknowledged; not for other error replies ({@code WRONGTYPE}, {@code ERR}, {@code NOAUTH},
 * {@code READONLY}, {@code OOM}) or interrupts.
 *
 * <p>Immutable and thread-safe.
 */
public final class RedisStoreConfig {

    /** Default {@link Builder#commandTimeout}: 5 s. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(5);
    /** Default {@link Builder#connectTimeout}: 5 s. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Default {@link Builder#maxKeysPerCommand}: 10,000 keys per MGET or MSET. */
    public static final int DEFAULT_MAX_KEYS_PER_COMMAND = 10_000;

    private final String name;
    private final RedisURI uri;
    private final String prefix;
    private final Duration commandTimeout;
    private final Duration connectTimeout;
    private final int maxKeysPerCommand;
    private final int flushReplicas;
    private final MeterRegistry meterRegistry;
    private final String processor;

    private RedisStoreConfig(Builder builder, RedisURI uri) {
        this.name = builder.name;
        this.uri = uri;
        this.prefix = builder.prefix;
        this.commandTimeout = builder.commandTimeout;
        this.connectTimeout = builder.connectTimeout;
        this.maxKeysPerCommand = builder.maxKeysPerCommand;
        this.flushReplicas = builder.flushReplicas;
        this.meterRegistry = builder.meterRegistry;
        this.processor = builder.processor == null ? builder.name : builder.processor;
    }

    /** Returns a builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the store's name: the {@code store} metric tag and the name in exception messages. */
    public String name() {
        return name;
    }

    /** Returns the Redis URI (a fresh copy: Lettuce's {@link RedisURI} is mutable), timeout set to the command timeout. */
    public RedisURI redisUri() {
        RedisURI copy = RedisURI.builder(uri).build();
        copy.setTimeout(commandTimeout);
        return copy;
    }

    /** Returns {@code host:port} of the server, safe to log (no credentials). */
    public String address() {
        return uri.getHost() + ":" + uri.getPort();
    }

    /** Returns the key prefix: keys are {@code {prefix}/{key}}, or {@code {tenant}/{prefix}/{key}} for tenants. */
    public String prefix() {
        return prefix;
    }

    /** Returns how long a command may wait for its reply before failing. */
    public Duration commandTimeout() {
        return commandTimeout;
    }

    /** Returns how long connecting may take. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** Returns the most keys sent in one MGET or MSET; bigger bulks are split into pipelined commands. */
    public int maxKeysPerCommand() {
        return maxKeysPerCommand;
    }

    /** Returns how many replicas {@code flush()} waits for with {@code WAIT}; 0 makes flush a no-op. */
    public int flushReplicas() {
        return flushReplicas;
    }

    /** Returns where meters are recorded. */
    public MeterRegistry meterRegistry() {
        return meterRegistry;
    }

    /** Returns the {@code processor} metric tag (defaults to the name). */
    public String processor() {
        return processor;
    }

    @Override
    public String toString() {
        return "RedisStoreConfig{name='" + name + "', address=" + address() + ", prefix='" + prefix
                + "', commandTimeout=" + commandTimeout + ", connectTimeout=" + connectTimeout
                + ", maxKeysPerCommand=" + maxKeysPerCommand + ", flushReplicas=" + flushReplicas
                + ", processor='" + processor + "'}";
    }

    /**
     * Builds a {@link RedisStoreConfig}. Setters only record; {@link #build()} validates.
     *
     * <p>Not thread-safe: use from one thread.
     */
    public static final class Builder {

        private static final StoreConfigRules RULES = new StoreConfigRules("RedisStoreConfig");

        private String name;
        private String uri;
        private String prefix;
        private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private int maxKeysPerCommand = DEFAULT_MAX_KEYS_PER_COMMAND;
        private int flushReplicas;
        private MeterRegistry meterRegistry = Metrics.globalRegistry;
        private String processor;

        private Builder() {
        }

        /**
         * Sets the store's name (required, not blank): metric tag and name in messages.
         *
         * @param name the name
         * @return this builder
         */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /**
         * Sets the Redis URI (required), e.g. {@code redis://host:6379/0} or {@code rediss://user:pw@host:6380}.
         * Its credentials never appear in a message of this library nor in {@link RedisStoreConfig#toString()}: an
         * invalid URI is quoted as {@code rediss://***@host:6380}.
         *
         * @param uri the URI
         * @return this builder
         */
        public Builder uri(String uri) {
            this.uri = uri;
            return this;
        }

        /**
         * Sets the key prefix (required, non-empty, without {@code '/'}).
         *
         * @param prefix the prefix
         * @return this builder
         */
        public Builder prefix(String prefix) {
            this.prefix = prefix;
            return this;
        }

        /**
         * Sets how long a command may wait for its reply (default 5 s, positive); a dead or hung server makes calls
         * fail after it instead of hanging.
         *
         * @param commandTimeout the timeout
         * @return this builder
         */
        public Builder commandTimeout(Duration commandTimeout) {
            this.commandTimeout = commandTimeout;
            return this;
        }

        /**
         * Sets how long connecting may take (default 5 s, positive).
         *
         * @param connectTimeout the timeout
         * @return this builder
         */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        /**
         * Sets the most keys per MGET or MSET (default 10,000, at least 1). Larger bulks are split into several
         * commands sent back to back on the connection (pipelined), so they still cost one round trip of latency,
         * but an MSET split in several commands is no longer atomic.
         *
         * @param maxKeysPerCommand the limit
         * @return this builder
         */
        public Builder maxKeysPerCommand(int maxKeysPerCommand) {
            this.maxKeysPerCommand = maxKeysPerCommand;
            return this;
        }

        /**
         * Sets how many replicas {@code flush()} waits for with {@code WAIT} (default 0: flush is a no-op).
         *
         * @param flushReplicas the number of replicas, at least 0
         * @return this builder
         */
        public Builder flushReplicas(int flushReplicas) {
            this.flushReplicas = flushReplicas;
            return this;
        }

        /**
         * Sets where meters are recorded (default {@link Metrics#globalRegistry}).
         *
         * @param meterRegistry the registry
         * @return this builder
         */
        public Builder meterRegistry(MeterRegistry meterRegistry) {
            this.meterRegistry = meterRegistry;
            return this;
        }

        /**
         * Sets the {@code processor} metric tag (default: the store's name).
         *
         * @param processor the topic processor's name
         * @return this builder
         */
        public Builder processor(String processor) {
            this.processor = processor;
            return this;
        }

        /**
         * Validates the settings and builds the config.
         *
         * @return the config
         * @throws KasperException naming the field, the rule it breaks and its value
         */
        public RedisStoreConfig build() {
            RULES.requireNotBlank("name", name);
            RULES.requireNotBlank("uri", uri);
            RedisURI parsed = parseUri(uri);
            if (prefix == null || prefix.isEmpty()) {
                throw RULES.invalid("prefix", "must not be empty", prefix);
            }
            if (prefix.indexOf('/') >= 0) {
                throw RULES.invalid("prefix", "must not contain '/'", prefix);
            }
            RULES.requirePositive("commandTimeout", commandTimeout);
            RULES.requirePositive("connectTimeout", connectTimeout);
            if (maxKeysPerCommand < 1) {
                throw RULES.invalid("maxKeysPerCommand", "must be at least 1", maxKeysPerCommand);
            }
            if (flushReplicas < 0) {
                throw RULES.invalid("flushReplicas", "must be at least 0", flushReplicas);
            }
            if (meterRegistry == null) {
                throw RULES.invalid("meterRegistry", "must be set", null);
            }
            if (processor != null) {
                RULES.requireNotBlank("processor", processor);
            }
            return new RedisStoreConfig(this, parsed);
        }

        /** Parses the URI; every message shows it without its credentials (see {@link UriScrubber}). */
        private static RedisURI parseUri(String uri) {
            String scheme = uri.contains("://") ? uri.substring(0, uri.indexOf("://")).toLowerCase(Locale.ROOT) : "";
            if (!scheme.equals("redis") && !scheme.equals("rediss")) {
                throw RULES.invalid("uri", "must start with redis:// or rediss://", UriScrubber.scrub(uri));
            }
            RedisURI parsed;
            try {
                parsed = RedisURI.create(uri);
            } catch (IllegalArgumentException e) {
                // Not chained: the parser's exceptions (and their causes) quote the URI with its password.
                throw new InvalidConfigException("RedisStoreConfig.uri must be a valid Redis URI, was '"
                        + UriScrubber.scrub(uri) + "': " + e.getClass().getSimpleName() + ": "
                        + UriScrubber.scrubIn(e.getMessage(), uri));
            }
            if (parsed.getHost() == null || parsed.getHost().isEmpty()) {
                throw RULES.invalid("uri", "must name a host", UriScrubber.scrub(uri));
            }
            return parsed;
        }



    }
}
