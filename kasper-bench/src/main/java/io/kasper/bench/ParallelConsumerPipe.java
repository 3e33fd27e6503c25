package io.kasper.bench;

import io.confluent.parallelconsumer.ParallelConsumerOptions;
import io.confluent.parallelconsumer.ParallelConsumerOptions.CommitMode;
import io.confluent.parallelconsumer.ParallelConsumerOptions.ProcessingOrder;
import io.confluent.parallelconsumer.ParallelStreamProcessor;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The pass-through on Confluent's Parallel Consumer: {@code pollAndProduceMany} copies each record of a work batch to
 * the same partition of the output; Parallel Consumer sends the batch's output, waits for its acknowledgements on the
 * worker thread, and only then counts the input as done, so its periodic commit never covers output that is not
 * durable (at-least-once). Two orderings are measured: key ordering, Parallel Consumer's default and the reason teams
 * pick it (records of one key in order, records of different keys in parallel; the input's keys are distinct), and
 * unordered, which gives up every ordering guarantee (Kasper keeps a partition's order) for Parallel Consumer's
 * cheapest path.
 */
public final class ParallelConsumerPipe {

    /**
     * Records per work batch. Parallel Consumer's default, 1, sends one record and waits for its acknowledgement per
     * worker task: 2,678 msg/s in a quick run here. A throughput-minded user batches; in a sweep of quick runs (key
     * ordering) 100 to 5,000 all ran at 90,000-125,000 msg/s, CPU-bound, and 1,000 was among the best.
     */
    static final int BATCH_SIZE = 1_000;

    /**
     * Worker threads: Parallel Consumer's default, 16; they mostly wait for acknowledgements. 64 was no faster in the
     * sweep and spent more CPU per record.
     */
    static final int MAX_CONCURRENCY = 16;

    /**
     * How often the offsets of the completed records are committed. Parallel Consumer's default is 5 s (Kafka's
     * auto-commit interval); a run ends when its input is committed, so 100 ms, close to the other pipelines' commit
     * per batch or poll, keeps that wait from being what is measured.
     */
    static final Duration COMMIT_INTERVAL = Duration.ofMillis(100);

    private ParallelConsumerPipe() {
    }

    /**
     * Starts Parallel Consumer on {@code input} under {@code group} with the given ordering, copying to the same
     * partition of {@code output}.
     */
    public static RunningPipeline start(Env env, String group, String input, String output, ProcessingOrder order) {
        ParallelStreamProcessor<byte[], byte[]> processor = ParallelStreamProcessor.createEosStreamProcessor(
                options(env, group, "parallel-consumer-pipe", order));
        processor.subscribe(List.of(input));
        processor.pollAndProduceMany(context -> context.streamConsumerRecords()
                .map(r -> new ProducerRecord<>(output, r.partition(), r.key(), r.value()))
                .toList());
        return running("parallel-consumer-pipe", processor);
    }

    /**
     * Returns the options of a Parallel Consumer pipeline: its own consumer and producer with the bench's settings (as
     * every pipeline's), the given ordering, asynchronous periodic commits of the consumer (its default mode).
     */
    private static ParallelConsumerOptions<byte[], byte[]> options(Env env, String group, String clientId,
            ProcessingOrder order) {
        // Client ids name the clients' threads after the pipeline, so a leaked one is easy to spot.
        Properties consumerProps = env.consumerProps(group);
        consumerProps.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-consumer");
        Properties producerProps = env.producerProps();
        producerProps.put(ProducerConfig.CLIENT_ID_CONFIG, clientId + "-producer");
        return ParallelConsumerOptions.<byte[], byte[]>builder()
                .consumer(new KafkaConsumer<>(consumerProps))
                .producer(new KafkaProducer<>(producerProps))
                .ordering(order)
                .commitMode(CommitMode.PERIODIC_CONSUMER_ASYNCHRONOUS)
                .maxConcurrency(MAX_CONCURRENCY)
                .batchSize(BATCH_SIZE)
                .commitInterval(COMMIT_INTERVAL)
                .build();
    }

    /**
     * Returns a pipeline that watches {@code processor} until stopped and then closes it: Parallel Consumer's close
     * drains the work in flight, commits, and closes its consumer and producer.
     */
    private static RunningPipeline running(String name, ParallelStreamProcessor<byte[], byte[]> processor) {
        return new RunningPipeline(name, stop -> {
            while (!stop.get()) {
                Thread.sleep(20);
                if (processor.isClosedOrFailed()) {
                    throw new IllegalStateException(name + ": Parallel Consumer closed or failed while running");
                }
            }
        }, processor::close);
    }
}
