package io.kasper.test;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that injects one shared {@link OpenSearchServer} into test and lifecycle method parameters.
 *
 * <p>The node is started on first use and shared by every test class of the same test run (root extension context
 * store), then stopped and deleted when the run ends. Tests sharing it must use distinct index names (for instance a
 * random prefix per test). Tests that stop it must start a node of their own with {@link OpenSearchServer#start()}.
 *
 * <pre>{@code
 * @ExtendWith(OpenSearchServerExtension.class)
 * class DocumentsIT {
 *     @Test
 *     void stores(OpenSearchServer openSearch) { ... openSearch.uri() ... }
 * }
 * }</pre>
 *
 * <p>Thread-safety: safe for parallel test execution (the store creates the node once).
 */
public final class OpenSearchServerExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(OpenSearchServerExtension.class);

    /** Creates the extension; JUnit calls this. */
    public OpenSearchServerExtension() {
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == OpenSearchServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return extensionContext.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(OpenSearchServer.class, key -> OpenSearchServer.start(), OpenSearchServer.class);
    }
}
