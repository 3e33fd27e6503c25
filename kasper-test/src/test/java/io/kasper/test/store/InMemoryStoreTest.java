package io.kasper.test.store;

import io.kasper.store.memory.InMemoryStore;
import io.kasper.store.Store;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class InMemoryStoreTest extends StoreContract {

    @Override
    protected Store createStore(String name) {
        return new InMemoryStore(name, new SimpleMeterRegistry(), "contract");
    }
}
