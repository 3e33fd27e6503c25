package io.kasper.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * A processed batch whose output messages are being acknowledged. It is complete when the processor has returned
 * ({@link #seal()}) and every output message has been acknowledged or has failed.
 *
 * <p>It is also the producer {@link Callback} of every one of its output messages: one object per batch instead of one
 * per message keeps the hot path free of allocations.
 *
 * <p>Thread-safety: thread-safe; producer callbacks complete it from the producer's I/O thread (one thread per
 * producer, so the acknowledgement counts are written by one thread at a time and read only once the batch is done).
 */
final class InFlightBatch implements Callback {

    /** The batch; without its messages once sealed (see {@link Batch#withoutRecords()}). Loop thread only. */
    private Batch batch;
    private final MemoryBudget budget;
    /** The context of the span of the attempt that completed the batch, or null (see {@link BatchObservations}). */
    private String traceparent;
    /** Bytes of output handed to the producer; written on the loop thread before the matching pending count. */
    private long outputBytes;
    /** One for the processor still running, plus one per output message not yet acknowledged. */
    private final AtomicInteger pending = new AtomicInteger(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile long producedNanos;
    /** Whether {@link #seal()} ran; written and read by the loop thread only. */
    private boolean sealed;
    /** Whether any output was handed to the producer for this tracking; loop thread only. */
    private boolean produced;
    /** Acknowledged messages per output topic, indexed by partition. */
    private final Map<String, long[]> acks = new HashMap<>();
    /**
     * The topic of the last acknowledgement and its entry of {@link #acks}: the producer completes a whole produce
     * batch (one topic) at a time, with the same topic instance, so most acknowledgements skip the map lookup.
     */
    private String lastTopic;
    private long[] lastAcks;
    private final AtomicBoolean acksTaken = new AtomicBoolean();

    InFlightBatch(Batch batch) {
        this(batch, MemoryBudget.unlimited());
    }

    InFlightBatch(Batch batch, MemoryBudget budget) {
        this.batch = batch;
        this.budget = budget;
    }

    Batch batch() {
        return batch;
    }

    void expectAck() {
        expectAck(0);
    }

    /** Expects the acknowledgement of an output message of {@code bytes}, counted until the batch is done. */
    void expectAck(long bytes) {
        outputBytes += bytes;
        budget.outputSent(bytes);
        pending.incrementAndGet();
        produced = true;
    }

    /**
     * Expects the acknowledgements of {@code count} output messages about to be handed to the producer; their bytes
     * follow with {@link #outputSent} once they are. One atomic update per flush instead of one per message.
     */
    void expectAcks(int count) {
        pending.addAndGet(count);
        produced = true;
    }

    /**
     * Returns whether output (or a dead letter) was handed, or was about to be handed, to the producer for this
     * tracking: under exactly-once it is in the open transaction and only an abort takes it back.
     */
    boolean hasProduced() {
        return produced;
    }

    /**
     * Counts the bytes of output messages handed to the producer after {@link #expectAcks}, and takes back the
     * expected acknowledgements of {@code unsent} messages that were not handed to it (the batch failed meanwhile).
     * Only while the processor's own count is held (before {@link #seal()}), so the batch cannot complete here.
     */
    void outputSent(long bytes, int unsent) {
        outputBytes += bytes;
        budget.outputSent(bytes);
        if (unsent > 0 && pending.addAndGet(-unsent) <= 0) {
            if (failure.get() == null) {
                throw new IllegalStateException("more acknowledgements taken back than expected for " + batch);
            }
            // KafkaProducer.send appends a record to its batch before it adds the partition to the transaction; when
            // that throws (a fenced producer), send throws and the batch's abort later fails the record through the
            // callback too: released twice. Which sends did so cannot be told apart, and the batch has failed
            // either way: keep the processor's own count so that seal() completes it.
            pending.set(1);
        }
    }

    /**
     * Releases the output bytes of a batch that will never be done: its tracking was replaced after a failed
     * produce ({@link CommitTracker#reopen}).
     */
    void releaseOutput() {
        budget.outputDone(outputBytes);
        outputBytes = 0;
    }

    @Override
    public void onCompletion(RecordMetadata metadata, Exception exception) {
        if (exception == null) {
            String topic = metadata.topic();
            int partition = metadata.partition();
            long[] perPartition = topic == lastTopic ? lastAcks : acks.get(topic);
            if (perPartition == null || perPartition.length <= partition) {
                long[] grown = new long[Math.max(partition + 1, 16)];
                if (perPartition != null) {
                    System.arraycopy(perPartition, 0, grown, 0, perPartition.length);
                }
                perPartition = grown;
                acks.put(topic, perPartition);
            }
            lastTopic = topic;
            lastAcks = perPartition;
            perPartition[partition]++;
            release();
        } else {
            failed(exception);
        }
    }

    /** Returns acknowledged messages per output topic, indexed by partition; read it only once the batch is done. */
    Map<String, long[]> acks() {
        return acks;
    }

    /**
     * Returns the acknowledged messages per output topic, indexed by partition, the first time it is called, and
     * none afterwards, so that each is counted once; call it only once the batch is done.
     */
    Map<String, long[]> takeAcks() {
        return acksTaken.getAndSet(true) ? Map.of() : acks;
    }

    void failed(Throwable cause) {
        failure.compareAndSet(null, cause);
        release();
    }

    /** Marks the processor as returned and every output as handed to the producer; later calls change nothing. */
    void seal() {
        if (sealed) {
            return; // e.g. abandoned after complete() sealed it and then threw: the processor's count is released once
        }
        sealed = true;
        // the processor is done with the messages: only the offsets, counts and sizes are needed from here on
        batch = batch.withoutRecords();
        producedNanos = System.nanoTime();
        release();
    }

    /** Marks the batch failed before it was sealed (the processor threw). */
    void abandon(Throwable cause) {
        failure.compareAndSet(null, cause);
        seal();
    }

    private void release() {
        if (pending.decrementAndGet() == 0) {
            // every output message is acknowledged or failed: the producer holds none of it any more
            budget.outputDone(outputBytes);
            done.complete(null);
        }
    }

    boolean isDone() {
        return done.isDone();
    }

    Throwable failure() {
        return failure.get();
    }

    CompletableFuture<Void> completion() {
        return done;
    }

    long producedNanos() {
        return producedNanos;
    }

    /** Records the context of the span of the attempt that completed the batch; loop thread only. */
    void traceparent(String value) {
        this.traceparent = value;
    }

    /** Returns the context of the span of the attempt that completed the batch, or null; loop thread only. */
    String traceparent() {
        return traceparent;
    }
}
