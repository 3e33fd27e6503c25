/**
 * Stores held in this JVM's memory: {@link io.kasper.store.memory.InMemoryStore} and
 * {@link io.kasper.store.memory.InMemoryMultiStore}, for tests and for state that may be lost on restart.
 *
 * <p>Application code and tests use them through the {@code io.kasper.store} interfaces. They are built on the
 * store SPI like any adapter, which is why they live apart from the store API: the API package never depends on the
 * SPI.
 */
package io.kasper.store.memory;
