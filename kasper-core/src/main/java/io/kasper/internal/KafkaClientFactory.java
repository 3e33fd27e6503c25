package io.kasper.internal;

import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;

/**
 * Creates the Kafka clients of a loop. The loop only talks to the {@link Consumer} and {@link Producer} interfaces,
 * so unit tests hand it {@code MockConsumer} and {@code MockProducer} through their own factory; production code uses
 * {@link #KAFKA}.
 *
 * <p>Thread-safety: implementations must be thread-safe (a factory may serve several loops).
 */
interface KafkaClientFactory {

    /** Creates real {@link KafkaConsumer}s and {@link KafkaProducer}s. */
    KafkaClientFactory KAFKA = new KafkaClientFactory() {
        @Override
        public Consumer<byte[], byte[]> consumer(Map<String, Object> properties) {
            return new KafkaConsumer<>(properties);
        }

        @Override
        public Producer<byte[], byte[]> producer(Map<String, Object> properties) {
            return new KafkaProducer<>(properties);
        }
    };

    /**
     * Creates a consumer.
     *
     * @param properties the complete consumer configuration
     * @return a new consumer, owned (and closed) by the caller
     */
    Consumer<byte[], byte[]> consumer(Map<String, Object> properties);

    /**
     * Creates a producer.
     *
     * @param properties the complete producer configuration
     * @return a new producer, owned (and closed) by the caller
     */
    Producer<byte[], byte[]> producer(Map<String, Object> properties);

    /**
     * Creates an admin client; by default a real one.
     *
     * @param properties the complete admin configuration
     * @return a new admin client, owned (and closed) by the caller
     */
    default Admin admin(Map<String, Object> properties) {
        return Admin.create(properties);
    }
}
