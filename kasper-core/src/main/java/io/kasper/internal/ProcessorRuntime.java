package io.kasper.internal;

import io.kasper.BatchFailedException;
import io.kasper.InvalidConfigException;
import io.kasper.KasperException;
import io.kasper.MessageProcessor;
import io.kasper.ProcessorState;
import io.kasper.TopicProcessorConfig;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;

/**
 * The one entry point of {@code TopicProcessor} into the machinery: {@link #create} claims the partitions in this JVM,
 * finds a processor for every partition, checks the cluster and builds the event loop; the rest runs the loop and reads
 * its status. {@code TopicProcessor} itself only manages the lifecycle (which thread runs, when to stop, waiting for
 * the end).
 *
 * <p>Not API: see the package documentation. Thread-safety: {@link #run()} runs on one thread; every other method is
 * safe from any thread.
 */
public final class ProcessorRuntime {

    private final TopicProcessorConfig config;
    private final ProcessorLoop loop;
    private final AtomicBoolean released = new AtomicBoolean();

    private ProcessorRuntime(TopicProcessorConfig config, ProcessorLoop loop) {
        this.config = config;
        this.loop = loop;
    }

    /**
     * Prepares a processor; nothing is consumed until {@link #run()}. Claims the partitions in this JVM first (a
     * conflict there is the clearer error), then finds the processors and checks the cluster; on any failure the
     * claims are released again.
     *
     * @param config the configuration
     * @param lookup returns the processor of a partition number, or null when there is none
     * @param source what {@code lookup} is, for messages ("processors map", "processorFactory")
     * @return the runtime, holding the claims until {@link #releaseClaims()}
     * @throws InvalidConfigException when a partition has no processor, the topics do not fit the configuration, or
     *     another open processor of the same name in this JVM claims one of the partitions or runs in the other mode
     * @throws KasperException when the cluster cannot be reached or rejects the credentials
     */
    public static ProcessorRuntime create(TopicProcessorConfig config, IntFunction<? extends MessageProcessor> lookup,
            String source) {
        Objects.requireNonNull(config, "config");
        PartitionClaims.claim(config);
        try {
            ProcessorLogContext context = new ProcessorLogContext(config.topicProcessorName());
            KafkaClientProperties clients = new KafkaClientProperties(config);
            Map<Integer, MessageProcessor> processors = lookUp(config, clients, context, lookup, source);
            return new ProcessorRuntime(config,
                    new ProcessorLoop(config, processors, clients, KafkaClientFactory.KAFKA, context));
        } catch (RuntimeException e) {
            PartitionClaims.release(config);
            throw e;
        }
    }

    /** A static processor is asked for its configured partitions before the cluster is checked. */
    private static Map<Integer, MessageProcessor> lookUp(TopicProcessorConfig config, KafkaClientProperties clients,
            ProcessorLogContext context, IntFunction<? extends MessageProcessor> lookup, String source) {
        if (!config.isGroupManaged()) {
            Map<Integer, MessageProcessor> resolved =
                    ProcessorLookup.forPartitions(config.inputPartitions(), lookup, source);
            TopicValidator.validate(config, clients, context);
            return resolved;
        }
        int partitionCount = TopicValidator.validate(config, clients, context);
        return ProcessorLookup.forAllPartitions(partitionCount, lookup, source);
    }

    /**
     * Runs the event loop on the calling thread until {@link #requestStop()}, an interrupt or a failure; see
     * {@code TopicProcessor.runLoop()}.
     *
     * @throws BatchFailedException when a processor throws or output cannot be produced
     * @throws KasperException on any other failure
     * @throws Error a JVM {@link VirtualMachineError} from a processor or listener, or an Error of the loop, as is
     */
    public void run() {
        loop.run();
    }

    /** Asks the loop to finish: it stops polling, waits for outstanding acks, commits and returns. */
    public void requestStop() {
        loop.requestStop();
    }

    /** Marks a processor that was closed before it ever ran as closed. */
    public void closedBeforeRun() {
        loop.closedBeforeRun();
    }

    /** Returns the configuration. */
    public TopicProcessorConfig config() {
        return config;
    }

    /**
     * Releases the partitions claimed by {@link #create}; only the first call does anything, as both the end of
     * {@code runLoop()} and a {@code close()} before it release them.
     */
    public void releaseClaims() {
        if (released.compareAndSet(false, true)) {
            PartitionClaims.release(config);
        }
    }

    /** Returns the lifecycle state. */
    public ProcessorState state() {
        return loop.status().state();
    }

    /** Returns whether the processor is running and its cluster answers; see {@code TopicProcessor.isReady()}. */
    public boolean isReady() {
        return loop.status().isReady();
    }

    /** Returns the failure that stopped the processor, if it failed. */
    public Optional<KasperException> failure() {
        return loop.status().failure();
    }

    /** Returns whether every owned input partition is consumed and committed, as last seen by the loop. */
    public boolean hasConsumedAllMessages() {
        return loop.hasConsumedAllMessages();
    }

    /** Returns the instance id: the prefix of the Kafka client ids and the instance tag of the meters. */
    public String instanceId() {
        return loop.instanceId();
    }
}
