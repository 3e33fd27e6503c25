package io.kasper.cassandra;

import io.kasper.store.StoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * Starts asynchronous calls with at most a fixed number in flight, and waits for all of them.
 *
 * <p>The calling thread starts call {@code i} once a permit is free, so at most {@code maxInFlight} calls are
 * outstanding at any time; after the first failure no further call is started. Thread-safe (no state between runs).
 */
final class BoundedRunner {

    private final int maxInFlight;

    BoundedRunner(int maxInFlight) {
        this.maxInFlight = maxInFlight;
    }

    /**
     * Runs {@code count} calls.
     *
     * @param count how many calls
     * @param call starts call {@code i} and returns its completion
     * @return the results, in call order
     * @throws RuntimeException the first failure of a call (wrapped in a {@link StoreException} when checked)
     * @throws StoreException when interrupted while waiting for a permit
     */
    <T> List<T> run(int count, IntFunction<CompletionStage<T>> call) {
        Semaphore permits = new Semaphore(maxInFlight);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<CompletableFuture<T>> futures = new ArrayList<>(count);
        for (int i = 0; i < count && failure.get() == null; i++) {
            try {
                permits.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreException("interrupted with " + futures.size() + " of " + count + " statements sent", e);
            }
            CompletableFuture<T> future = call.apply(i).toCompletableFuture();
            future.whenComplete((result, error) -> {
                if (error != null) {
                    failure.compareAndSet(null, error);
                }
                permits.release();
            });
            futures.add(future);
        }
        try {
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw cause instanceof RuntimeException runtime ? runtime : new StoreException(cause.toString(), cause);
        }
        List<T> results = new ArrayList<>(count);
        futures.forEach(future -> results.add(future.join()));
        return results;
    }
}
