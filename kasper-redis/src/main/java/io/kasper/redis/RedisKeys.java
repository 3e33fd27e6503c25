package io.kasper.redis;

/**
 * The Redis key layout, as in the Go Kasper: {@code {prefix}/{key}} for a single store and
 * {@code {tenant}/{prefix}/{key}} for a tenant of a multi-store. Tenants hold no {@code '/'}, so the first segment of
 * a tenant key is its tenant. Thread-safe (immutable).
 */
final class RedisKeys {

    private final String prefix;

    RedisKeys(String prefix) {
        this.prefix = prefix;
    }

    String single(String key) {
        return prefix + '/' + key;
    }

    String tenant(String tenant, String key) {
        return tenant + '/' + prefix + '/' + key;
    }

    /** Returns the SCAN MATCH pattern of every tenant key of this prefix: {@code *\/{prefix}/*}, prefix escaped. */
    String tenantPattern() {
        StringBuilder pattern = new StringBuilder("*/");
        for (char c : prefix.toCharArray()) {
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                pattern.append('\\');
            }
            pattern.append(c);
        }
        return pattern.append("/*").toString();
    }

    /** Returns the tenant of a key laid out as {@code {tenant}/{prefix}/{key}}, or null when it is not one. */
    String tenantOf(String redisKey) {
        int slash = redisKey.indexOf('/');
        if (slash <= 0 || !redisKey.startsWith(prefix + '/', slash + 1)) {
            return null;
        }
        return redisKey.substring(0, slash);
    }
}
