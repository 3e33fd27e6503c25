/**
 * The store SPI: what an adapter author uses to implement a {@link io.kasper.store.Store} or
 * {@link io.kasper.store.MultiStore} over a backend. Application code does not need it.
 *
 * <p>An adapter extends {@link io.kasper.store.spi.MeteredStore} or {@link io.kasper.store.spi.MeteredMultiStore},
 * which record the {@code kasper.store.*} meters, check arguments and state, and wrap backend failures in
 * {@link io.kasper.store.StoreException}s, retriable by the adapter's rule. Its configuration extends
 * {@link io.kasper.store.spi.StoreConfig} (the name, meter registry and processor tag every store shares), reports
 * every invalid field at once with {@link io.kasper.ConfigErrors} and keeps credentials out of messages with
 * {@link io.kasper.store.spi.UriScrubber}. Adapters prove themselves with the contract tests of kasper-test
 * ({@code io.kasper.test.store}).
 *
 * <p>This package depends on {@code io.kasper.store} and {@code io.kasper}, never the reverse.
 */
package io.kasper.store.spi;
