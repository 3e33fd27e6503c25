package io.kasper.store;

import java.util.Collection;
import java.util.Set;

/**
 * A multi-tenant key-value store: one {@link Store} per tenant, plus bulk reads and writes across tenants.
 *
 * <p>Tenants are isolated: the same key under two tenants names two values. A tenant exists while it holds at least
 * one key. Tenant names are non-empty and contain no {@code '/'} (see {@link TenantKey}).
 * {@link #fetch} and {@link #push} perform ONE bulk call across all the tenants involved, where the adapter allows it.
 *
 * <p>Thread-safety: implementations shipped with Kasper are safe for concurrent use by many threads, and so are the
 * tenant views they hand out.
 */
public interface MultiStore extends AutoCloseable {

    /**
     * Returns the store of one tenant: a lightweight view sharing this store's connection and meters.
     *
     * <p>Closing the view only closes the view; closing this multi-store closes every view.
     *
     * @param tenant the tenant, non-empty, without {@code '/'}
     * @return the tenant's store
     * @throws IllegalArgumentException when the tenant name is empty or contains {@code '/'}
     * @throws IllegalStateException when the multi-store is closed
     * @throws NullPointerException when the tenant is null
     */
    Store tenant(String tenant);

    /**
     * Returns every tenant that currently holds at least one key; the cost is adapter-specific (documented there).
     *
     * @return a new set owned by the caller
     * @throws StoreException when the backend fails
     * @throws IllegalStateException when the store is closed
     */
    Set<String> allTenants();

    /**
     * Reads many keys across tenants in one bulk call.
     *
     * @param keys the tenant keys, none null; duplicates are read once
     * @return a new map owned by the caller, holding only the keys that are present
     * @throws StoreException when the backend fails
     * @throws IllegalStateException when the store is closed
     * @throws NullPointerException when the collection or an element is null
     */
    TenantMap fetch(Collection<TenantKey> keys);

    /**
     * Writes many entries across tenants in one bulk call, replacing previous values.
     *
     * @param entries the entries; the map is read, not kept
     * @throws StoreException when the backend fails (some entries may have been written: see the adapter)
     * @throws IllegalStateException when the store is closed
     * @throws NullPointerException when the map is null
     */
    void push(TenantMap entries);

    /**
     * Makes the writes acknowledged so far as durable as the store's own means allow (see {@link Store#flush()}).
     *
     * @throws StoreException when the backend fails
     * @throws IllegalStateException when the store is closed
     */
    void flush();

    /**
     * Releases what the store owns and removes its meters; its tenant views stop working. Idempotent.
     *
     * @throws StoreException when releasing a backend resource fails (the store counts as closed anyway)
     */
    @Override
    void close();
}
