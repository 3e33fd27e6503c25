package io.kasper.spring.boot;

import io.kasper.InvalidConfigException;
import java.util.Arrays;
import java.util.function.Supplier;
import org.springframework.beans.factory.support.RootBeanDefinition;

/**
 * The bean definition of a store: created on first use, closed with the context.
 *
 * <p>Thread-safety: stateless.
 */
final class StoreDefinitions {

    private StoreDefinitions() {
    }

    static <T extends AutoCloseable> RootBeanDefinition of(Class<T> type, Supplier<T> store) {
        RootBeanDefinition definition = new RootBeanDefinition(type, store);
        definition.setDestroyMethodName("close");
        return definition;
    }

    /** Builds a store config, prefixing its builder's errors with the property path they come from. */
    static <C> C build(String where, Supplier<C> builder) {
        try {
            return builder.get();
        } catch (InvalidConfigException e) {
            throw new InvalidConfigException(where + ": " + e.getMessage());
        }
    }

    /** Parses an enum property by constant name, case-insensitively, naming the property and the choices if not. */
    static <E extends Enum<E>> E constant(String property, Class<E> type, String value) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value.replace('-', '_'))) {
                return e;
            }
        }
        throw new InvalidConfigException(property + " must be one of " + Arrays.toString(
                type.getEnumConstants()) + ", was " + value);
    }
}
