/**
 * The store API: what a {@code MessageProcessor} uses to keep state outside the processor.
 *
 * <p>{@link io.kasper.store.Store} is a byte-array key-value store and {@link io.kasper.store.MultiStore} a
 * multi-tenant one (keys are {@link io.kasper.store.TenantKey}s, bulk values a {@link io.kasper.store.TenantMap});
 * {@link io.kasper.store.TypedStore} adds a {@link io.kasper.store.Codec} ({@link io.kasper.store.Utf8Codec},
 * {@link io.kasper.store.Int64Codec}) on top. Every backend failure is a {@link io.kasper.store.StoreException}.
 * Implementations live in {@code io.kasper.store.memory} and in the adapter modules (kasper-redis,
 * kasper-opensearch, kasper-cassandra).
 *
 * <p>Application code imports this package; adapter authors also use {@code io.kasper.store.spi}. This package
 * depends on {@code io.kasper} only.
 */
package io.kasper.store;
