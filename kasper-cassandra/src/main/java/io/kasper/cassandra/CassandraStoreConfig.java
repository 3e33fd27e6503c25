package io.kasper.cassandra;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import io.kasper.InvalidConfigException;
import io.kasper.store.spi.StoreConfigRules;
import io.kasper.store.spi.UriScrubber;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Settings of a {@link CassandraStore} or {@link CassandraMultiStore}: contact points, datacenter, keyspace, table (or
 * tenant table prefix), table creation, consistency levels, concurrency, timeouts and metrics. Build with
 * {@link #builder()}; {@link Builder#build()} validates every field.
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
public final class CassandraStoreConfig {

    /** Default {@link Builder#requestTimeout}: 10 s per statement. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** Default {@link Builder#maxInFlight}: 128 statements in flight per bulk call. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 128;

    private final String name;
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
    private final MeterRegistry meterRegistry;
    private final String processor;

    private CassandraStoreConfig(Builder builder, List<InetSocketAddress> contactPoints) {
        this.name = builder.name;
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

    /** Returns the contact points (unresolved host and port). */
    public List<InetSocketAddress> contactPoints() {
        return contactPoints;
    }

    /** Returns the local datacenter the driver's load balancing uses. */
    public String localDatacenter() {
        return localDatacenter;
    }

    /** Returns the user for plain-text authentication, or null for none. */
    public String username() {
        return username;
    }

    /** Returns the password for plain-text authentication, or null for none. */
    public String password() {
        return password;
    }

    /** Returns the keyspace, which must exist. */
    public String keyspace() {
        return keyspace;
    }

    /** Returns the table of a {@link CassandraStore}, or the tenant table prefix of a {@link CassandraMultiStore}. */
    public String table() {
        return table;
    }

    /** Returns whether a {@link CassandraStore} creates its table when missing (else it validates it). */
    public boolean createTable() {
        return createTable;
    }

    /** Returns the consistency level of reads. */
    public DefaultConsistencyLevel readConsistency() {
        return readConsistency;
    }

    /** Returns the consistency level of writes and deletes. */
    public DefaultConsistencyLevel writeConsistency() {
        return writeConsistency;
    }

    /** Returns the most statements one bulk call keeps in flight. */
    public int maxInFlight() {
        return maxInFlight;
    }

    /** Returns how long one statement may take. */
    public Duration requestTimeout() {
        return requestTimeout;
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
        return "CassandraStoreConfig{name='" + name + "', contactPoints=" + contactPoints + ", localDatacenter='"
                + localDatacenter + "', username=" + username + ", keyspace='" + keyspace + "', table='" + table
                + "', createTable=" + createTable + ", readConsistency=" + readConsistency + ", writeConsistency="
                + writeConsistency + ", maxInFlight=" + maxInFlight + ", requestTimeout=" + requestTimeout
                + ", processor='" + processor + "'}";
    }

    /**
     * Builds a {@link CassandraStoreConfig}. Setters only record; {@link #build()} validates.
     *
     * <p>Not thread-safe: use from one thread.
     */
    public static final class Builder {

        private static final StoreConfigRules RULES = new StoreConfigRules("CassandraStoreConfig");

        private String name;
        private List<String> contactPoints;
        private String localDatacenter = "datacenter1";
        private String username;
        private String password;
        private String keyspace;
        private String table;
        private boolean createTable;
        private DefaultConsistencyLevel readConsistency = DefaultConsistencyLevel.LOCAL_QUORUM;
        private DefaultConsistencyLevel writeConsistency = DefaultConsistencyLevel.LOCAL_QUORUM;
        private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
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
         * Sets the local datacenter (default {@code datacenter1}, not blank).
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
         * (default false: the table must exist with those columns). A multi-store always creates tenant tables.
         *
         * @param createTable whether to create the table
         * @return this builder
         */
        public Builder createTable(boolean createTable) {
            this.createTable = createTable;
            return this;
        }

        /**
         * Sets the consistency level of reads (default {@code LOCAL_QUORUM}).
         *
         * @param readConsistency the level
         * @return this builder
         */
        public Builder readConsistency(DefaultConsistencyLevel readConsistency) {
            this.readConsistency = readConsistency;
            return this;
        }

        /**
         * Sets the consistency level of writes and deletes (default {@code LOCAL_QUORUM}).
         *
         * @param writeConsistency the level
         * @return this builder
         */
        public Builder writeConsistency(DefaultConsistencyLevel writeConsistency) {
            this.writeConsistency = writeConsistency;
            return this;
        }

        /**
         * Sets the most statements one bulk call keeps in flight (default 128, 1 to 10,000).
         *
         * @param maxInFlight the limit
         * @return this builder
         */
        public Builder maxInFlight(int maxInFlight) {
            this.maxInFlight = maxInFlight;
            return this;
        }

        /**
         * Sets how long one statement may take (default 10 s, positive). Schema statements get 30 s at least.
         *
         * @param requestTimeout the timeout
         * @return this builder
         */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
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
        public CassandraStoreConfig build() {
            RULES.requireNotBlank("name", name);
            if (contactPoints == null || contactPoints.isEmpty()) {
                throw RULES.invalid("contactPoints", "must hold at least one host:port", contactPoints);
            }
            List<InetSocketAddress> addresses = new ArrayList<>();
            for (String point : contactPoints) {
                addresses.add(parse(point));
            }
            RULES.requireNotBlank("localDatacenter", localDatacenter);
            if ((username == null) != (password == null)) {
                throw RULES.invalid("credentials", "needs both username and password", username);
            }
            requireIdentifier("keyspace", keyspace);
            requireIdentifier("table", table);
            if (readConsistency == null) {
                throw RULES.invalid("readConsistency", "must be set", null);
            }
            if (writeConsistency == null) {
                throw RULES.invalid("writeConsistency", "must be set", null);
            }
            if (maxInFlight < 1 || maxInFlight > 10_000) {
                throw RULES.invalid("maxInFlight", "must be between 1 and 10000", maxInFlight);
            }
            if (requestTimeout == null) {
                throw RULES.invalid("requestTimeout", "must be set", null);
            }
            if (requestTimeout.isNegative() || requestTimeout.isZero()) {
                throw RULES.invalid("requestTimeout", "must be positive", requestTimeout);
            }
            if (meterRegistry == null) {
                throw RULES.invalid("meterRegistry", "must be set", null);
            }
            if (processor != null) {
                RULES.requireNotBlank("processor", processor);
            }
            return new CassandraStoreConfig(this, addresses);
        }

        /** Parses one contact point; messages show it without any credentials (see {@link UriScrubber}). */
        private static InetSocketAddress parse(String point) {
            String shown = UriScrubber.scrub(point);
            if (point != null && point.indexOf('@') >= 0) {
                throw RULES.invalid("contactPoints", "must be host:port without credentials (give them to "
                        + "credentials(username, password))", shown);
            }
            int colon = point == null ? -1 : point.lastIndexOf(':');
            if (colon <= 0) {
                throw RULES.invalid("contactPoints", "must be host:port", shown);
            }
            try {
                int port = Integer.parseInt(point.substring(colon + 1));
                if (port < 1 || port > 65_535) {
                    throw RULES.invalid("contactPoints", "must have a port between 1 and 65535", shown);
                }
                return InetSocketAddress.createUnresolved(point.substring(0, colon), port);
            } catch (NumberFormatException e) {
                throw RULES.invalid("contactPoints", "must be host:port", shown);
            }
        }

        private static void requireIdentifier(String field, String value) {
            String problem = CassandraNames.identifierProblem(value);
            if (problem != null) {
                throw RULES.invalid(field, problem, value);
            }
        }


    }
}
