/**
 * The OpenSearch store adapter: {@link io.kasper.opensearch.OpenSearchStore} and
 * {@link io.kasper.opensearch.OpenSearchMultiStore} over the REST API ({@code java.net.http} and Jackson), configured
 * by {@link io.kasper.opensearch.OpenSearchStoreConfig} with its {@link io.kasper.opensearch.OpenSearchRefresh} and
 * {@link io.kasper.opensearch.OpenSearchTenancy} options. Applications create them and use them as
 * {@code io.kasper.store.Store} / {@code MultiStore}; every other type here is package-private.
 */
package io.kasper.opensearch;
