/**
 * Contract tests for store adapters: extend {@link io.kasper.test.store.StoreContract} or
 * {@link io.kasper.test.store.MultiStoreContract} in an adapter's test to check it against the behaviour every
 * {@code io.kasper.store.Store} / {@code MultiStore} must have.
 */
package io.kasper.test.store;
