package io.kasper.internal;

import io.kasper.MessageProcessor;
import io.kasper.TopicProcessorConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A {@link KafkaClientFactory} handing out one {@link MockConsumer} and one {@link MockProducer}, and a way to run a
 * {@link ProcessorLoop} on them in the background: the loop's logic without a broker.
 */
final class MockClients implements KafkaClientFactory {

    final MockConsumer<byte[], byte[]> consumer;
    final MockProducer<byte[], byte[]> producer;

    MockClients() {
        this(new MockConsumer<>("earliest"));
    }

    /** Uses the given consumer, e.g. a subclass that fails commits, and a producer that acknowledges at once. */
    MockClients(MockConsumer<byte[], byte[]> consumer) {
        this(consumer, producer(true));
    }

    /** Uses the given clients, e.g. a producer whose acknowledgements the test completes. */
    MockClients(MockConsumer<byte[], byte[]> consumer, MockProducer<byte[], byte[]> producer) {
        this.consumer = consumer;
        this.producer = producer;
    }

    /** A producer of byte arrays that acknowledges each send at once, or only when the test completes it. */
    static MockProducer<byte[], byte[]> producer(boolean autoComplete) {
        return new MockProducer<>(autoComplete, null, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    public Consumer<byte[], byte[]> consumer(Map<String, Object> properties) {
        return consumer;
    }

    @Override
    public Producer<byte[], byte[]> producer(Map<String, Object> properties) {
        return producer;
    }

    /** Creates a loop on these clients. */
    ProcessorLoop loop(TopicProcessorConfig config, Map<Integer, MessageProcessor> processors) {
        return new ProcessorLoop(config, processors, new KafkaClientProperties(config), this,
                new ProcessorLogContext(config.topicProcessorName()));
    }

    /** Runs {@code loop} on a new thread; the future completes with its failure, or null when it stopped normally. */
    static CompletableFuture<Throwable> start(ProcessorLoop loop) {
        CompletableFuture<Throwable> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                loop.run();
                result.complete(null);
            } catch (Throwable t) {
                result.complete(t);
            }
        }, "mock-loop");
        thread.setDaemon(true);
        thread.start();
        return result;
    }

    /** Stops {@code loop} and returns its failure, or null. */
    static Throwable stop(ProcessorLoop loop, CompletableFuture<Throwable> running) throws Exception {
        loop.requestStop();
        return running.get(30, TimeUnit.SECONDS);
    }

    /** A static-mode config for topics on a mock cluster. */
    static TopicProcessorConfig.Builder config(String name, String... topics) {
        return TopicProcessorConfig.builder().topicProcessorName(name).bootstrapServers("mock:9092")
                .inputTopics(topics).inputPartitions(0).batchWaitDuration(Duration.ofMillis(10))
                .closeTimeout(Duration.ofSeconds(5));
    }

    static ConsumerRecord<byte[], byte[]> record(String topic, int partition, long offset, String value) {
        return new ConsumerRecord<>(topic, partition, offset, null, value.getBytes(StandardCharsets.UTF_8));
    }
}
