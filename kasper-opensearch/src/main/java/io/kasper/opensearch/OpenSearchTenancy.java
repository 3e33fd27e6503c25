package io.kasper.opensearch;

/**
 * Maps the tenants of an {@link OpenSearchMultiStore} to indices, and back.
 *
 * <p>Every tenant lives in its own index. The default, {@link #prefixed(String)}, names the index of tenant {@code t}
 * {@code {prefix}-{t}}, escaping what index names may not hold. A custom tenancy (one index per customer under your
 * own naming scheme, say) must be injective, must map back every index it produces ({@link #tenant}), and must say
 * which indices may be tenant indices ({@link #indexPattern()}), because {@code allTenants()}, {@code flush()} and the
 * index template use that pattern. Implementations must be stateless or thread-safe.
 */
public interface OpenSearchTenancy {

    /**
     * Returns the index of a tenant.
     *
     * @param tenant a valid tenant (see {@link io.kasper.store.TenantKey})
     * @return a valid index name: lowercase, at most 255 bytes, without {@code \ / * ? " < > | , # :} or spaces,
     *         not starting with {@code - _ +}
     * @throws IllegalArgumentException when the tenant cannot be mapped (for instance: the name would be too long)
     */
    String index(String tenant);

    /**
     * Returns the tenant whose index this is.
     *
     * @param index an index matching {@link #indexPattern()}
     * @return the tenant, or null when the index is not one of this tenancy's
     */
    String tenant(String index);

    /**
     * Returns the wildcard expression matching every index of this tenancy (it may match others: {@link #tenant}
     * tells), e.g. {@code orders-*}.
     *
     * @return the index pattern
     */
    String indexPattern();

    /**
     * Returns the default tenancy: tenant {@code t} lives in index {@code {prefix}-{t}}. Characters other than
     * {@code a-z 0-9 _ - .} are escaped as {@code +xxxx} (the UTF-16 code unit in lowercase hex), so that names stay
     * valid and distinct tenants get distinct indices: tenant {@code Acme} is index {@code orders-+0041cme}. Tenants
     * whose index name would exceed 255 bytes are rejected. Indices of a prefix that extends this one with a dash
     * ({@code orders-eu} next to {@code orders}) would be taken for tenants: do not nest prefixes.
     *
     * @param prefix a valid index name
     * @return the tenancy, thread-safe
     * @throws IllegalArgumentException when the prefix is not a valid index name
     */
    static OpenSearchTenancy prefixed(String prefix) {
        return new PrefixTenancy(prefix);
    }
}
