/**
 * The Cassandra store adapter: {@link io.kasper.cassandra.CassandraStore} and
 * {@link io.kasper.cassandra.CassandraMultiStore} over the Apache Cassandra Java driver, configured by
 * {@link io.kasper.cassandra.CassandraStoreConfig}. Applications create them and use them as
 * {@code io.kasper.store.Store} / {@code MultiStore}; every other type here is package-private.
 */
package io.kasper.cassandra;
