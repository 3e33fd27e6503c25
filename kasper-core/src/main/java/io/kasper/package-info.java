/**
 * The Kasper API: what an application uses to process Kafka topics in micro-batches.
 *
 * <p>{@link io.kasper.TopicProcessor} runs the loop, configured by {@link io.kasper.TopicProcessorConfig} and
 * {@link io.kasper.ErrorPolicy}; applications implement {@link io.kasper.MessageProcessor} (or
 * {@link io.kasper.TypedMessageProcessor} / {@link io.kasper.DeserializingProcessor}) and, optionally,
 * {@link io.kasper.PartitionListener}, and write output through {@link io.kasper.Sender}. Every exception Kasper
 * throws is a {@link io.kasper.KasperException}; meter names and tags are in {@link io.kasper.KasperMetrics}.
 *
 * <p>Everything public here is API. This package depends on no other Kasper package except
 * {@code io.kasper.internal}, which it hides: the store packages depend on it, never the reverse.
 */
package io.kasper;
