package io.kasper.internal;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A {@link MockProducer} that settles each send at once as scripted: acknowledged, failed with a given exception, or
 * left unacknowledged (as while the cluster does not answer). Unscripted sends are acknowledged. MockProducer settles
 * the oldest pending send first, so script unacknowledged sends after all others.
 */
final class ScriptedProducer extends MockProducer<byte[], byte[]> {

    /** Marks a send left unacknowledged. */
    static final RuntimeException NO_ANSWER = new RuntimeException("no answer");
    /** Marks a send acknowledged. */
    static final RuntimeException ACK = new RuntimeException("ack");

    private final Queue<RuntimeException> script = new ArrayDeque<>();

    ScriptedProducer() {
        super(false, null, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Appends outcomes for the next sends: {@link #ACK}, {@link #NO_ANSWER} or the exception to fail with. */
    synchronized ScriptedProducer then(RuntimeException... outcomes) {
        script.addAll(java.util.List.of(outcomes));
        return this;
    }

    @Override
    public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
        Future<RecordMetadata> ack = super.send(record, callback);
        RuntimeException outcome = script.isEmpty() ? ACK : script.poll();
        if (outcome == ACK) {
            completeNext();
        } else if (outcome != NO_ANSWER) {
            errorNext(outcome);
        }
        return ack;
    }
}
