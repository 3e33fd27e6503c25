package io.kasper.opensearch;

/**
 * A key in an index. Immutable, thread-safe.
 *
 * @param index the index
 * @param key the key (not yet mapped to a document id)
 */
record DocRef(String index, String key) {
}
