package io.kasper.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Produces the benchmark's input topics; producing the pass-through input is also the ceiling measurement. */
public final class InputData {

    /** Size of the word vocabulary of the stateful input. */
    public static final int VOCABULARY = 50_000;
    /** Exponent of the Zipf distribution of the words. */
    public static final double ZIPF_EXPONENT = 1.0;

    private InputData() {
    }

    /**
     * Produces N records with String keys {@code k<i>} and varied values (acks=all, idempotent), and returns the
     * rate in msg/s measured from the first send until {@code flush()} returned with every record acknowledged.
     */
    public static double producePassThrough(Env env, String topic) {
        int n = env.options().records();
        int size = env.options().valueSize();
        Random random = new Random(7);
        byte[] pool = new byte[64 * 1024];
        for (int i = 0; i < pool.length; i++) {
            pool[i] = (byte) ('a' + random.nextInt(26));
        }
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(env.producerProps())) {
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                byte[] value = new byte[size];
                System.arraycopy(pool, random.nextInt(pool.length - size), value, 0, size);
                producer.send(new ProducerRecord<>(topic, ("k" + i).getBytes(UTF_8), value), (md, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
            }
            producer.flush();
            long elapsed = System.nanoTime() - start;
            if (failure.get() != null) {
                throw new IllegalStateException("producing the input failed", failure.get());
            }
            return n / (elapsed / 1e9);
        }
    }

    /**
     * Produces N records with String keys {@code k<i>} and values of the configured size (each filled with one
     * letter), acks=all, for the large-value memory phase.
     */
    public static void produceLarge(Env env, String topic) {
        int n = env.options().records();
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(env.producerProps())) {
            for (int i = 0; i < n; i++) {
                byte[] value = new byte[env.options().valueSize()];
                java.util.Arrays.fill(value, (byte) ('a' + i % 26));
                producer.send(new ProducerRecord<>(topic, ("k" + i).getBytes(UTF_8), value), (md, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("producing the large input failed", failure.get());
        }
    }

    /**
     * Produces N records keyed by a word (Zipf over {@link #VOCABULARY} words, seed 42), each value a 6-digit number
     * padded to the value size, and returns the expected aggregate of each word.
     */
    public static Map<String, Aggregate> produceWords(Env env, String topic) {
        int n = env.options().records();
        int size = env.options().valueSize();
        Zipf zipf = new Zipf(VOCABULARY, ZIPF_EXPONENT, 42);
        Random numbers = new Random(43);
        byte[] padding = new byte[size];
        java.util.Arrays.fill(padding, (byte) 'x');
        Map<String, Aggregate> expected = new HashMap<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(env.producerProps())) {
            for (int i = 0; i < n; i++) {
                String word = "w" + zipf.next();
                int number = numbers.nextInt(1_000_000);
                byte[] value = padding.clone();
                byte[] digits = String.format("%06d", number).getBytes(UTF_8);
                System.arraycopy(digits, 0, value, 0, digits.length);
                expected.merge(word, new Aggregate(1, number), Aggregate::plus);
                producer.send(new ProducerRecord<>(topic, word.getBytes(UTF_8), value), (md, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("producing the word input failed", failure.get());
        }
        return expected;
    }
}
