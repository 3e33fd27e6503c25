package io.kasper.examples.readme;

import io.kasper.test.KafkaBroker;
import io.kasper.test.KafkaBrokerExtension;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The README's "Testing with a real broker" block, compiled. The test class is nested, so the build never runs it
 * (it only shows the harness's calls); {@link ReadmeSnippetsTest} keeps the README equal to it.
 */
final class BrokerTestSnippets {

    /** What the README's test produces; stands for the reader's own records. */
    private final List<ProducerRecord<byte[], byte[]>> records = List.of();

    // tag::broker-test[]
    @ExtendWith(KafkaBrokerExtension.class)        // one broker shared by the whole test run
    class OrdersIT {
        @Test
        void joinsOrders(KafkaBroker broker) {
            broker.createTopic("orders", 12);       // returns when every partition has a leader and answers listOffsets
            broker.produce(records);                // acks=all, waits for every ack
            List<ConsumerRecord<byte[], byte[]>> out = broker.readAll("orders-enriched");
        }
    }
    // end::broker-test[]
}
