package io.kasper.test;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that injects one shared {@link RedisServer} into test and lifecycle method parameters.
 *
 * <p>The server is started on first use and shared by every test class of the same test run (root extension context
 * store), then killed and deleted when the run ends. Tests sharing it must use distinct key prefixes. Tests that kill,
 * stop, restart it or read its global statistics must start a server of their own with {@link RedisServer#start()}.
 *
 * <pre>{@code
 * @ExtendWith(RedisServerExtension.class)
 * class CountsIT {
 *     @Test
 *     void counts(RedisServer redis) { ... redis.uri() ... }
 * }
 * }</pre>
 *
 * <p>Thread-safety: safe for parallel test execution (the store creates the server once).
 */
public final class RedisServerExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(RedisServerExtension.class);

    /** Creates the extension; JUnit calls this. */
    public RedisServerExtension() {
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == RedisServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return extensionContext.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(RedisServer.class, key -> RedisServer.start(), RedisServer.class);
    }
}
