package io.kasper.internal;

import io.kasper.KasperException;
import io.kasper.PartitionListener;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Tells the user's {@link PartitionListener}, if any, about partition numbers, and turns an exception it throws into
 * the {@link KasperException} that stops the processor (with a JVM Error thrown by the listener as its cause). Shared by the {@code TopicProcessor} loop and the test driver,
 * so that both report a failing listener the same way.
 *
 * <p>Thread-safety: immutable; the listener itself is called on the caller's thread.
 */
final class ListenerCalls {

    private final ProcessorLogContext context;
    private final Optional<PartitionListener> listener;

    /**
     * Creates the calls of one processor's listener.
     *
     * @param context names the processor in messages
     * @param listener the listener, or empty when none is configured (every call then does nothing)
     */
    public ListenerCalls(ProcessorLogContext context, Optional<PartitionListener> listener) {
        this.context = context;
        this.listener = listener;
    }

    /**
     * Calls {@link PartitionListener#onPartitionsAssigned}.
     *
     * @param numbers the partition numbers
     * @throws KasperException when the listener throws; the message names the method and the partitions
     */
    public void assigned(Set<Integer> numbers) {
        call(l -> l.onPartitionsAssigned(numbers), "onPartitionsAssigned", numbers);
    }

    /**
     * Calls {@link PartitionListener#onPartitionsRevoked}.
     *
     * @param numbers the partition numbers
     * @throws KasperException when the listener throws; the message names the method and the partitions
     */
    public void revoked(Set<Integer> numbers) {
        call(l -> l.onPartitionsRevoked(numbers), "onPartitionsRevoked", numbers);
    }

    /**
     * Calls {@link PartitionListener#onPartitionsLost}.
     *
     * @param numbers the partition numbers
     * @throws KasperException when the listener throws; the message names the method and the partitions
     */
    public void lost(Set<Integer> numbers) {
        call(l -> l.onPartitionsLost(numbers), "onPartitionsLost", numbers);
    }

    private void call(Consumer<PartitionListener> call, String method, Set<Integer> numbers) {
        if (listener.isEmpty()) {
            return;
        }
        try {
            call.accept(listener.get());
        } catch (Throwable e) { // an Error too (StackOverflowError, ...): the caller decides how it stops the loop
            throw new KasperException(context.message("PartitionListener." + method + "("
                    + numbers + ") threw: " + e), e);
        }
    }
}
