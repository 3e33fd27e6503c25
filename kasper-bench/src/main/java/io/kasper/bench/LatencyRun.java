package io.kasper.bench;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * End-to-end latency at a fixed input rate: each value carries {@code System.nanoTime()} taken just before
 * {@code send}; a read_committed consumer of the output topic (same JVM, fetch.max.wait.ms 5) records arrival minus
 * that time, so that a transactional pipeline's output counts when its transaction commits, as its readers see it.
 *
 * <p>The first {@value #WARM_UP_SECONDS} s at the target rate warm the pipeline, the pacer and the measuring consumer
 * up (JIT compilation in this one JVM otherwise builds a backlog of several hundred ms that drains over about a
 * second); records sent then are not measured, for every pipeline alike, and their p99 is reported separately.
 */
public final class LatencyRun {

    /** Seconds at the target rate before measuring starts. */
    public static final int WARM_UP_SECONDS = 3;

    /**
     * The latency percentiles of one run, in milliseconds.
     *
     * @param p50 median
     * @param p99 99th percentile
     * @param max maximum
     * @param received output records measured
     * @param warmUpP99 99th percentile of the records sent during the warm-up, which is not measured
     */
    public record Result(double p50, double p99, double max, int received, double warmUpP99) {
    }

    private LatencyRun() {
    }

    /**
     * Runs a pipeline from a fresh input to a fresh output topic: warms it up with one record per partition, then
     * produces {@code rate} msg/s for {@value #WARM_UP_SECONDS} + {@code seconds} s and measures every output record
     * sent after the warm-up.
     *
     * @param starter starts the pipeline given (input, output)
     */
    public static Result measure(Env env, String label, java.util.function.BiFunction<String, String,
            RunningPipeline> starter) {
        Options o = env.options();
        String input = env.createTopic(env.fresh("lat-in-" + label));
        String output = env.createTopic(env.fresh("lat-out-" + label));
        int total = o.latencyRate() * (WARM_UP_SECONDS + o.latencySeconds());
        Properties cp = env.consumerProps(null);
        cp.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5);
        cp.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (RunningPipeline pipeline = starter.apply(input, output);
                KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(cp);
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(env.producerProps())) {
            consumer.assign(HandRolledPipe.partitions(output, o.partitions()));
            consumer.seekToBeginning(consumer.assignment());
            for (int p = 0; p < o.partitions(); p++) {
                producer.send(new ProducerRecord<>(input, p, null, value(-1, o.valueSize())));
            }
            producer.flush();
            int warm = 0;
            long warmDeadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (warm < o.partitions()) {
                warm += consumer.poll(Duration.ofMillis(50)).count();
                check(pipeline, warmDeadline, "warm-up");
            }
            AtomicReference<Exception> failure = new AtomicReference<>();
            long measureFrom = System.nanoTime() + Duration.ofSeconds(WARM_UP_SECONDS).toNanos();
            long[] warmUp = new long[total];
            int warmed = 0;
            int arrived = 0;
            Thread pacer = new Thread(() -> pace(producer, input, total, o, failure), "latency-producer");
            pacer.start();
            long[] latencies = new long[total];
            int received = 0;
            long deadline = System.nanoTime()
                    + Duration.ofSeconds(WARM_UP_SECONDS + o.latencySeconds() + 60L).toNanos();
            while (arrived < total) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(20))) {
                    long now = System.nanoTime();
                    long sent = ByteBuffer.wrap(r.value()).getLong();
                    if (sent >= 0 && arrived < total) {
                        arrived++;
                        if (sent >= measureFrom) {
                            latencies[received++] = now - sent;
                        } else {
                            warmUp[warmed++] = now - sent;
                        }
                    }
                }
                check(pipeline, deadline, "measurement (" + received + " of " + total + ")");
            }
            pacer.join();
            if (failure.get() != null) {
                throw new IllegalStateException("latency producer failed", failure.get());
            }
            long[] measured = Arrays.copyOf(latencies, received);
            return new Result(Stats.percentile(measured, 50) / 1e6, Stats.percentile(measured, 99) / 1e6,
                    Stats.percentile(measured, 100) / 1e6, received,
                    Stats.percentile(Arrays.copyOf(warmUp, warmed), 99) / 1e6);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void check(RunningPipeline pipeline, long deadline, String phase) {
        if (pipeline.failed()) {
            throw new IllegalStateException("pipeline failed during " + phase, pipeline.failure());
        }
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("latency run timed out during " + phase);
        }
    }

    private static void pace(KafkaProducer<byte[], byte[]> producer, String input, int total, Options o,
            AtomicReference<Exception> failure) {
        long start = System.nanoTime();
        int sent = 0;
        while (sent < total) {
            long due = Math.min(total, (System.nanoTime() - start) * o.latencyRate() / 1_000_000_000L);
            while (sent < due) {
                producer.send(new ProducerRecord<>(input, ("k" + sent).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        value(System.nanoTime(), o.valueSize())), (md, e) -> {
                            if (e != null) {
                                failure.compareAndSet(null, e);
                            }
                        });
                sent++;
            }
            LockSupport.parkNanos(200_000);
        }
        producer.flush();
    }

    private static byte[] value(long nanos, int size) {
        return ByteBuffer.allocate(size).putLong(nanos).array();
    }
}
