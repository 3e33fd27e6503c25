package io.kasper.test;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The JUnit 5 parameter resolver behind each server extension of the test kit: injects one server of type
 * {@code S}, started on first use and kept in the root extension context store, so every test class of the same test
 * run shares it; the store closes it when the run ends.
 *
 * <p>Thread-safety: safe for parallel test execution (the store creates the server once).
 *
 * @param <S> the server type
 */
abstract class SharedServerExtension<S extends AutoCloseable> implements ParameterResolver {

    private final Class<S> type;
    private final Supplier<S> start;

    /**
     * Creates the resolver.
     *
     * @param type the parameter type it resolves
     * @param start starts a server; called once per test run
     */
    SharedServerExtension(Class<S> type, Supplier<S> start) {
        this.type = type;
        this.start = start;
    }

    @Override
    public final boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == type;
    }

    @Override
    public final Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        // one namespace per extension class, as each extension has its own server type
        return extensionContext.getRoot().getStore(ExtensionContext.Namespace.create(getClass()))
                .getOrComputeIfAbsent(type, key -> start.get(), type);
    }
}
