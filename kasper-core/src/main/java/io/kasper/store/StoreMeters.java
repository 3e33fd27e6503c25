package io.kasper.store;

import io.kasper.KasperMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * Records the {@code kasper.store.*} meters of one store and turns backend failures into {@link StoreException}s.
 *
 * <p>Meters are registered per operation on first use and all removed by {@link #removeAll()}. Thread-safe.
 */
final class StoreMeters {

    private final MeterRegistry registry;
    private final Tags tags;
    private final String description;
    private final ConcurrentMap<String, OperationMeters> byOperation = new ConcurrentHashMap<>();

    StoreMeters(String kind, String name, MeterRegistry registry, String processor) {
        Objects.requireNonNull(kind, "kind must not be null");
        Objects.requireNonNull(name, "name must not be null");
        this.registry = Objects.requireNonNull(registry, "registry must not be null");
        Objects.requireNonNull(processor, "processor must not be null");
        this.tags = Tags.of(KasperMetrics.TAG_PROCESSOR, processor, KasperMetrics.TAG_STORE, name);
        this.description = "store '" + name + "' (" + kind + ")";
    }

    /** Returns "store 'name' (kind)", the prefix of every message about this store. */
    String description() {
        return description;
    }

    /**
     * Runs one backend call, counting it, its keys (when {@code keys >= 0}), its latency and its failure.
     *
     * @throws StoreException wrapping any runtime exception of the call
     */
    <T> T record(String tenant, String operation, int keys, Supplier<T> call) {
        OperationMeters meters = byOperation.computeIfAbsent(operation, this::register);
        meters.calls.increment();
        if (keys >= 0) {
            meters.keys.record(keys);
        }
        long started = System.nanoTime();
        try {
            return call.get();
        } catch (RuntimeException e) {
            meters.errors.increment();
            throw StoreException.callFailed(description, tenant, operation, keys, e);
        } finally {
            meters.latency.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    /** Removes every meter this instance registered. */
    void removeAll() {
        byOperation.values().forEach(meters -> meters.all().forEach(registry::remove));
        byOperation.clear();
    }

    private OperationMeters register(String operation) {
        Tags operationTags = tags.and(KasperMetrics.TAG_OPERATION, operation);
        return new OperationMeters(
                Counter.builder(KasperMetrics.STORE_CALLS).tags(operationTags)
                        .description("store calls").register(registry),
                DistributionSummary.builder(KasperMetrics.STORE_KEYS).tags(operationTags).baseUnit("keys")
                        .description("keys per store call").register(registry),
                Timer.builder(KasperMetrics.STORE_LATENCY).tags(operationTags)
                        .description("store call latency").register(registry),
                Counter.builder(KasperMetrics.STORE_ERRORS).tags(operationTags)
                        .description("failed store calls").register(registry));
    }

    private record OperationMeters(Counter calls, DistributionSummary keys, Timer latency, Counter errors) {
        List<Meter> all() {
            return List.of(calls, keys, latency, errors);
        }
    }
}
