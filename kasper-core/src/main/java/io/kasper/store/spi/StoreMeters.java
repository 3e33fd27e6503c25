package io.kasper.store.spi;

import io.kasper.KasperException;
import io.kasper.KasperMetrics;
import io.kasper.store.StoreException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Records the {@code kasper.store.*} meters of one store and turns backend failures into {@link StoreException}s,
 * retriable or not by the adapter's rule (see {@link #isRetriable}).
 *
 * <p>Meters are registered per operation on first use and all removed by {@link #removeAll()}. Each instance tags
 * them with its own {@code kasper.instance} ({@code <name>-<n>}, unique in the JVM), so two stores of one name and
 * processor sharing a registry (one per processor instance, say) never share a meter, and closing one leaves the
 * other's meters registered. Thread-safe when the rule is.
 */
final class StoreMeters {

    /** Never transient: the rule of stores that do not classify their failures. */
    static final Predicate<Throwable> NO_TRANSIENT_FAILURES = failure -> false;

    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final MeterRegistry registry;
    private final String instance;
    private final Tags tags;
    private final String description;
    private final Predicate<Throwable> transientFailure;
    private final ConcurrentMap<String, OperationMeters> byOperation = new ConcurrentHashMap<>();

    StoreMeters(String kind, String name, MeterRegistry registry, String processor,
            Predicate<Throwable> transientFailure) {
        Objects.requireNonNull(kind, "kind must not be null");
        Objects.requireNonNull(name, "name must not be null");
        this.registry = Objects.requireNonNull(registry, "registry must not be null");
        Objects.requireNonNull(processor, "processor must not be null");
        this.instance = name + "-" + INSTANCES.incrementAndGet();
        this.tags = Tags.of(KasperMetrics.TAG_PROCESSOR, processor, KasperMetrics.TAG_INSTANCE, instance,
                KasperMetrics.TAG_STORE, name);
        this.description = "store '" + name + "' (" + kind + ")";
        this.transientFailure = Objects.requireNonNull(transientFailure, "transientFailure must not be null");
    }

    /** Returns the {@code kasper.instance} tag of this store's meters. */
    String instance() {
        return instance;
    }

    /** Returns "store 'name' (kind)", the prefix of every message about this store. */
    String description() {
        return description;
    }

    /**
     * Runs one backend call, counting it, its keys (when {@code keys >= 0}), its latency and its failure.
     *
     * @throws StoreException wrapping any runtime exception of the call, retriable as {@link #isRetriable} decides
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
            throw callFailed(description, tenant, operation, keys, e, isRetriable(e));
        } finally {
            meters.latency.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Decides whether a backend failure may succeed when retried: walks the failure and its causes, outermost first;
     * the first {@link StoreException} met decides with its own flag (the adapter threw it, so it already classified
     * that failure, whatever it wraps), otherwise the failure is retriable as soon as the adapter's rule calls one of
     * them transient. A rule that throws is a bug of the adapter: its exception is added to the failure as suppressed
     * and the failure counts as not retriable, so that the backend's failure is still the one reported.
     */
    boolean isRetriable(RuntimeException failure) {
        for (Throwable link : KasperException.causeChain(failure)) {
            if (link instanceof StoreException classified) {
                return classified.isRetriable();
            }
            try {
                if (transientFailure.test(link)) {
                    return true;
                }
            } catch (RuntimeException ruleFailure) {
                failure.addSuppressed(ruleFailure);
                return false;
            }
        }
        return false;
    }

    /** Runs one backend call that returns nothing; see {@link #record}. */
    void run(String tenant, String operation, int keys, Runnable call) {
        record(tenant, operation, keys, () -> {
            call.run();
            return null;
        });
    }

    /**
     * Closes the store, once: runs {@code doClose}, wraps its failure (never retriable: a closed store cannot be
     * called again) and removes the meters when {@code removeMeters}, whatever happens.
     */
    void close(String tenant, Runnable doClose, boolean removeMeters) {
        try {
            doClose.run();
        } catch (RuntimeException e) {
            throw callFailed(description, tenant, "close", -1, e, false);
        } finally {
            if (removeMeters) {
                removeAll();
            }
        }
    }

    /**
     * Returns the distinct keys, in their first order.
     *
     * @throws NullPointerException when {@code keys} is or holds null
     */
    static <K> List<K> distinct(Collection<K> keys) {
        Objects.requireNonNull(keys, "keys must not be null");
        Set<K> distinct = new LinkedHashSet<>(keys.size() * 2);
        for (K key : keys) {
            distinct.add(Objects.requireNonNull(key, "keys must not hold null"));
        }
        return new ArrayList<>(distinct);
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

    /**
     * Wraps a backend failure of one call, naming the call.
     *
     * @param retriable the classification of the failure (see {@link #isRetriable})
     */
    static StoreException callFailed(String store, String tenant, String operation, int keys, Throwable cause,
            boolean retriable) {
        return new StoreException(describeCall(store, tenant, operation, keys) + " failed: " + describe(cause), cause,
                retriable);
    }

    /** Formats "store 'counts' (redis) tenant 'acme' getAll of 3 keys"; keys below zero are left out. */
    private static String describeCall(String store, String tenant, String operation, int keys) {
        StringBuilder text = new StringBuilder(store);
        if (tenant != null) {
            text.append(" tenant '").append(tenant).append('\'');
        }
        text.append(' ').append(operation);
        if (keys >= 0) {
            text.append(" of ").append(keys).append(keys == 1 ? " key" : " keys");
        }
        return text.toString();
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        if (cause instanceof StoreException) {
            // an adapter's own StoreException already explains itself; its class name adds nothing
            return message == null ? "" : message;
        }
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
