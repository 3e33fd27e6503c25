package io.kasper.test;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

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
public final class KafkaBrokerExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KafkaBrokerExtension.class);

    /** Creates the extension; JUnit calls this. */
    public KafkaBrokerExtension() {
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == KafkaBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return extensionContext.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(KafkaBroker.class, key -> KafkaBroker.start(), KafkaBroker.class);
    }
}
