package io.kasper.store;

import java.util.Objects;

/**
 * A key of one tenant in a {@link MultiStore}.
 *
 * <p>The tenant must be non-empty and free of {@code '/'}, because adapters such as Redis lay keys out as
 * {@code {tenant}/{prefix}/{key}} and recover the tenant from the first segment. Keys are unrestricted. Immutable and
 * thread-safe.
 *
 * @param tenant the tenant, non-empty, without {@code '/'}
 * @param key the key within the tenant, not null
 */
public record TenantKey(String tenant, String key) {

    /**
     * Validates the components.
     *
     * @param tenant the tenant, non-empty, without {@code '/'}
     * @param key the key within the tenant, not null
     * @throws NullPointerException when the tenant or the key is null
     * @throws IllegalArgumentException when the tenant is empty or contains {@code '/'}
     */
    public TenantKey {
        validateTenant(tenant);
        Objects.requireNonNull(key, "key must not be null");
    }

    /**
     * Checks a tenant name against the rules of this class.
     *
     * @param tenant the tenant name
     * @return the tenant, for chaining
     * @throws NullPointerException when the tenant is null
     * @throws IllegalArgumentException when the tenant is empty or contains {@code '/'}
     */
    public static String validateTenant(String tenant) {
        Objects.requireNonNull(tenant, "tenant must not be null");
        if (tenant.isEmpty()) {
            throw new IllegalArgumentException("tenant must not be empty");
        }
        if (tenant.indexOf('/') >= 0) {
            throw new IllegalArgumentException("tenant must not contain '/', was '" + tenant + "'");
        }
        return tenant;
    }
}
