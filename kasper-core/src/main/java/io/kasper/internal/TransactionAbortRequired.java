package io.kasper.internal;

/**
 * Thrown by {@link BatchRunner#run} under exactly-once when an attempt of a batch failed after it had handed output to
 * the producer, and the error policy would process the batch again (a transient failure with retries left, or a
 * poison message to set aside): that output is in the open transaction, and only aborting the transaction takes it
 * back. The loop aborts, rewinds every owned partition to its committed offset and processes again.
 *
 * <p>Thread-safety: immutable.
 */
final class TransactionAbortRequired extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Batch batch;

    TransactionAbortRequired(Batch batch, Throwable cause) {
        super("attempt of " + batch + " failed after producing output into the open transaction: " + cause, cause,
                false, false);
        this.batch = batch;
    }

    /** Returns the batch whose attempt failed. */
    Batch batch() {
        return batch;
    }
}
