package io.kasper.bench;

import io.kasper.MessageProcessor;
import io.kasper.ProcessingGuarantee;
import io.kasper.TopicProcessor;
import io.kasper.TopicProcessorConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/** The Kasper pass-through: a TopicProcessor (batchSize 10,000, every partition static) copying to the same partition. */
public final class KasperPipe {

    /** Messages per batch. */
    public static final int BATCH_SIZE = 10_000;
    /**
     * batchSize of {@code pass-kasper-batch-5000}: one fetched chunk of a partition (Kafka's 1 MiB
     * {@code max.partition.fetch.bytes}, about 7,600 records at the default value size) fills such a batch, so its
     * records need not wait for the consumer's round of every other partition (see the README's "Memory bounded in
     * bytes").
     */
    public static final int CHUNK_BATCH_SIZE = 5_000;
    /** batchWaitDuration of every Kasper pipeline in the bench. */
    public static final Duration BATCH_WAIT = Duration.ofMillis(50);

    private KasperPipe() {
    }

    /** transactionCommitInterval of the exactly-once Kasper pipelines: Kafka Streams' exactly-once commit.interval.ms. */
    public static final Duration EOS_COMMIT_INTERVAL = Duration.ofMillis(100);

    /** Returns the consumer group of a Kasper processor name. */
    public static String group(String name) {
        return TopicProcessorConfig.CONSUMER_GROUP_PREFIX + name;
    }

    /** Returns the configuration of a bench TopicProcessor over partitions 0..partitions-1 of {@code input}. */
    public static TopicProcessorConfig config(String bootstrap, String name, String input, int partitions,
            int maxUncommittedBatches) {
        return settings(bootstrap, name, input, maxUncommittedBatches)
                .inputPartitions(IntStream.range(0, partitions).toArray()).build();
    }

    /**
     * Returns a builder of a group-managed bench TopicProcessor over {@code input}: the settings of {@link #config}
     * with group-managed assignment instead of static partitions.
     */
    public static TopicProcessorConfig.Builder groupConfig(Env env, String name, String input) {
        return settings(env.bootstrap(), name, input, env.options().maxUncommittedBatches()).groupManaged();
    }

    /** The settings every bench TopicProcessor shares: batchSize, batchWaitDuration, the pipeline depth, closeTimeout. */
    private static TopicProcessorConfig.Builder settings(String bootstrap, String name, String input,
            int maxUncommittedBatches) {
        return TopicProcessorConfig.builder().topicProcessorName(name).bootstrapServers(bootstrap)
                .inputTopics(input).batchSize(BATCH_SIZE).batchWaitDuration(BATCH_WAIT)
                .maxUncommittedBatches(maxUncommittedBatches).closeTimeout(Duration.ofSeconds(30));
    }

    /** Returns {@code config} under EXACTLY_ONCE with a transactionCommitInterval of {@link #EOS_COMMIT_INTERVAL}. */
    public static TopicProcessorConfig exactlyOnce(TopicProcessorConfig config) {
        return config.toBuilder().processingGuarantee(ProcessingGuarantee.EXACTLY_ONCE)
                .transactionCommitInterval(EOS_COMMIT_INTERVAL).build();
    }

    /** Creates the pass-through processor. */
    public static TopicProcessor create(String bootstrap, String name, String input, String output, int partitions,
            int maxUncommittedBatches) {
        return create(bootstrap, name, input, output, partitions, maxUncommittedBatches, null);
    }

    /** Creates the pass-through processor, its metrics in {@code registry} (the config's default when null). */
    public static TopicProcessor create(String bootstrap, String name, String input, String output, int partitions,
            int maxUncommittedBatches, MeterRegistry registry) {
        MessageProcessor copy = copyTo(output);
        TopicProcessorConfig config = config(bootstrap, name, input, partitions, maxUncommittedBatches);
        if (registry != null) {
            config = config.toBuilder().meterRegistry(registry).build();
        }
        return new TopicProcessor(config, p -> copy);
    }

    /** Returns the pass-through's message processor: copies each record to the same partition of {@code output}. */
    public static MessageProcessor copyTo(String output) {
        return (messages, sender) -> {
            for (ConsumerRecord<byte[], byte[]> m : messages) {
                sender.send(new ProducerRecord<>(output, m.partition(), m.key(), m.value()));
            }
        };
    }

    /** Starts a TopicProcessor's loop on a background thread. */
    public static RunningPipeline run(TopicProcessor processor) {
        return new RunningPipeline("kasper-" + processor.config().topicProcessorName(), stop -> processor.runLoop(),
                processor::close);
    }

    /** Starts the pass-through for a processor name. */
    public static RunningPipeline start(Env env, String name, String input, String output) {
        return run(create(env.bootstrap(), name, input, output, env.options().partitions(),
                env.options().maxUncommittedBatches()));
    }

    /**
     * Starts {@link Pipelines#MEMBERS} group-managed pass-through processors of one group (the default group protocol),
     * each with its own loop thread: Kasper scaled out in one JVM as the Spring pipeline's container runs its consumer
     * threads.
     */
    public static RunningPipeline startGroup(Env env, String name, String input, String output) {
        TopicProcessorConfig config = groupConfig(env, name, input).build();
        MessageProcessor copy = copyTo(output);
        List<TopicProcessor> processors = new ArrayList<>();
        for (int i = 0; i < Pipelines.MEMBERS; i++) {
            processors.add(new TopicProcessor(config, p -> copy));
        }
        return runMembers("kasper-group-" + name, processors, null);
    }

    /**
     * Runs processors of one group, each loop on a thread of its own ({@code <threadName>-<i>}); closing the pipeline
     * closes them all, then runs {@code afterClose} (may be null).
     */
    static RunningPipeline runMembers(String threadName, List<TopicProcessor> processors, Runnable afterClose) {
        return new RunningPipeline(threadName, processors.size(), i -> stop -> processors.get(i).runLoop(), () -> {
            processors.forEach(TopicProcessor::close);
            if (afterClose != null) {
                afterClose.run();
            }
        });
    }

    /** Starts the pass-through for a processor name with another batchSize than {@link #BATCH_SIZE}. */
    public static RunningPipeline start(Env env, String name, String input, String output, int batchSize) {
        MessageProcessor copy = copyTo(output);
        return run(new TopicProcessor(config(env.bootstrap(), name, input, env.options().partitions(),
                env.options().maxUncommittedBatches()).toBuilder().batchSize(batchSize).build(), p -> copy));
    }

    /** Starts the exactly-once pass-through (see {@link #exactlyOnce}) for a processor name. */
    public static RunningPipeline startExactlyOnce(Env env, String name, String input, String output) {
        MessageProcessor copy = copyTo(output);
        return run(new TopicProcessor(exactlyOnce(config(env.bootstrap(), name, input, env.options().partitions(),
                env.options().maxUncommittedBatches())), p -> copy));
    }
}
