package io.kasper.test;

/**
 * JUnit 5 extension that injects one shared {@link KafkaBroker} into test and lifecycle method parameters.
 *
 * <p>The broker is started on first use and shared by every test class of the same test run (it lives in the root
 * extension context store), then closed and deleted when the run ends. Tests that stop or kill a broker must start a
 * broker of their own with {@link KafkaBroker#start()} instead.
 *
 * <pre>{@code
 * @ExtendWith(KafkaBrokerExtension.class)
 * class OrdersIT {
 *     @Test
 *     void joinsOrders(KafkaBroker broker) { broker.createTopic("orders", 4); ... }
 * }
 * }</pre>
 *
 * <p>Thread-safety: safe for parallel test execution (the store creates the broker once).
 */
public final class KafkaBrokerExtension extends SharedServerExtension<KafkaBroker> {

    /** Creates the extension; JUnit calls this. */
    public KafkaBrokerExtension() {
        super(KafkaBroker.class, KafkaBroker::start);
    }
}
