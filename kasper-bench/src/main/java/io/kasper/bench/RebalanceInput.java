package io.kasper.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The input of the rebalance phase: produces a fixed rate round-robin over the partitions of a topic, on its own
 * thread, until {@link #finish()}. Each value starts with {@link System#nanoTime()} taken just before {@code send}
 * and the record's sequence number (0, 1, 2, ...), padded to the value size.
 *
 * <p>Thread-safety: {@link #start()} and {@link #finish()} from one controlling thread; the getters from any.
 */
final class RebalanceInput {

    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Env env;
    private final String topic;
    private final int partitions;
    private final int rate;
    private final Thread thread;
    private volatile boolean stop;
    private volatile long sent;

    /** Prepares the input; nothing is sent before {@link #start()}. */
    RebalanceInput(Env env, String topic, int partitions, int rate) {
        this.env = env;
        this.topic = topic;
        this.partitions = partitions;
        this.rate = rate;
        this.thread = new Thread(this::run, "rebalance-input");
    }

    /** Reads the send time and the sequence number of a value written by this input. */
    record Stamp(long sentNanos, long sequence) {
        static Stamp of(byte[] value) {
            ByteBuffer b = ByteBuffer.wrap(value);
            return new Stamp(b.getLong(), b.getLong());
        }
    }

    /** Starts producing. */
    void start() {
        thread.start();
    }

    /** Returns the records handed to the producer so far; after {@link #finish()}, all of them, flushed. */
    long sent() {
        return sent;
    }

    /** Returns the first failure of the producer, or null. */
    Throwable failure() {
        return failure.get();
    }

    /** Stops producing, flushes and waits for the thread (at most 60 s). Idempotent. */
    void finish() {
        stop = true;
        try {
            thread.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        int size = Math.max(16, env.options().valueSize());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(env.producerProps())) {
            long start = System.nanoTime();
            long seq = 0;
            while (!stop) {
                long due = (System.nanoTime() - start) * rate / 1_000_000_000L;
                for (; seq < due; seq++) {
                    byte[] value = ByteBuffer.allocate(size).putLong(System.nanoTime()).putLong(seq).array();
                    producer.send(new ProducerRecord<>(topic, (int) (seq % partitions),
                            ("k" + seq).getBytes(StandardCharsets.UTF_8), value), (md, e) -> {
                                if (e != null) {
                                    failure.compareAndSet(null, e);
                                }
                            });
                    sent = seq + 1;
                }
                LockSupport.parkNanos(200_000);
            }
            producer.flush();
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        }
    }
}
