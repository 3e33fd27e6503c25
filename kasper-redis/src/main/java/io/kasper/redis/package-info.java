/**
 * The Redis store adapter: {@link io.kasper.redis.RedisStore} and {@link io.kasper.redis.RedisMultiStore} over
 * Lettuce, configured by {@link io.kasper.redis.RedisStoreConfig}. Applications create them and use them as
 * {@code io.kasper.store.Store} / {@code MultiStore}; every other type here is package-private.
 */
package io.kasper.redis;
