package io.kasper.opensearch;

/**
 * When the documents written by a {@code _bulk} become visible to <em>searches</em> (the {@code refresh} parameter).
 *
 * <p>Reads by id ({@code get}, {@code getAll}, {@code fetch}: {@code _mget}) are real-time in OpenSearch and
 * Elasticsearch whatever the policy: they see every acknowledged write. Only searches, counts and aggregations (which
 * Kasper uses for nothing but {@code allTenants()}, and which refreshes first) depend on it. Immutable, thread-safe.
 */
public enum OpenSearchRefresh {

    /** {@code refresh=false}: the write returns at once; searches see it after the next periodic refresh. Default. */
    FALSE("false"),
    /** {@code refresh=true}: the affected shards are refreshed before the write returns; costly under load. */
    TRUE("true"),
    /** {@code refresh=wait_for}: the write returns once a periodic refresh made it visible (up to 1 s by default). */
    WAIT_FOR("wait_for");

    private final String parameter;

    OpenSearchRefresh(String parameter) {
        this.parameter = parameter;
    }

    /**
     * Returns the value of the {@code refresh} query parameter.
     *
     * @return the value of the {@code refresh} query parameter
     */
    public String parameter() {
        return parameter;
    }
}
