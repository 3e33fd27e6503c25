package io.kasper.cassandra;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import io.kasper.ConfigErrors;
import io.kasper.InvalidConfigException;
import io.kasper.store.spi.StoreConfig;
import io.kasper.store.spi.UriScrubber;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Settings of a {@link CassandraStore} or {@link CassandraMultiStore}: contact points, datacenter, keyspace, table (or
 * tenant table prefix), table creation, consistency levels, concurrency, timeouts and metrics. Build with
 * {@link #builder()}, or derive from another config with {@link #toBuilder()}; {@link Builder#build()} validates every
 * field and reports all invalid ones at once. The name, the meter registry (default
 * {@link io.micrometer.core.instrument.Metrics#globalRegistry}) and the {@code processor} tag are the settings every
 * store shares (see {@link StoreConfig}).
 *
 * <p><b>Retriable failures:</b> a failed call's {@link io.kasper.store.StoreException} is
 * {@linkplain io.kasper.store.StoreException#isRetriable() retriable} when no node could be reached or every node tried
 * failed for a transient reason ({@code NoNodeAvailableException}, {@code AllNodesFailedException}), on the driver's
 * {@link #requestTimeout()}, on the coordinator's read or write timeout, too few live replicas for the consistency
 * level ({@code UnavailableException}), an overloaded or bootstrapping node, and a closed, busy or silent connection.
 * It is not for statements the node rejects ({@code SyntaxError}, {@code InvalidQueryException}, e.g. a dropped
 * table or an over-long key; {@code UnauthorizedException}), credentials it refuses, and replica-side read or write
 * failures. A write that timed out may have been applied, but every write is an idempotent upsert or delete, so
 * retrying it is safe.
 *
 * <p>Immutable and thread-safe.
 */
public final class CassandraStoreConfig extends StoreConfig {

    /** Default {@link Builder#requestTimeout}: 10 s per statement. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** Default {@link Builder#maxInFlight}: 128 statements in flight per bulk call. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 128;
    /** Most {@link Builder#maxInFlight} allowed. */
    public static final int MAX_IN_FLIGHT_LIMIT = 10_000;
    /** Default {@link Builder#localDatacenter}: Cassandra's own default datacenter name. */
    public static final String DEFAULT_LOCAL_DATACENTER = "datacenter1";
    /** Default {@link Builder#createTable}: false, the table must exist and is validated. */
    public static final boolean DEFAULT_CREATE_TABLE = false;
    /** Default {@link Builder#readConsistency}: {@code LOCAL_QUORUM}. */
    public static final DefaultConsistencyLevel DEFAULT_READ_CONSISTENCY = DefaultConsistencyLevel.LOCAL_QUORUM;
    /** Default {@link Builder#writeConsistency}: {@code LOCAL_QUORUM}. */
    public static final DefaultConsistencyLevel DEFAULT_WRITE_CONSISTENCY = DefaultConsistencyLevel.LOCAL_QUORUM;

    private final List<InetSocketAddress> contactPoints;
    private final String localDatacenter;
    private final String username;
    private final String password;
    private final String keyspace;
    private final String table;
    private final boolean createTable;
    private final DefaultConsistencyLevel readConsistency;
    private final DefaultConsistencyLevel writeConsistency;
    private final int maxInFlight;
    private final Duration requestTimeout;

    private CassandraStoreConfig(Builder builder, List<InetSocketAddress> contactPoints) {
        super(builder);
        this.contactPoints = List.copyOf(contactPoints);
        this.localDatacenter = builder.localDatacenter;
        this.username = builder.username;
        this.password = builder.password;
        this.keyspace = builder.keyspace;
        this.table = builder.table;
        this.createTable = builder.createTable;
        this.readConsistency = builder.readConsistency;
        this.writeConsistency = builder.writeConsistency;
        this.maxInFlight = builder.maxInFlight;
        this.requestTimeout = builder.requestTimeout;
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
     * Returns the contact points (unresolved host and port).
     *
     * @return the contact points (unresolved host and port)
     */
    public List<InetSocketAddress> contactPoints() {
        return contactPoints;
    }

    /**
     * Returns the local datacenter the driver's load balancing uses.
     *
     * @return the local datacenter the driver's load balancing uses
     */
    public String localDatacenter() {
        return localDatacenter;
    }

    /**
     * Returns the user for plain-text authentication, or null for none.
     *
     * @return the user for plain-text authentication, or null for none
     */
    public String username() {
        return username;
    }

    /**
     * Returns the password for plain-text authentication, or null for none.
     *
     * @return the password for plain-text authentication, or null for none
     */
    public String password() {
        return password;
    }

    /**
     * Returns the keyspace, which must exist.
     *
     * @return the keyspace, which must exist
     */
    public String keyspace() {
        return keyspace;
    }

    /**
     * Returns the table of a {@link CassandraStore}, or the tenant table prefix of a {@link CassandraMultiStore}.
     *
     * @return the table of a {@link CassandraStore}, or the tenant table prefix of a {@link CassandraMultiStore}
     */
    public String table() {
        return table;
    }

    /**
     * Returns whether a {@link CassandraStore} creates its table when missing (else it validates it).
     *
     * @return whether a {@link CassandraStore} creates its table when missing (else it validates it)
     */
    public boolean createTable() {
        return createTable;
    }

    /**
     * Returns the consistency level of reads.
     *
     * @return the consistency level of reads
     */
    public DefaultConsistencyLevel readConsistency() {
        return readConsistency;
    }

    /**
     * Returns the consistency level of writes and deletes.
     *
     * @return the consistency level of writes and deletes
     */
    public DefaultConsistencyLevel writeConsistency() {
        return writeConsistency;
    }

    /**
     * Returns the most statements one bulk call keeps in flight.
     *
     * @return the most statements one bulk call keeps in flight
     */
    public int maxInFlight() {
        return maxInFlight;
    }

    /**
     * Returns how long one statement may take.
     *
     * @return how long one statement may take
     */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    @Override
    protected List<Object> settings() {
        return Arrays.asList(contactPoints, localDatacenter, username, password, keyspace, table, createTable,
                readConsistency, writeConsistency, maxInFlight, requestTimeout);
    }

    /**
     * Returns the settings without the password.
     *
     * @return the text
     */
    @Override
    public String toString() {
        return describe("contactPoints=" + contactPoints + ", localDatacenter='" + localDatacenter + "', username="
                + username + ", keyspace='" + keyspace + "', table='" + table + "', createTable=" + createTable
                + ", readConsistency=" + readConsistency + ", writeConsistency=" + writeConsistency + ", maxInFlight="
                + maxInFlight + ", requestTimeout=" + requestTimeout);
    }

    /**
     * Builds a {@link CassandraStoreConfig}. Setters only record; {@link #build()} validates. The name, the meter
     * registry (default {@link io.micrometer.core.instrument.Metrics#globalRegistry}) and the {@code processor} tag
     * are set with the setters of {@link StoreConfig.Builder}.
     *
     * <p>Not thread-safe: use from one thread.
     */
    public static final class Builder extends StoreConfig.Builder<Builder> {

        private List<String> contactPoints;
        private String localDatacenter = DEFAULT_LOCAL_DATACENTER;
        private String username;
        private String password;
        private String keyspace;
        private String table;
        private boolean createTable = DEFAULT_CREATE_TABLE;
        private DefaultConsistencyLevel readConsistency = DEFAULT_READ_CONSISTENCY;
        private DefaultConsistencyLevel writeConsistency = DEFAULT_WRITE_CONSISTENCY;
        private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;

        private Builder() {
        }

        private Builder(CassandraStoreConfig config) {
            super(config);
            this.contactPoints = new ArrayList<>();
            for (InetSocketAddress point : config.contactPoints) {
                contactPoints.add(point.getHostString() + ":" + point.getPort());
            }
            this.localDatacenter = config.localDatacenter;
            this.username = config.username;
            this.password = config.password;
            this.keyspace = config.keyspace;
            this.table = config.table;
            this.createTable = config.createTable;
            this.readConsistency = config.readConsistency;
            this.writeConsistency = config.writeConsistency;
            this.maxInFlight = config.maxInFlight;
            this.requestTimeout = config.requestTimeout;
        }

        /**
         * Sets the contact points (required, at least one), each {@code host:port}.
         *
         * @param contactPoints the contact points
         * @return this builder
         */
        public Builder contactPoints(String... contactPoints) {
            this.contactPoints = contactPoints == null ? null : new ArrayList<>(List.of(contactPoints));
            return this;
        }

        /**
         * Sets the local datacenter (default {@value CassandraStoreConfig#DEFAULT_LOCAL_DATACENTER}, not blank).
         *
         * @param localDatacenter the datacenter
         * @return this builder
         */
        public Builder localDatacenter(String localDatacenter) {
            this.localDatacenter = localDatacenter;
            return this;
        }

        /**
         * Sets plain-text authentication (default none); both or neither must be set.
         *
         * @param username the user
         * @param password the password
         * @return this builder
         */
        public Builder credentials(String username, String password) {
            this.username = username;
            this.password = password;
            return this;
        }

        /**
         * Sets the keyspace (required, {@code [a-z][a-z0-9_]*}, at most 48 characters); it must exist.
         *
         * @param keyspace the keyspace
         * @return this builder
         */
        public Builder keyspace(String keyspace) {
            this.keyspace = keyspace;
            return this;
        }

        /**
         * Sets the table, or the tenant table prefix of a multi-store (required, {@code [a-z][a-z0-9_]*}, at most 48
         * characters).
         *
         * @param table the table or prefix
         * @return this builder
         */
        public Builder table(String table) {
            this.table = table;
            return this;
        }

        /**
         * Sets whether a single store creates its table {@code (key text PRIMARY KEY, value blob)} when missing
         * (default {@value CassandraStoreConfig#DEFAULT_CREATE_TABLE}: the table must exist with those columns). A
         * multi-store always creates tenant tables.
         *
         * @param createTable whether to create the table
         * @return this builder
         */
        public Builder createTable(boolean createTable) {
            this.createTable = createTable;
            return this;
        }

        /**
         * Sets the consistency level of reads (default {@link CassandraStoreConfig#DEFAULT_READ_CONSISTENCY},
         * {@code LOCAL_QUORUM}).
         *
         * @param readConsistency the level
         * @return this builder
         */
        public Builder readConsistency(DefaultConsistencyLevel readConsistency) {
            this.readConsistency = readConsistency;
            return this;
        }

        /**
         * Sets the consistency level of writes and deletes (default
         * {@link CassandraStoreConfig#DEFAULT_WRITE_CONSISTENCY}, {@code LOCAL_QUORUM}).
         *
         * @param writeConsistency the level
         * @return this builder
         */
        public Builder writeConsistency(DefaultConsistencyLevel writeConsistency) {
            this.writeConsistency = writeConsistency;
            return this;
        }

        /**
         * Sets the most statements one bulk call keeps in flight (default
         * {@value CassandraStoreConfig#DEFAULT_MAX_IN_FLIGHT}, 1 to {@value CassandraStoreConfig#MAX_IN_FLIGHT_LIMIT}).
         *
         * @param maxInFlight the limit
         * @return this builder
         */
        public Builder maxInFlight(int maxInFlight) {
            this.maxInFlight = maxInFlight;
            return this;
        }

        /**
         * Sets how long one statement may take (default {@link CassandraStoreConfig#DEFAULT_REQUEST_TIMEOUT}, 10 s;
         * positive). Schema statements get 30 s at least.
         *
         * @param requestTimeout the timeout
         * @return this builder
         */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        /**
         * Validates every setting and builds the config.
         *
         * @return the config
         * @throws InvalidConfigException naming every invalid field, the rule it breaks and its value
         */
        @Override
        public CassandraStoreConfig build() {
            ConfigErrors errors = new ConfigErrors("CassandraStoreConfig");
            validateCommon(errors);
            List<InetSocketAddress> addresses = new ArrayList<>();
            if (contactPoints == null || contactPoints.isEmpty()) {
                errors.reject("contactPoints", "must hold at least one host:port", contactPoints);
            } else {
                for (String point : contactPoints) {
                    String problem = parse(point, addresses);
                    if (problem != null) {
                        errors.reject("contactPoints", problem, UriScrubber.scrub(point));
                    }
                }
            }
            errors.requireNotBlank("localDatacenter", localDatacenter);
            checkCredentials(errors, "credentials", username, password);
            requireIdentifier("keyspace", keyspace, errors);
            requireIdentifier("table", table, errors);
            errors.requireSet("readConsistency", readConsistency);
            errors.requireSet("writeConsistency", writeConsistency);
            if (maxInFlight < 1 || maxInFlight > MAX_IN_FLIGHT_LIMIT) {
                errors.reject("maxInFlight", "must be between 1 and " + MAX_IN_FLIGHT_LIMIT, maxInFlight);
            }
            errors.requirePositive("requestTimeout", requestTimeout);
            errors.throwIfAny();
            return new CassandraStoreConfig(this, addresses);
        }

        /**
         * Parses one contact point into {@code addresses}, or returns what is wrong with it; the caller shows the
         * point without any credentials (see {@link UriScrubber}).
         */
        private static String parse(String point, List<InetSocketAddress> addresses) {
            if (point != null && point.indexOf('@') >= 0) {
                return "must be host:port without credentials (give them to credentials(username, password))";
            }
            int colon = point == null ? -1 : point.lastIndexOf(':');
            if (colon <= 0) {
                return "must be host:port";
            }
            int port;
            try {
                port = Integer.parseInt(point.substring(colon + 1));
            } catch (NumberFormatException e) {
                return "must be host:port";
            }
            if (port < 1 || port > 65_535) {
                return "must have a port between 1 and 65535";
            }
            addresses.add(InetSocketAddress.createUnresolved(point.substring(0, colon), port));
            return null;
        }

        private static void requireIdentifier(String field, String value, ConfigErrors errors) {
            String problem = CassandraNames.identifierProblem(value);
            if (problem != null) {
                errors.reject(field, problem, value);
            }
        }
    }
}
