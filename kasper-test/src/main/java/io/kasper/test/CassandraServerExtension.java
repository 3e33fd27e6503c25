package io.kasper.test;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that injects one shared {@link CassandraServer} into test and lifecycle method parameters.
 *
 * <p>The node is started on first use and shared by every test class of the same test run (root extension context
 * store), then killed and deleted when the run ends. Tests sharing it must use distinct keyspaces or tables (for
 * instance a random name per test). Tests that kill it must start a node of their own with
 * {@link CassandraServer#start()}.
 *
 * <pre>{@code
 * @ExtendWith(CassandraServerExtension.class)
 * class RowsIT {
 *     @Test
 *     void stores(CassandraServer cassandra) { ... cassandra.contactPoint() ... }
 * }
 * }</pre>
 *
 * <p>Thread-safety: safe for parallel test execution (the store creates the node once).
 */
public final class CassandraServerExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(CassandraServerExtension.class);

    /** Creates the extension; JUnit calls this. */
    public CassandraServerExtension() {
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == CassandraServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return extensionContext.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(CassandraServer.class, key -> CassandraServer.start(), CassandraServer.class);
    }
}
