package io.kasper.test;

/**
 * Resolves the classpath of the Kafka broker that the harness forks.
 *
 * <p>The system property {@value #CLASSPATH_PROPERTY} wins when set. Otherwise the classpath recorded by the
 * {@code kasper-broker} module at build time is used (see {@link ServerClasspath}). Thread-safe (stateless).
 */
final class BrokerClasspath {

    static final String CLASSPATH_PROPERTY = "kasper.broker.classpath";
    private static final String RESOURCE = "/io/kasper/broker/broker.classpath";

    private BrokerClasspath() {
    }

    /**
     * Returns the broker classpath, every entry checked to exist.
     *
     * @throws IllegalStateException when the classpath cannot be found or names a missing jar
     */
    static String resolve() {
        return ServerClasspath.resolve(RESOURCE, CLASSPATH_PROPERTY, "kasper-broker");
    }
}
