package io.kasper.redis;

import io.kasper.ConfigErrors;
import io.kasper.InvalidConfigException;
import io.kasper.store.spi.StoreConfig;
import io.kasper.store.spi.UriScrubber;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Settings of a {@link RedisStore} or {@link RedisMultiStore}: where Redis is, the key prefix, timeouts, bulk chunking,
 * flush durability and metrics. Build with {@link #builder()}, or derive from another config with
 * {@link #toBuilder()}; {@link Builder#build()} validates every field and reports all invalid ones at once. The name,
 * the meter registry (default {@link io.micrometer.core.instrument.Metrics#globalRegistry}) and the {@code processor}
 * tag are the settings every store shares (see {@link StoreConfig}).
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
public final class RedisStoreConfig extends StoreConfig {

    /** Default {@link Builder#commandTimeout}: 5 s. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(5);
    /** Default {@link Builder#connectTimeout}: 5 s. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Default {@link Builder#maxKeysPerCommand}: 10,000 keys per MGET or MSET. */
    public static final int DEFAULT_MAX_KEYS_PER_COMMAND = 10_000;
    /** Default {@link Builder#flushReplicas}: 0, {@code flush()} does not wait for replicas. */
    public static final int DEFAULT_FLUSH_REPLICAS = 0;

    /** As given: {@link #toBuilder()} hands it back, {@link #redisUri()} gives the parsed form. */
    private final String uriText;
    private final RedisURI uri;
    private final String prefix;
    private final Duration commandTimeout;
    private final Duration connectTimeout;
    private final int maxKeysPerCommand;
    private final int flushReplicas;

    private RedisStoreConfig(Builder builder, RedisURI uri) {
        super(builder);
        this.uriText = builder.uri;
        this.uri = uri;
        this.prefix = builder.prefix;
        this.commandTimeout = builder.commandTimeout;
        this.connectTimeout = builder.connectTimeout;
        this.maxKeysPerCommand = builder.maxKeysPerCommand;
        this.flushReplicas = builder.flushReplicas;
    }

    /**
     * Returns a builder with the defaults.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns a builder holding every setting of this config, to build one that differs in a few of them.
     *
     * @return the builder
     */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Returns the Redis URI (a fresh copy: Lettuce's {@link RedisURI} is mutable), timeout set to the command timeout.
     *
     * @return the Redis URI (a fresh copy: Lettuce's {@link RedisURI} is mutable), timeout set to the command timeout
     */
    public RedisURI redisUri() {
        RedisURI copy = RedisURI.builder(uri).build();
        copy.setTimeout(commandTimeout);
        return copy;
    }

    /**
     * Returns {@code host:port} of the server, safe to log (no credentials).
     *
     * @return {@code host:port} of the server, safe to log (no credentials)
     */
    public String address() {
        return uri.getHost() + ":" + uri.getPort();
    }

    /**
     * Returns the key prefix: keys are {@code {prefix}/{key}}, or {@code {tenant}/{prefix}/{key}} for tenants.
     *
     * @return the key prefix: keys are {@code {prefix}/{key}}, or {@code {tenant}/{prefix}/{key}} for tenants
     */
    public String prefix() {
        return prefix;
    }

    /**
     * Returns how long a command may wait for its reply before failing.
     *
     * @return how long a command may wait for its reply before failing
     */
    public Duration commandTimeout() {
        return commandTimeout;
    }

    /**
     * Returns how long connecting may take.
     *
     * @return how long connecting may take
     */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * Returns the most keys sent in one MGET or MSET; bigger bulks are split into pipelined commands.
     *
     * @return the most keys sent in one MGET or MSET; bigger bulks are split into pipelined commands
     */
    public int maxKeysPerCommand() {
        return maxKeysPerCommand;
    }

    /**
     * Returns how many replicas {@code flush()} waits for with {@code WAIT}; 0 makes flush a no-op.
     *
     * @return how many replicas {@code flush()} waits for with {@code WAIT}; 0 makes flush a no-op
     */
    public int flushReplicas() {
        return flushReplicas;
    }

    @Override
    protected List<Object> settings() {
        return Arrays.asList(uriText, prefix, commandTimeout, connectTimeout, maxKeysPerCommand, flushReplicas);
    }

    /**
     * Returns the settings without credentials: the URI appears as its {@link #address()} only.
     *
     * @return the text
     */
    @Override
    public String toString() {
        return describe("address=" + address() + ", prefix='" + prefix + "', commandTimeout=" + commandTimeout
                + ", connectTimeout=" + connectTimeout + ", maxKeysPerCommand=" + maxKeysPerCommand
                + ", flushReplicas=" + flushReplicas);
    }

    /**
     * Builds a {@link RedisStoreConfig}. Setters only record; {@link #build()} validates. The name, the meter registry
     * (default {@link io.micrometer.core.instrument.Metrics#globalRegistry}) and the {@code processor} tag are set
     * with the setters of {@link StoreConfig.Builder}.
     *
     * <p>Not thread-safe: use from one thread.
     */
    public static final class Builder extends StoreConfig.Builder<Builder> {

        private String uri;
        private String prefix;
        private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private int maxKeysPerCommand = DEFAULT_MAX_KEYS_PER_COMMAND;
        private int flushReplicas = DEFAULT_FLUSH_REPLICAS;

        private Builder() {
        }

        private Builder(RedisStoreConfig config) {
            super(config);
            this.uri = config.uriText;
            this.prefix = config.prefix;
            this.commandTimeout = config.commandTimeout;
            this.connectTimeout = config.connectTimeout;
            this.maxKeysPerCommand = config.maxKeysPerCommand;
            this.flushReplicas = config.flushReplicas;
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
         * Sets how long a command may wait for its reply (default {@link RedisStoreConfig#DEFAULT_COMMAND_TIMEOUT},
         * 5 s; positive); a dead or hung server makes calls fail after it instead of hanging.
         *
         * @param commandTimeout the timeout
         * @return this builder
         */
        public Builder commandTimeout(Duration commandTimeout) {
            this.commandTimeout = commandTimeout;
            return this;
        }

        /**
         * Sets how long connecting may take (default {@link RedisStoreConfig#DEFAULT_CONNECT_TIMEOUT}, 5 s; positive).
         *
         * @param connectTimeout the timeout
         * @return this builder
         */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        /**
         * Sets the most keys per MGET or MSET (default {@value RedisStoreConfig#DEFAULT_MAX_KEYS_PER_COMMAND}, at
         * least 1). Larger bulks are split into several
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
         * Sets how many replicas {@code flush()} waits for with {@code WAIT} (default
         * {@value RedisStoreConfig#DEFAULT_FLUSH_REPLICAS}: flush is a no-op).
         *
         * @param flushReplicas the number of replicas, at least 0
         * @return this builder
         */
        public Builder flushReplicas(int flushReplicas) {
            this.flushReplicas = flushReplicas;
            return this;
        }

        /**
         * Validates every setting and builds the config.
         *
         * @return the config
         * @throws InvalidConfigException naming every invalid field, the rule it breaks and its value
         */
        @Override
        public RedisStoreConfig build() {
            ConfigErrors errors = new ConfigErrors("RedisStoreConfig");
            validateCommon(errors);
            RedisURI parsed = errors.requireNotBlank("uri", uri) ? parseUri(uri, errors) : null;
            if (prefix == null || prefix.isEmpty()) {
                errors.reject("prefix", "must not be empty", prefix);
            } else if (prefix.indexOf('/') >= 0) {
                errors.reject("prefix", "must not contain '/'", prefix);
            }
            errors.requirePositive("commandTimeout", commandTimeout);
            errors.requirePositive("connectTimeout", connectTimeout);
            if (maxKeysPerCommand < 1) {
                errors.reject("maxKeysPerCommand", "must be at least 1", maxKeysPerCommand);
            }
            if (flushReplicas < 0) {
                errors.reject("flushReplicas", "must be at least 0", flushReplicas);
            }
            errors.throwIfAny();
            return new RedisStoreConfig(this, parsed);
        }

        /**
         * Parses the URI, or adds why it cannot and returns null; every message shows it without its credentials
         * (see {@link UriScrubber}).
         */
        private static RedisURI parseUri(String uri, ConfigErrors errors) {
            String shown = UriScrubber.scrub(uri);
            String scheme = uri.contains("://") ? uri.substring(0, uri.indexOf("://")).toLowerCase(Locale.ROOT) : "";
            if (!scheme.equals("redis") && !scheme.equals("rediss")) {
                errors.reject("uri", "must start with redis:// or rediss://", shown);
                return null;
            }
            RedisURI parsed;
            try {
                parsed = RedisURI.create(uri);
            } catch (IllegalArgumentException e) {
                // Its message, scrubbed, rather than the exception as a cause: it quotes the URI with its password.
                errors.add("uri must be a valid Redis URI, was '" + shown + "': " + e.getClass().getSimpleName() + ": "
                        + UriScrubber.scrubIn(e.getMessage(), uri));
                return null;
            }
            if (parsed.getHost() == null || parsed.getHost().isEmpty()) {
                errors.reject("uri", "must name a host", shown);
                return null;
            }
            return parsed;
        }
    }
}
