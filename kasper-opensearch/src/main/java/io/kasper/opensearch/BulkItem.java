package io.kasper.opensearch;

/**
 * One action of a {@code _bulk}: index a value, or delete when the value is null. Immutable (the array is the
 * caller's), thread-safe.
 *
 * @param index the index
 * @param key the key (not yet mapped to a document id)
 * @param value the value to index, or null to delete
 */
record BulkItem(String index, String key, byte[] value) {
}
