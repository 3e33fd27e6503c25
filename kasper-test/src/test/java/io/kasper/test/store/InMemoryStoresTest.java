package io.kasper.test.store;

import io.kasper.store.MultiStore;
import io.kasper.store.Store;
import io.kasper.store.memory.InMemoryMultiStore;
import io.kasper.store.memory.InMemoryStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The in-memory stores pass the adapter contract (and so prove it runs both of its nested contracts). */
class InMemoryStoresTest extends AdapterContract {

    @Override
    protected Store createStore(String name) {
        return new InMemoryStore(name, new SimpleMeterRegistry(), "contract");
    }

    @Override
    protected MultiStore createMultiStore(String name) {
        return new InMemoryMultiStore(name, new SimpleMeterRegistry(), "contract");
    }
}
