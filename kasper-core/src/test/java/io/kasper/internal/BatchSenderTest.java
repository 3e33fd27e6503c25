package io.kasper.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class BatchSenderTest {

    /** A producer whose every send fails at once, as when the cluster rejects the producer's credentials. */
    private static final class RejectingProducer extends MockProducer<byte[], byte[]> {
        private final AtomicInteger sends = new AtomicInteger();

        RejectingProducer() {
            super(false, null, new ByteArraySerializer(), new ByteArraySerializer());
        }

        @Override
        public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
            sends.incrementAndGet();
            callback.onCompletion(null, new SaslAuthenticationException("Authentication failed"));
            return super.send(record, (metadata, e) -> { });
        }
    }

    @Test
    void stopsSendingTheRestOfABatchWhoseOutputAlreadyFailed() {
        RejectingProducer producer = new RejectingProducer();
        InFlightBatch inFlight = new InFlightBatch(
                new Batch(0, List.of(new ConsumerRecord<>("in", 0, 0, null, new byte[0]))));
        BatchSender sender = new BatchSender(producer, inFlight);
        for (int i = 0; i < 50; i++) {
            sender.send(new ProducerRecord<>("out", new byte[] {(byte) i}));
        }

        sender.complete();

        assertThat(producer.sends).hasValue(1);
        assertThat(inFlight.isDone()).isTrue();
        assertThat(inFlight.failure()).isInstanceOf(SaslAuthenticationException.class);
    }
}
