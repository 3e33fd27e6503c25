package io.kasper.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The measuring consumer of the rebalance phase: reads every partition of the output topic from the start, with
 * read_committed and fetch.max.wait.ms 5, on its own thread until {@link #finish()}, and records when each record
 * arrived, per partition, with the send time its value carries ({@link RebalanceInput}).
 *
 * <p>Thread-safety: {@link #start()}, {@link #finish()} and {@link #arrivals()} from one controlling thread; the
 * counters from any.
 */
final class RebalanceOutput {

    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Env env;
    private final String topic;
    private final Longs[] byPartition;
    private final Longs sent = new Longs();
    private final Longs arrived = new Longs();
    private final BitSet seen = new BitSet();
    private final AtomicLong distinct = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicInteger partitionsWithOutput = new AtomicInteger();
    private final Thread thread;
    private volatile boolean stop;

    /** Prepares the consumer of partitions 0..{@code partitions}-1 of {@code topic}; nothing is read before start. */
    RebalanceOutput(Env env, String topic, int partitions) {
        this.env = env;
        this.topic = topic;
        this.byPartition = new Longs[partitions];
        Arrays.setAll(byPartition, p -> new Longs());
        this.thread = new Thread(this::run, "rebalance-output");
    }

    /** Starts reading. */
    void start() {
        thread.start();
    }

    /** Returns the records received so far, each counted once. */
    long distinct() {
        return distinct.get();
    }

    /** Returns the records received more than once so far (each repetition counted). */
    long duplicates() {
        return duplicates.get();
    }

    /** Returns how many partitions have had output so far. */
    int partitionsWithOutput() {
        return partitionsWithOutput.get();
    }

    /** Returns the first failure of the consumer, or null. */
    Throwable failure() {
        return failure.get();
    }

    /** Stops reading and waits for the thread (at most 60 s). Idempotent. */
    void finish() {
        stop = true;
        try {
            thread.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Returns what was recorded, duplicates included; call after {@link #finish()}. */
    Arrivals arrivals() {
        long[][] times = new long[byPartition.length][];
        Arrays.setAll(times, p -> byPartition[p].toArray());
        return new Arrivals(times, sent.toArray(), arrived.toArray());
    }

    private void run() {
        Properties props = env.consumerProps(null);
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            consumer.assign(IntStream.range(0, byPartition.length).mapToObj(p -> new TopicPartition(topic, p))
                    .toList());
            consumer.seekToBeginning(consumer.assignment());
            while (!stop) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(20));
                // one time per poll: the records of a batch arrive together, with no gap between them
                long now = System.nanoTime();
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    record(r.partition(), RebalanceInput.Stamp.of(r.value()), now);
                }
            }
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        }
    }

    private void record(int partition, RebalanceInput.Stamp stamp, long now) {
        if (byPartition[partition].size() == 0) {
            partitionsWithOutput.incrementAndGet();
        }
        byPartition[partition].add(now);
        sent.add(stamp.sentNanos());
        arrived.add(now);
        int seq = Math.toIntExact(stamp.sequence());
        if (seen.get(seq)) {
            duplicates.incrementAndGet();
        } else {
            seen.set(seq);
            distinct.incrementAndGet();
        }
    }

    /** A growable array of longs, for one writing thread. */
    private static final class Longs {
        private long[] values = new long[1024];
        private int size;

        void add(long v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        int size() {
            return size;
        }

        long[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
