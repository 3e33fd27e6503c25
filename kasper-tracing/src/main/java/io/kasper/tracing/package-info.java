/**
 * Span links and output propagation for Kasper's observations ({@link io.kasper.KasperObservations}) with Micrometer
 * Tracing: register {@link io.kasper.tracing.KasperTracingObservationHandler} ahead of the default tracing handler.
 */
package io.kasper.tracing;
