package io.kasper.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

/**
 * Kafka Streams pipelines: the pass-through ({@code stream(input).to(output)}) and the helpers shared with
 * {@link StreamsAgg}: at_least_once or exactly_once_v2, one thread, max.poll.records 10,000, the producer batching like Kasper's
 * (linger.ms 5, batch.size 256 KiB, acks=all, idempotent), a given commit.interval.ms, state in a temp dir.
 */
public final class StreamsPipe {

    private StreamsPipe() {
    }

    /** Streams' own commit.interval.ms under at_least_once (30,000 ms in Kafka Streams 3.x and 4.x). */
    public static final int AT_LEAST_ONCE_DEFAULT_COMMIT_MS = 30_000;

    /**
     * Returns the Streams configuration of an application id, its state dir in {@code stateDir}.
     *
     * @param commitMs commit.interval.ms, or null for Streams' own default ({@value #AT_LEAST_ONCE_DEFAULT_COMMIT_MS}
     *     ms under at_least_once)
     * @param exactlyOnce exactly_once_v2 (read_committed input, one transaction per commit interval) instead of
     *     at_least_once
     */
    public static Properties props(Env env, String appId, Path stateDir, Integer commitMs, boolean exactlyOnce) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, env.bootstrap());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, exactlyOnce ? StreamsConfig.EXACTLY_ONCE_V2
                : StreamsConfig.AT_LEAST_ONCE);
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        if (commitMs != null) {
            p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitMs);
        }
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        p.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        p.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 10_000);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // Kasper's producer settings, so that the comparison is not about Streams' linger.ms 100 default
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 256 * 1024);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.ACKS_CONFIG), "all");
        p.put(StreamsConfig.producerPrefix(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG), true);
        return p;
    }

    /**
     * Starts the pass-through; its consumer group is the application id.
     *
     * @param commitMs commit.interval.ms, or null for Streams' default
     * @param exactlyOnce exactly_once_v2 instead of at_least_once
     */
    public static Started start(Env env, String appId, String input, String output, Integer commitMs,
            boolean exactlyOnce) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.<byte[], byte[]>stream(input).to(output);
        return Started.of(env, appId, builder.build(), commitMs, exactlyOnce);
    }

    /** A started KafkaStreams with its temp state dir; closing stops it and deletes the dir. */
    public static final class Started extends RunningPipeline {

        private final KafkaStreams streams;

        private Started(KafkaStreams streams, AtomicBoolean died, Path stateDir) {
            super("streams-closer", stop -> {
                while (!stop.get()) {
                    Thread.sleep(20);
                    if (died.get()) {
                        throw new IllegalStateException("Kafka Streams died");
                    }
                }
            }, () -> {
                streams.close(Duration.ofSeconds(30));
                streams.cleanUp();
                deleteTree(stateDir);
            });
            this.streams = streams;
        }

        /** Builds and starts a KafkaStreams for a topology. */
        static Started of(Env env, String appId, Topology topology, Integer commitMs, boolean exactlyOnce) {
            Path stateDir;
            try {
                stateDir = Files.createTempDirectory("kasper-bench-streams-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            KafkaStreams streams = new KafkaStreams(topology, props(env, appId, stateDir, commitMs, exactlyOnce));
            AtomicBoolean died = new AtomicBoolean();
            streams.setUncaughtExceptionHandler(e -> {
                died.set(true);
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            });
            Started started = new Started(streams, died, stateDir);
            streams.start();
            return started;
        }

        /** Returns the running KafkaStreams. */
        public KafkaStreams streams() {
            return streams;
        }
    }

    /** Deletes a directory tree, ignoring what cannot be deleted. */
    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }
}
