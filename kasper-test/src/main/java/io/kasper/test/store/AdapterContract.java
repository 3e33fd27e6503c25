package io.kasper.test.store;

import io.kasper.store.MultiStore;
import io.kasper.store.Store;
import org.junit.jupiter.api.Nested;

/**
 * The whole contract of an adapter that has both a {@link Store} and a {@link MultiStore}: runs
 * {@link StoreContract} on {@link #createStore(String)} and {@link MultiStoreContract} on
 * {@link #createMultiStore(String)}, as two nested test classes of one {@code *Test} or {@code *IT} class. A server
 * the adapter needs can come in through the test class's constructor, from a parameter-resolving extension.
 *
 * <pre>{@code
 * @ExtendWith(RedisServerExtension.class)
 * class RedisStoreIT extends AdapterContract {
 *     private final RedisServer redis;
 *     RedisStoreIT(RedisServer redis) { this.redis = redis; }
 *     protected Store createStore(String name) { return RedisStore.create(config(name)); }
 *     protected MultiStore createMultiStore(String name) { return RedisMultiStore.create(config(name)); }
 *     ...
 * }
 * }</pre>
 *
 * <p>Not thread-safe (JUnit runs one test per instance).
 */
public abstract class AdapterContract {

    /** Creates the contract; JUnit instantiates subclasses. */
    protected AdapterContract() {
    }

    /**
     * Creates a fresh, empty store, as {@link StoreContract#createStore(String)}.
     *
     * @param name the store's name
     * @return the store, closed by the contract after the test
     */
    protected abstract Store createStore(String name);

    /**
     * Creates a fresh, empty multi-store, as {@link MultiStoreContract#createMultiStore(String)}.
     *
     * @param name the store's name
     * @return the store, closed by the contract after the test
     */
    protected abstract MultiStore createMultiStore(String name);

    /** The store contract on the adapter's {@link Store}. */
    @Nested
    class StoreTests extends StoreContract {

        @Override
        protected Store createStore(String name) {
            return AdapterContract.this.createStore(name);
        }
    }

    /** The multi-store contract on the adapter's {@link MultiStore}. */
    @Nested
    class MultiStoreTests extends MultiStoreContract {

        @Override
        protected MultiStore createMultiStore(String name) {
            return AdapterContract.this.createMultiStore(name);
        }
    }
}
