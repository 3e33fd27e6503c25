package io.kasper.opensearch;

import io.kasper.InvalidConfigException;
import io.kasper.store.spi.StoreConfigRules;
import io.kasper.store.spi.UriScrubber;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;

/**
 * Settings of an {@link OpenSearchStore} or {@link OpenSearchMultiStore}: where the cluster is, the index (or the
 * prefix of the tenants' indices), the tenancy, the refresh policy, timeouts, index management and metrics. Build with
 * {@link #builder()}; {@link Builder#build()} validates every field.
 *
 * <p><b>Retriable failures:</b> a failed call's {@link io.kasper.store.StoreException} is
 * {@linkplain io.kasper.store.StoreException#isRetriable() retriable} when the cluster could not be reached or did not
 * answer in time (connect failure, {@link #requestTimeout()}, connection reset), answered HTTP 429, 502, 503 or 504,
 * or when every failed item of a {@code _bulk} (or the failed document of an {@code _mget}) was rejected for load or
 * an unavailable shard (status 429/503, {@code es_rejected_execution_exception}, {@code circuit_breaking_exception},
 * {@code no_shard_available_action_exception}, {@code unavailable_shards_exception}). Other statuses and item errors
 * (400 mapping or request errors, 403 blocks and permissions, 404, 500), bodies that are not JSON and documents that
 * are not Kasper values are not retriable. Every write is an idempotent index or delete by id, so retrying a bulk
 * that partly succeeded is safe.
 *
 * <p>Immutable and thread-safe.
 */
public final class OpenSearchStoreConfig {

    /** Default {@link Builder#requestTimeout}: 30 s. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** Default {@link Builder#connectTimeout}: 5 s. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final String name;
    private final URI uri;
    private final String username;
    private final String password;
    private final String index;
    private final OpenSearchTenancy tenancy;
    private final OpenSearchRefresh refresh;
    private final Duration requestTimeout;
    private final Duration connectTimeout;
    private final boolean manageIndices;
    private final MeterRegistry meterRegistry;
    private final String processor;

    private OpenSearchStoreConfig(Builder builder, URI uri, OpenSearchTenancy tenancy) {
        this.name = builder.name;
        this.uri = uri;
        this.username = builder.username;
        this.password = builder.password;
        this.index = builder.index;
        this.tenancy = tenancy;
        this.refresh = builder.refresh;
        this.requestTimeout = builder.requestTimeout;
        this.connectTimeout = builder.connectTimeout;
        this.manageIndices = builder.manageIndices;
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

    /** Returns the cluster's base URI, e.g. {@code http://127.0.0.1:9200}, without a trailing slash. */
    public URI uri() {
        return uri;
    }

    /** Returns the user for HTTP basic authentication, or null for none. */
    public String username() {
        return username;
    }

    /** Returns the password for HTTP basic authentication, or null for none. */
    public String password() {
        return password;
    }

    /**
     * Returns the index: the one index of an {@link OpenSearchStore}, or the prefix of the tenants' indices of an
     * {@link OpenSearchMultiStore} (with the default tenancy) and the name of its index template.
     */
    public String index() {
        return index;
    }

    /** Returns how an {@link OpenSearchMultiStore} maps tenants to indices (default {@code {index}-{tenant}}). */
    public OpenSearchTenancy tenancy() {
        return tenancy;
    }

    /** Returns the {@code refresh} policy of writes. */
    public OpenSearchRefresh refresh() {
        return refresh;
    }

    /** Returns how long one HTTP request may take, response included. */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** Returns how long connecting may take. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** Returns whether the store creates its index (or the multi-store its index template) when it is created. */
    public boolean manageIndices() {
        return manageIndices;
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
        return "OpenSearchStoreConfig{name='" + name + "', uri=" + uri + ", username=" + username + ", index='" + index
                + "', tenancy=" + tenancy + ", refresh=" + refresh + ", requestTimeout=" + requestTimeout
                + ", connectTimeout=" + connectTimeout + ", manageIndices=" + manageIndices + ", processor='"
                + processor + "'}";
    }

    /**
     * Builds an {@link OpenSearchStoreConfig}. Setters only record; {@link #build()} validates.
     *
     * <p>Not thread-safe: use from one thread.
     */
    public static final class Builder {

        private static final StoreConfigRules RULES = new StoreConfigRules("OpenSearchStoreConfig");

