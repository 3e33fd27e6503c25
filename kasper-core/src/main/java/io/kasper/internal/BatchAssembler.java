package io.kasper.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntPredicate;
import java.util.function.IntUnaryOperator;
import java.util.function.ToLongFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Gathers polled messages into batches, one accumulator per partition number, and closes a batch when it holds
 * {@code batchSize} messages, when its messages reach {@code batchMaxBytes} (key + value + header bytes; a batch never
 * exceeds it, except that a single larger message makes a batch of one), or when its oldest message has waited
 * {@code batchWaitDuration} (a deadline per batch).
 *
 * <p>This is the one implementation of Kasper's batching rule; the {@code TopicProcessor} loop and the test driver
 * both use it. Time is passed in (nanoseconds on any monotonic scale) so that tests can drive it with a virtual clock.
 *
 * <p>Thread-safety: not thread-safe; owned by one loop thread.
 */
final class BatchAssembler {

    private final int batchSize;
    private final long batchMaxBytes;
    private final long waitNanos;
    private final TreeMap<Integer, Accumulator> accumulators = new TreeMap<>();
    private long bytesWaiting;
    /** Where {@link #takeDue(long, IntUnaryOperator, long)} starts: after the partition its byte limit stopped at. */
    private int firstPartition;

    /**
     * Creates an assembler without a byte limit per batch.
     *
     * @param partitions the partition numbers it accepts
     * @param batchSize messages at which a batch closes, at least 1
     * @param batchWaitDuration how long the oldest message of a batch may wait
     * @throws IllegalArgumentException when {@code batchSize} is below 1
     */
    public BatchAssembler(Collection<Integer> partitions, int batchSize, Duration batchWaitDuration) {
        this(partitions, batchSize, Long.MAX_VALUE, batchWaitDuration);
    }

