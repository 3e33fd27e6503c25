package io.kasper.bench;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The Spring for Apache Kafka pass-through: a batch listener (see {@link SpringBatchContainer}) that sends each record
 * of a poll to the same partition of the output with {@code KafkaTemplate.send}, then flushes before returning.
 */
public final class SpringBatchPipe {

    private SpringBatchPipe() {
    }

    /** Starts the container on {@code input} under {@code group}, copying to the same partition of {@code output}. */
    public static RunningPipeline start(Env env, String group, String input, String output) {
        return SpringBatchContainer.start(env, "spring-batch-pipe", group, input, (records, out) -> {
            for (ConsumerRecord<byte[], byte[]> r : records) {
                out.send(output, r.partition(), r.key(), r.value());
            }
        }, null);
    }
}