        private String name;
        private String uri;
        private String username;
        private String password;
        private String index;
        private OpenSearchTenancy tenancy;
        private OpenSearchRefresh refresh = OpenSearchRefresh.FALSE;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private boolean manageIndices = true;
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
         * Sets the cluster's base URI (required): {@code http://} or {@code https://}, a host, an optional port and
         * path, no query, e.g. {@code http://localhost:9200}.
         *
         * @param uri the URI
         * @return this builder
         */
        public Builder uri(String uri) {
            this.uri = uri;
            return this;
        }

        /**
         * Sets HTTP basic authentication (default none); both or neither must be set.
         *
         * @param username the user
         * @param password the password
         * @return this builder
         */
        public Builder basicAuth(String username, String password) {
            this.username = username;
            this.password = password;
            return this;
        }

        /**
         * Sets the index (required, a valid index name: lowercase, at most 255 bytes, none of
         * {@code \ / * ? " < > | , # :} or space, not starting with {@code - _ +}). For a multi-store it is the prefix
         * of the default tenancy and names the index template.
         *
         * @param index the index or prefix
         * @return this builder
         */
        public Builder index(String index) {
            this.index = index;
            return this;
        }

        /**
         * Sets how a multi-store maps tenants to indices (default {@link OpenSearchTenancy#prefixed} of the index);
         * ignored by a single store.
         *
         * @param tenancy the tenancy
         * @return this builder
         */
        public Builder tenancy(OpenSearchTenancy tenancy) {
            this.tenancy = tenancy;
            return this;
        }

        /**
         * Sets the {@code refresh} policy of writes (default {@link OpenSearchRefresh#FALSE}: reads by id are
         * real-time anyway).
         *
         * @param refresh the policy
         * @return this builder
         */
        public Builder refresh(OpenSearchRefresh refresh) {
            this.refresh = refresh;
            return this;
        }

        /**
         * Sets how long one HTTP request may take (default 30 s, positive); a dead or hung node makes calls fail
         * after it instead of hanging.
         *
         * @param requestTimeout the timeout
         * @return this builder
         */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
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
         * Sets whether the store creates its index with Kasper's mapping, and the multi-store an index template for
         * its tenancy's pattern (default true). Turn it off when indices are managed elsewhere or the user may not
         * create them; writes then rely on the cluster's automatic index creation.
         *
         * @param manageIndices whether to create the index or template
         * @return this builder
         */
        public Builder manageIndices(boolean manageIndices) {
            this.manageIndices = manageIndices;
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
         * @throws InvalidConfigException naming the field, the rule it breaks and its value
         */
        public OpenSearchStoreConfig build() {
            RULES.requireNotBlank("name", name);
            RULES.requireNotBlank("uri", uri);
            URI parsed = parseUri(uri);
            if ((username == null) != (password == null)) {
                throw RULES.invalid("basicAuth", "needs both username and password", username == null ? null : username);
            }
            if (username != null && username.isEmpty()) {
                throw RULES.invalid("basicAuth", "username must not be empty", username);
            }
            String indexProblem = IndexNames.problem(index);
            if (indexProblem != null) {
                throw RULES.invalid("index", indexProblem, index);
            }
            if (refresh == null) {
                throw RULES.invalid("refresh", "must be set", null);
            }
            RULES.requirePositive("requestTimeout", requestTimeout);
            RULES.requirePositive("connectTimeout", connectTimeout);
            if (meterRegistry == null) {
                throw RULES.invalid("meterRegistry", "must be set", null);
            }
            if (processor != null) {
                RULES.requireNotBlank("processor", processor);
            }
            return new OpenSearchStoreConfig(this, parsed,
                    tenancy == null ? OpenSearchTenancy.prefixed(index) : tenancy);
        }

        /** Parses the URI; every message shows it without its credentials (see {@link UriScrubber}). */
        private static URI parseUri(String uri) {
            URI parsed;
            try {
                parsed = new URI(uri);
            } catch (URISyntaxException e) {
                // Not chained: the parser's exception quotes the URI with its password.
                throw new InvalidConfigException("OpenSearchStoreConfig.uri must be a valid URI, was '"
                        + UriScrubber.scrub(uri) + "': " + UriScrubber.scrubIn(e.getMessage(), uri));
            }
            String shown = UriScrubber.scrub(uri);
            String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw RULES.invalid("uri", "must start with http:// or https://", shown);
            }
            if (parsed.getRawUserInfo() != null) {
                throw RULES.invalid("uri", "must not hold credentials (use basicAuth)", shown);
            }
            if (parsed.getHost() == null || parsed.getHost().isEmpty()) {
                throw RULES.invalid("uri", "must name a host", shown);
            }
            if (parsed.getRawQuery() != null || parsed.getRawFragment() != null) {
                throw RULES.invalid("uri", "must not have a query or fragment", shown);
            }
            String text = parsed.toString();
            return URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        }



    }
}
