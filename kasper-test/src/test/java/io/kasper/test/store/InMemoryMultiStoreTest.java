package io.kasper.test.store;

import io.kasper.store.memory.InMemoryMultiStore;
import io.kasper.store.MultiStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class InMemoryMultiStoreTest extends MultiStoreContract {

    @Override
    protected MultiStore createMultiStore(String name) {
        return new InMemoryMultiStore(name, new SimpleMeterRegistry(), "contract");
    }
}
