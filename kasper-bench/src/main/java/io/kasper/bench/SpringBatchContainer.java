package io.kasper.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.BatchMessageListener;
import org.springframework.kafka.listener.CommonContainerStoppingErrorHandler;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;

/**
 * The Spring for Apache Kafka set-up shared by the Spring pipelines (plain spring-kafka, no Spring Boot): a
 * {@link ConcurrentMessageListenerContainer} subscribed to the input under a group, a {@link BatchMessageListener},
 * {@link ContainerProperties.AckMode#BATCH} (a synchronous commit of each poll's offsets after the listener returns),
 * and a {@link KafkaTemplate} over one shared producer. The listener sends its output and flushes the template
 * before returning, so a commit never covers output that is not durable: at-least-once, like Kasper.
 */
public final class SpringBatchContainer {

    /**
     * Consumer threads of the container for 12 partitions on the 2-core bench machine: one per core, so that one
     * thread's processing overlaps the other's wait for its flush and commit. Measured against 1 and 12 on the
     * pass-through (README "Benchmarks"): 2 and 1 were level within the noise, 12 clearly slower (12 consumers joining
     * the group, 12 threads on 2 cores, each flush of the shared producer waiting for every thread's records).
     */
    public static final int CONCURRENCY = 2;

    /** The work of one batch: send the output of {@code records} through {@code out} (not flushed yet). */
    @FunctionalInterface
    public interface Batch {
        /** Processes the records of one poll (of one consumer thread), sending output through {@code out}. */
        void process(List<ConsumerRecord<byte[], byte[]>> records, Output out);
    }

    /** Sends output records and remembers their futures so that a failed send fails the batch after the flush. */
    public static final class Output {

        private final KafkaTemplate<byte[], byte[]> template;
        private final List<CompletableFuture<?>> sent = new ArrayList<>();

        private Output(KafkaTemplate<byte[], byte[]> template) {
            this.template = template;
        }

        /** Sends a record to a partition of a topic. */
        public void send(String topic, int partition, byte[] key, byte[] value) {
            sent.add(template.send(topic, partition, key, value));
        }

        /** Flushes the template and throws if any send of this batch failed. */
        void flushAndCheck() {
            template.flush();
            // After flush() every future is complete; join() rethrows the first failure.
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
        }
    }

    private SpringBatchContainer() {
    }

    /**
     * Starts a container of {@link #CONCURRENCY} consumer threads over {@code input} under {@code group} running
     * {@code batch} per poll; closing the returned pipeline stops the container (its consumers commit and close),
     * destroys the producer factory (closing the producer), then runs {@code afterStop} (may be null). A failed batch
     * stops the container without committing it and fails the pipeline.
     */
    public static RunningPipeline start(Env env, String threadName, String group, String input, Batch batch,
            Runnable afterStop) {
        Map<String, Object> consumerProps = map(env.consumerProps(group));
        // Kasper reads its input read_committed; so does this pipeline.
        consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        DefaultKafkaConsumerFactory<byte[], byte[]> consumers = new DefaultKafkaConsumerFactory<>(consumerProps);
        Map<String, Object> producerProps = map(env.producerProps());
        // Client ids name the clients' threads after the pipeline, so a leaked one is easy to spot.
        producerProps.put(ProducerConfig.CLIENT_ID_CONFIG, threadName + "-producer");
        DefaultKafkaProducerFactory<byte[], byte[]> producers = new DefaultKafkaProducerFactory<>(producerProps);
        KafkaTemplate<byte[], byte[]> template = new KafkaTemplate<>(producers);

        AtomicReference<Throwable> failure = new AtomicReference<>();
        ContainerProperties properties = new ContainerProperties(input);
        properties.setAckMode(ContainerProperties.AckMode.BATCH);
        properties.setClientId(threadName + "-consumer");
        properties.setMessageListener((BatchMessageListener<byte[], byte[]>) records -> {
            try {
                Output out = new Output(template);
                batch.process(records, out);
                out.flushAndCheck();
            } catch (RuntimeException | Error e) {
                failure.compareAndSet(null, e);
                throw e;
            }
        });
        ConcurrentMessageListenerContainer<byte[], byte[]> container =
                new ConcurrentMessageListenerContainer<>(consumers, properties);
        container.setConcurrency(CONCURRENCY);
        container.setBeanName(threadName);
        // Spring's default handler retries a failed batch and then commits past it; a bench run must fail instead.
        container.setCommonErrorHandler(new CommonContainerStoppingErrorHandler());
        // Outside an application context the container learns that a consumer stopped only through its event
        // publisher; without one isChildRunning() stays true after stop(). The events themselves are not needed.
        container.setApplicationEventPublisher(event -> { });

        return new RunningPipeline(threadName, stop -> {
            container.start();
            while (!stop.get()) {
                Thread.sleep(20);
                if (failure.get() != null) {
                    throw new IllegalStateException("Spring listener failed", failure.get());
                }
            }
        }, () -> {
            try {
                // Waits (up to the container's shutdownTimeout, 10 s) until every consumer has committed and closed.
                container.stop();
                if (container.isChildRunning()) {
                    throw new IllegalStateException(threadName + ": the container did not stop within 10 s");
                }
            } finally {
                producers.destroy();
                if (afterStop != null) {
                    afterStop.run();
                }
            }
        });
    }

    private static Map<String, Object> map(Properties properties) {
        Map<String, Object> map = new HashMap<>();
        properties.forEach((k, v) -> map.put((String) k, v));
        return map;
    }
}
