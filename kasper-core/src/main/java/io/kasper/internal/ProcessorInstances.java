package io.kasper.internal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hands out the instance id of each topic processor (or test driver) created in this JVM: {@code kasper-<name>-<n>},
 * with {@code n} counting up from 1 across all names. The id prefixes the Kafka client ids and is the
 * {@value io.kasper.KasperMetrics#TAG_INSTANCE} tag of the processor's meters, so that several instances of one name
 * sharing a JVM (and a {@code MeterRegistry}) keep their meters and JMX registrations apart, and so that a meter can be
 * matched with the Kafka client metrics of the same instance.
 *
 * <p>Thread-safety: thread-safe.
 */
final class ProcessorInstances {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private ProcessorInstances() {
    }

    /**
     * Returns a new instance id, never returned before in this JVM.
     *
     * @param processorName the topic processor's name
     * @return {@code kasper-<processorName>-<n>}
     */
    public static String next(String processorName) {
        return "kasper-" + processorName + "-" + COUNTER.incrementAndGet();
    }
}
