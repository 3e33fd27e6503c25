package io.kasper.opensearch;

import io.kasper.ConfigErrors;
import io.kasper.InvalidConfigException;
import io.kasper.store.spi.StoreConfig;
import io.kasper.store.spi.UriScrubber;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Settings of an {@link OpenSearchStore} or {@link OpenSearchMultiStore}: where the cluster is, the index (or the
 * prefix of the tenants' indices), the tenancy, the refresh policy, timeouts, index management and metrics. Build with
 * {@link #builder()}, or derive from another config with {@link #toBuilder()}; {@link Builder#build()} validates every
 * field and reports all invalid ones at once. The name, the meter registry (default
 * {@link io.micrometer.core.instrument.Metrics#globalRegistry}) and the {@code processor} tag are the settings every
 * store shares (see {@link StoreConfig}).
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
public final class OpenSearchStoreConfig extends StoreConfig {

    /** Default {@link Builder#requestTimeout}: 30 s. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** Default {@link Builder#connectTimeout}: 5 s. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Default {@link Builder#refresh}: {@link OpenSearchRefresh#FALSE}, reads by id are real-time anyway. */
    public static final OpenSearchRefresh DEFAULT_REFRESH = OpenSearchRefresh.FALSE;
    /** Default {@link Builder#manageIndices}: true, the store creates its index or index template. */
    public static final boolean DEFAULT_MANAGE_INDICES = true;

    private final URI uri;
    private final String username;
    private final String password;
    private final String index;
    private final OpenSearchTenancy tenancy;
    /** As given, null for the default: {@link #toBuilder()} keeps the default tenancy following the index. */
    private final OpenSearchTenancy givenTenancy;
    private final OpenSearchRefresh refresh;
    private final Duration requestTimeout;
    private final Duration connectTimeout;
    private final boolean manageIndices;

    private OpenSearchStoreConfig(Builder builder, URI uri, OpenSearchTenancy tenancy) {
        super(builder);
        this.uri = uri;
        this.username = builder.username;
        this.password = builder.password;
        this.index = builder.index;
        this.tenancy = tenancy;
        this.givenTenancy = builder.tenancy;
        this.refresh = builder.refresh;
        this.requestTimeout = builder.requestTimeout;
        this.connectTimeout = builder.connectTimeout;
        this.manageIndices = builder.manageIndices;
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
     * Returns the cluster's base URI, e.g. {@code http://127.0.0.1:9200}, without a trailing slash.
     *
     * @return the cluster's base URI, e.g. {@code http://127.0.0.1:9200}, without a trailing slash
     */
    public URI uri() {
        return uri;
    }

    /**
     * Returns the user for HTTP basic authentication, or null for none.
     *
     * @return the user for HTTP basic authentication, or null for none
     */
    public String username() {
        return username;
    }

    /**
     * Returns the password for HTTP basic authentication, or null for none.
     *
     * @return the password for HTTP basic authentication, or null for none
     */
    public String password() {
        return password;
    }

    /**
     * Returns the index: the one index of an {@link OpenSearchStore}, or the prefix of the tenants' indices of an
     * {@link OpenSearchMultiStore} (with the default tenancy) and the name of its index template.
     *
     * @return the index, or the indices' prefix
     */
    public String index() {
        return index;
    }

    /**
     * Returns how an {@link OpenSearchMultiStore} maps tenants to indices (default {@code {index}-{tenant}}).
     *
     * @return how an {@link OpenSearchMultiStore} maps tenants to indices (default {@code {index}-{tenant}})
     */
    public OpenSearchTenancy tenancy() {
        return tenancy;
    }

    /**
     * Returns the {@code refresh} policy of writes.
     *
     * @return the {@code refresh} policy of writes
     */
    public OpenSearchRefresh refresh() {
        return refresh;
    }

    /**
     * Returns how long one HTTP request may take, response included.
     *
     * @return how long one HTTP request may take, response included
     */
    public Duration requestTimeout() {
        return requestTimeout;
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
     * Returns whether the store creates its index (or the multi-store its index template) when it is created.
     *
     * @return whether the store creates its index (or the multi-store its index template) when it is created
     */
    public boolean manageIndices() {
        return manageIndices;
    }

    @Override
    protected List<Object> settings() {
        return Arrays.asList(uri, username, password, index, givenTenancy, refresh, requestTimeout, connectTimeout,
                manageIndices);
    }

    /**
     * Returns the settings without the password.
     *
     * @return the text
     */
    @Override
    public String toString() {
        return describe("uri=" + uri + ", username=" + username + ", index='" + index + "', tenancy=" + tenancy
                + ", refresh=" + refresh + ", requestTimeout=" + requestTimeout + ", connectTimeout=" + connectTimeout
                + ", manageIndices=" + manageIndices);
    }

    /**
     * Builds an {@link OpenSearchStoreConfig}. Setters only record; {@link #build()} validates. The name, the meter
     * registry (default {@link io.micrometer.core.instrument.Metrics#globalRegistry}) and the {@code processor} tag
     * are set with the setters of {@link StoreConfig.Builder}.
     *
     * <p>Not thread-safe: use from one thread.
     */
    public static final class Builder extends StoreConfig.Builder<Builder> {

        private String uri;
        private String username;
        private String password;
        private String index;
        private OpenSearchTenancy tenancy;
        private OpenSearchRefresh refresh = DEFAULT_REFRESH;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private boolean manageIndices = DEFAULT_MANAGE_INDICES;

        private Builder() {
        }

        private Builder(OpenSearchStoreConfig config) {
            super(config);
            this.uri = config.uri.toString();
            this.username = config.username;
            this.password = config.password;
            this.index = config.index;
            this.tenancy = config.givenTenancy;
            this.refresh = config.refresh;
            this.requestTimeout = config.requestTimeout;
            this.connectTimeout = config.connectTimeout;
            this.manageIndices = config.manageIndices;
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
         * Sets the {@code refresh} policy of writes (default {@link OpenSearchStoreConfig#DEFAULT_REFRESH},
         * {@code FALSE}: reads by id are real-time anyway).
         *
         * @param refresh the policy
         * @return this builder
         */
        public Builder refresh(OpenSearchRefresh refresh) {
            this.refresh = refresh;
            return this;
        }

        /**
         * Sets how long one HTTP request may take (default {@link OpenSearchStoreConfig#DEFAULT_REQUEST_TIMEOUT},
         * 30 s; positive); a dead or hung node makes calls fail
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
         * Sets how long connecting may take (default {@link OpenSearchStoreConfig#DEFAULT_CONNECT_TIMEOUT}, 5 s;
         * positive).
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
         * its tenancy's pattern. Turn it off when indices are managed elsewhere or the user may not
         * create them; writes then rely on the cluster's automatic index creation. Default
         * {@value OpenSearchStoreConfig#DEFAULT_MANAGE_INDICES}.
         *
         * @param manageIndices whether to create the index or template
         * @return this builder
         */
        public Builder manageIndices(boolean manageIndices) {
            this.manageIndices = manageIndices;
            return this;
        }

        /**
         * Validates every setting and builds the config.
         *
         * @return the config
         * @throws InvalidConfigException naming every invalid field, the rule it breaks and its value
         */
        @Override
        public OpenSearchStoreConfig build() {
            ConfigErrors errors = new ConfigErrors("OpenSearchStoreConfig");
            validateCommon(errors);
            URI parsed = errors.requireNotBlank("uri", uri) ? parseUri(uri, errors) : null;
            checkCredentials(errors, "basicAuth", username, password);
            if (username != null && username.isEmpty()) {
                errors.reject("basicAuth", "username must not be empty", username);
            }
            String indexProblem = IndexNames.problem(index);
            if (indexProblem != null) {
                errors.reject("index", indexProblem, index);
            }
            errors.requireSet("refresh", refresh);
            errors.requirePositive("requestTimeout", requestTimeout);
            errors.requirePositive("connectTimeout", connectTimeout);
            errors.throwIfAny();
            return new OpenSearchStoreConfig(this, parsed,
                    tenancy == null ? OpenSearchTenancy.prefixed(index) : tenancy);
        }

        /**
         * Parses the URI, or adds why it cannot and returns null; every message shows it without its credentials
         * (see {@link UriScrubber}).
         */
        private static URI parseUri(String uri, ConfigErrors errors) {
            URI parsed;
            try {
                parsed = new URI(uri);
            } catch (URISyntaxException e) {
                // Its message, scrubbed, rather than the exception as a cause: it quotes the URI with its password.
                errors.add("uri must be a valid URI, was '" + UriScrubber.scrub(uri) + "': "
                        + UriScrubber.scrubIn(e.getMessage(), uri));
                return null;
            }
            String shown = UriScrubber.scrub(uri);
            String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
            String problem = null;
            if (!scheme.equals("http") && !scheme.equals("https")) {
                problem = "must start with http:// or https://";
            } else if (parsed.getRawUserInfo() != null) {
                problem = "must not hold credentials (use basicAuth)";
            } else if (parsed.getHost() == null || parsed.getHost().isEmpty()) {
                problem = "must name a host";
            } else if (parsed.getRawQuery() != null || parsed.getRawFragment() != null) {
                problem = "must not have a query or fragment";
            }
            if (problem != null) {
                errors.reject("uri", problem, shown);
                return null;
            }
            String text = parsed.toString();
            return URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        }
    }
}
