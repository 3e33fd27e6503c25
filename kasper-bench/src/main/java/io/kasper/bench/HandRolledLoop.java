package io.kasper.bench;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * The at-least-once loop both hand-rolled pipelines run: poll → send the batch's output → {@code producer.flush()} →
 * fail on the first failed send → commit ({@link LoopCommit}); once stopped, the final commit. Runs on the calling
 * thread until {@code stop} turns true; not thread-safe.
 */
final class HandRolledLoop {

    /** Sends the output of one polled batch; what it sends is flushed and checked before the commit. */
    @FunctionalInterface
    interface BatchSender {
        /**
         * Sends the output of {@code records}.
         *
         * @param records the polled batch, never empty
         * @param onSent the callback to pass with every send: it remembers the first failure
         * @throws Exception when the batch cannot be handled; the loop ends with it
         */
        void send(ConsumerRecords<byte[], byte[]> records, Callback onSent) throws Exception;
    }

    private HandRolledLoop() {
    }

    /**
     * Runs the loop until {@code stop} is set.
     *
     * @throws Exception the first failed send, or what {@code batch} or the clients threw
     */
    static void run(AtomicBoolean stop, KafkaConsumer<byte[], byte[]> consumer, KafkaProducer<byte[], byte[]> producer,
            LoopCommit commit, BatchSender batch) throws Exception {
        AtomicReference<Exception> sendFailure = new AtomicReference<>();
        Callback onSent = (metadata, e) -> {
            if (e != null) {
                sendFailure.compareAndSet(null, e);
            }
        };
        while (!stop.get()) {
            ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
            if (records.isEmpty()) {
                continue;
            }
            batch.send(records, onSent);
            producer.flush();
            if (sendFailure.get() != null) {
                throw sendFailure.get();
            }
            commit.afterBatch(consumer);
        }
        commit.atStop(consumer);
    }
}