    /**
     * Creates an assembler.
     *
     * @param partitions the partition numbers it accepts
     * @param batchSize messages at which a batch closes, at least 1
     * @param batchMaxBytes bytes at which a batch closes, at least 1
     * @param batchWaitDuration how long the oldest message of a batch may wait
     * @throws IllegalArgumentException when {@code batchSize} or {@code batchMaxBytes} is below 1
     */
    public BatchAssembler(Collection<Integer> partitions, int batchSize, long batchMaxBytes,
            Duration batchWaitDuration) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, was " + batchSize);
        }
        if (batchMaxBytes < 1) {
            throw new IllegalArgumentException("batchMaxBytes must be at least 1, was " + batchMaxBytes);
        }
        this.batchSize = batchSize;
        this.batchMaxBytes = batchMaxBytes;
        this.waitNanos = batchWaitDuration.toNanos();
        for (int p : partitions) {
            accumulators.put(p, new Accumulator());
        }
    }

    /**
     * Adds messages of one topic-partition, in offset order, that arrived at {@code nowNanos}.
     *
     * @param records messages of a single topic-partition
     * @param nowNanos their arrival time
     * @throws IllegalArgumentException when a message's partition was not given to the constructor
     */
    public void add(List<ConsumerRecord<byte[], byte[]>> records, long nowNanos) {
        if (records.isEmpty()) {
            return;
        }
        int partition = records.get(0).partition();
        Accumulator acc = accumulators.get(partition);
        if (acc == null) {
            throw new IllegalArgumentException("partition " + partition + " is not one of " + accumulators.keySet());
        }
        bytesWaiting += acc.add(records, nowNanos);
    }

    /**
     * Closes and returns the batches that are due at {@code nowNanos}, in partition order, at most {@code room(p)} of
     * partition p. Each batch commits its last offset + 1 per topic-partition.
     *
     * @param nowNanos the current time
     * @param room how many batches a partition may close now (0 holds its messages back, e.g. under back-pressure)
     * @return the closed batches, possibly several per partition when more than {@code batchSize} messages wait
     */
    public List<Batch> takeDue(long nowNanos, IntUnaryOperator room) {
        return takeDue(nowNanos, room, Long.MAX_VALUE, tp -> -1L);
    }

    /**
     * Closes and returns the batches that are due at {@code nowNanos}, like {@link #takeDue(long, IntUnaryOperator)};
     * a batch that holds the last message added of a topic-partition commits {@code position(tp)} for it instead of
     * its last offset + 1 (see {@link Batch#commitOffsets()}).
     *
     * @param nowNanos the current time
     * @param room how many batches a partition may close now (0 holds its messages back, e.g. under back-pressure)
     * @param position the consumer's position of a topic-partition now, or -1 when it has none
     * @return the closed batches, possibly several per partition when more than {@code batchSize} messages wait
     */
    public List<Batch> takeDue(long nowNanos, IntUnaryOperator room, ToLongFunction<TopicPartition> position) {
        return takeDue(nowNanos, room, Long.MAX_VALUE, position);
    }

    /**
     * Closes and returns the batches that are due at {@code nowNanos}, at most {@code room(p)} of partition p, and
     * stops once the batches closed hold {@code maxBytes} (the first due batch is always closed). When that cuts the
     * call short, the next call starts at the partition after the last one served, so that no partition is always
     * last. Each batch commits its last offset + 1 per topic-partition.
     *
     * @param nowNanos the current time
     * @param room how many batches a partition may close now (0 holds its messages back, e.g. under back-pressure)
     * @param maxBytes bytes after which no further batch is closed in this call, at least 1
     * @return the closed batches
     * @throws IllegalArgumentException when {@code maxBytes} is below 1
     */
    public List<Batch> takeDue(long nowNanos, IntUnaryOperator room, long maxBytes) {
        return takeDue(nowNanos, room, maxBytes, tp -> -1L);
    }

    /**
     * Closes and returns the batches that are due at {@code nowNanos}, at most {@code room(p)} of partition p and at
     * most {@code maxBytes} in all as {@link #takeDue(long, IntUnaryOperator, long)}, committing positions at the
     * fetched tail as {@link #takeDue(long, IntUnaryOperator, ToLongFunction)}.
     *
     * @param nowNanos the current time
     * @param room how many batches a partition may close now (0 holds its messages back, e.g. under back-pressure)
     * @param maxBytes bytes after which no further batch is closed in this call, at least 1
     * @param position the consumer's position of a topic-partition now, or -1 when it has none
     * @return the closed batches
     * @throws IllegalArgumentException when {@code maxBytes} is below 1
     */
    public List<Batch> takeDue(long nowNanos, IntUnaryOperator room, long maxBytes,
            ToLongFunction<TopicPartition> position) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be at least 1, was " + maxBytes);
        }
        List<Batch> due = new ArrayList<>();
        long[] taken = {0};
        if (takeDue(accumulators.tailMap(firstPartition, true), nowNanos, room, maxBytes, position, due, taken)
                || takeDue(accumulators.headMap(firstPartition, false), nowNanos, room, maxBytes, position, due,
                        taken)) {
            firstPartition = due.get(due.size() - 1).partition() + 1;
        }
        return due;
    }

    /** Closes due batches of {@code partitions}; returns whether {@code maxBytes} was reached. */
    private boolean takeDue(Map<Integer, Accumulator> partitions, long nowNanos, IntUnaryOperator room,
            long maxBytes, ToLongFunction<TopicPartition> position, List<Batch> due, long[] taken) {
        for (Map.Entry<Integer, Accumulator> e : partitions.entrySet()) {
            int partition = e.getKey();
            Accumulator acc = e.getValue();
            int left = acc.isEmpty() ? 0 : room.applyAsInt(partition);
            while (left > 0 && !acc.isEmpty() && (isFull(acc) || nowNanos - acc.oldestArrival() >= waitNanos)) {
                if (taken[0] >= maxBytes) {
                    return true;
                }
                Batch batch = take(partition, acc, position);
                taken[0] += batch.bytes();
                due.add(batch);
                left--;
            }
        }
        return false;
    }

    /**
     * Closes at most one batch now, full or not, of the partition whose oldest waiting message has waited longest
     * among those with {@code room(p) > 0}: under memory pressure, waiting input is processed instead of waiting for
     * its batch to fill up.
     *
     * @param room how many batches a partition may close now
     * @return the closed batch, or an empty list when no partition with room holds messages
     */
    public List<Batch> takeOldest(IntUnaryOperator room) {
        return takeOldest(room, tp -> -1L);
    }

    /**
     * Closes at most one batch now, as {@link #takeOldest(IntUnaryOperator)}, committing positions at the fetched
     * tail as {@link #takeDue(long, IntUnaryOperator, ToLongFunction)}.
     *
     * @param room how many batches a partition may close now
     * @param position the consumer's position of a topic-partition now, or -1 when it has none
     * @return the closed batch, or an empty list when no partition with room holds messages
     */
    public List<Batch> takeOldest(IntUnaryOperator room, ToLongFunction<TopicPartition> position) {
        int oldest = -1;
        long oldestArrival = 0;
        for (Map.Entry<Integer, Accumulator> e : accumulators.entrySet()) {
            Accumulator acc = e.getValue();
            if (!acc.isEmpty() && (oldest < 0 || acc.oldestArrival() - oldestArrival < 0)
                    && room.applyAsInt(e.getKey()) > 0) {
                oldest = e.getKey();
                oldestArrival = acc.oldestArrival();
            }
        }
        return oldest < 0 ? List.of() : List.of(take(oldest, accumulators.get(oldest), position));
    }

    /** Returns the bytes of the messages waiting in every accumulator (not yet in a batch). */
    public long bytesWaiting() {
        return bytesWaiting;
    }

    private boolean isFull(Accumulator acc) {
        return acc.size() >= batchSize || acc.bytes() >= batchMaxBytes;
    }

    private Batch take(int partition, Accumulator acc, ToLongFunction<TopicPartition> position) {
        Batch.Stats stats = new Batch.Stats();
        List<ConsumerRecord<byte[], byte[]>> records = acc.take(batchSize, batchMaxBytes, stats);
        bytesWaiting -= stats.bytes();
        // the tail check runs after the take: a batch holds the tail only if nothing of that topic is left waiting
        return new Batch(partition, records, stats,
                (tp, last) -> acc.lastAdded(tp.topic()) == last ? position.applyAsLong(tp) : -1L);
    }

    /**
     * Drops the messages waiting for the given partitions, unprocessed: their next owner will fetch them again from
     * the committed offsets.
     *
     * @param partitions partition numbers
     * @return the number of messages dropped
     */
    public int discard(Collection<Integer> partitions) {
        int dropped = 0;
        for (int p : partitions) {
            Accumulator acc = accumulators.get(p);
            if (acc != null) {
                dropped += acc.size();
                bytesWaiting -= acc.bytes();
                acc.clear();
            }
        }
        return dropped;
    }

    /** Returns whether {@code partition} holds at least a full batch of waiting messages (by count or bytes). */
    public boolean isFull(int partition) {
        Accumulator acc = accumulators.get(partition);
        return acc != null && isFull(acc);
    }

    /**
     * Returns the offset of the last message of {@code tp} added since the assembler was created or the partition
     * was discarded, processed or not; -1 when none was.
     */
    public long lastAdded(TopicPartition tp) {
        Accumulator acc = accumulators.get(tp.partition());
        return acc == null ? -1 : acc.lastAdded(tp.topic());
    }

    /** Returns the number of messages waiting for {@code partition}. */
    public int waiting(int partition) {
        Accumulator acc = accumulators.get(partition);
        return acc == null ? 0 : acc.size();
    }

    /**
     * Returns nanoseconds from {@code nowNanos} until the earliest batch deadline ({@code 0} if one has passed), or
     * {@link Long#MAX_VALUE} when no message waits.
     *
     * @param nowNanos the current time
     * @return time until the next batch is due by age
     */
    public long nanosUntilNextDeadline(long nowNanos) {
        return nanosUntilNextDeadline(nowNanos, p -> true);
    }

    /**
     * Returns nanoseconds from {@code nowNanos} until the earliest batch deadline of a partition that may close a
     * batch ({@code 0} if one has passed), or {@link Long#MAX_VALUE} when none has waiting messages. A partition
     * held back (no room for another batch) cannot act on its deadline, so it must not shorten a wait.
     *
     * @param nowNanos the current time
     * @param canClose whether a partition number may close a batch now
     * @return time until the next batch is due by age
     */
    public long nanosUntilNextDeadline(long nowNanos, IntPredicate canClose) {
        long next = Long.MAX_VALUE;
        for (Map.Entry<Integer, Accumulator> e : accumulators.entrySet()) {
            Accumulator acc = e.getValue();
            if (!acc.isEmpty() && canClose.test(e.getKey())) {
                next = Math.min(next, Math.max(0, acc.oldestArrival() + waitNanos - nowNanos));
            }
        }
        return next;
    }

    /**
     * Messages of one partition number, with the arrival time of each chunk added and the size of each message,
     * computed once when it is added: the byte limit, the budget and the batch's bytes all read it from here.
     */
    private static final class Accumulator {
        private ArrayList<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        /** The size of each message of {@code records}, at the same index. */
        private int[] sizes = new int[16];
        /**
         * Chunk starts: {index into records, arrival nanos}; the first one dates the oldest waiting message. A chunk
         * holds messages of one topic-partition in offset order, so a batch's ranges and counts come from its chunks.
         */
        private final ArrayDeque<long[]> chunks = new ArrayDeque<>();
        /** Per topic, the offset of the last message added: one update per chunk, none per message. */
        private final Map<String, Long> lastAdded = new HashMap<>();
        private long bytes;
        /** The size of the last batch that took every waiting message. */
        private int lastTaken;

        /** Adds messages of one topic-partition, in offset order, and returns their bytes. */
        long add(List<ConsumerRecord<byte[], byte[]>> batch, long nowNanos) {
            int base = records.size();
            int count = batch.size();
            if (base + count > sizes.length) {
                sizes = Arrays.copyOf(sizes, Math.max(base + count, sizes.length * 2));
            }
            chunks.addLast(new long[] {base, nowNanos});
            // sized for a batch like the last one taken, which the next one usually resembles, so it need not grow
            // and copy step by step
            records.ensureCapacity(Math.max(base + count, lastTaken));
            long added = 0;
            // one pass: each message is touched once, while the poll that returned it is still in the CPU's caches
            for (int i = 0; i < count; i++) {
                ConsumerRecord<byte[], byte[]> record = batch.get(i);
                // one message is at most one fetch response, whose size is an int
                int size = (int) RecordSizes.of(record);
                sizes[base + i] = size;
                added += size;
                records.add(record);
            }
            ConsumerRecord<byte[], byte[]> last = batch.get(count - 1);
            lastAdded.put(last.topic(), last.offset());
            bytes += added;
            return added;
        }

        long lastAdded(String topic) {
            return lastAdded.getOrDefault(topic, -1L);
        }

        void clear() {
            records.clear();
            chunks.clear();
            lastAdded.clear();
            bytes = 0;
        }

        long bytes() {
            return bytes;
        }

        boolean isEmpty() {
            return records.isEmpty();
        }

        int size() {
            return records.size();
        }

        long oldestArrival() {
            return chunks.getFirst()[1];
        }

        /**
         * Takes the longest prefix of at most {@code max} messages and {@code maxBytes} bytes, at least one, and fills
         * {@code stats} with its bytes and per-topic ranges (from the chunks, not message by message).
         */
        List<ConsumerRecord<byte[], byte[]>> take(int max, long maxBytes, Batch.Stats stats) {
            int n;
            long takenBytes;
            if (records.size() <= max && bytes <= maxBytes) {
                n = records.size();
                takenBytes = bytes;
            } else {
                n = 0;
                takenBytes = 0;
                int limit = Math.min(max, records.size());
                while (n < limit) {
                    int size = sizes[n];
                    if (n > 0 && takenBytes + size > maxBytes) {
                        break;
                    }
                    takenBytes += size;
                    n++;
                }
            }
            addRuns(n, stats, takenBytes);
            bytes -= takenBytes;
            if (n == records.size()) {
                // the usual case: everything waiting goes; hand the list over instead of copying it
                List<ConsumerRecord<byte[], byte[]>> all = records;
                lastTaken = n;
                records = new ArrayList<>(0); // its array is sized by the next add: an idle partition holds none
                chunks.clear();
                return all;
            }
            List<ConsumerRecord<byte[], byte[]>> taken = new ArrayList<>(records.subList(0, n));
            records.subList(0, n).clear();
            System.arraycopy(sizes, n, sizes, 0, records.size());
            ArrayDeque<long[]> remaining = new ArrayDeque<>();
            long[] previous = null;
            for (long[] chunk : chunks) {
                long start = chunk[0] - n;
                if (start <= 0) {
                    previous = new long[] {0, chunk[1]};
                } else {
                    if (previous != null) {
                        remaining.addLast(previous);
                        previous = null;
                    }
                    remaining.addLast(new long[] {start, chunk[1]});
                }
            }
            if (previous != null && !records.isEmpty()) {
                remaining.addFirst(previous);
            }
            chunks.clear();
            chunks.addAll(remaining);
            return taken;
        }

        /** Adds the runs of the first {@code n} messages, chunk by chunk, and their bytes to {@code stats}. */
        private void addRuns(int n, Batch.Stats stats, long takenBytes) {
            Iterator<long[]> it = chunks.iterator();
            long[] chunk = it.next();
            while (chunk != null && chunk[0] < n) {
                long[] following = it.hasNext() ? it.next() : null;
                int start = (int) chunk[0];
                int end = following == null ? n : (int) Math.min(following[0], n);
                ConsumerRecord<byte[], byte[]> first = records.get(start);
                stats.add(first.topic(), first.offset(), records.get(end - 1).offset(), end - start);
                chunk = following;
            }
            stats.addBytes(takenBytes);
        }
    }
}
