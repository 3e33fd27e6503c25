package io.kasper;

import io.kasper.internal.ProcessorRuntime;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes co-partitioned input topics in micro-batches and hands each batch to a {@link MessageProcessor}.
 *
 * <p>For each assigned partition number p, a batch holds the messages of every input topic's partition p, in offset
 * order per topic-partition, and closes at {@code batchSize} messages or when its oldest message has waited
 * {@code batchWaitDuration}. When {@code process} returns, the output buffered in the {@link Sender} is produced with
 * acks=all by an idempotent producer, and the batch's input offsets are committed only once every output message and
 * every earlier batch of that partition are acknowledged: at-least-once, never a commit before the output is durable.
 * The loop keeps processing other batches while acknowledgements are in flight.
 *
 * <pre>{@code
 * TopicProcessor processor = new TopicProcessor(config, partition -> new TweetProcessor());
 * Runtime.getRuntime().addShutdownHook(new Thread(processor::close));
 * processor.runLoop();   // blocks until close() or a failure
 * }</pre>
 *
 * <p>Failures follow the configuration's {@link ErrorPolicy}: poison messages fail the batch, are skipped or go to a
 * dead-letter topic; transient failures are retried with backoff; a broker outage is ridden out up to a timeout.
 * {@link #state()} and {@link #isReady()} serve health probes.
 *
 * <p>Thread-safety: {@link #runLoop()} runs on the calling thread and may be called once; {@link #close()},
 * {@link #state()}, {@link #isReady()} and {@link #hasConsumedAllMessages()} are safe from any thread, including a
 * signal handler or shutdown hook.
 * To scale out, run more instances (other threads, processes or machines): with other {@code inputPartitions}, or
 * all with {@code groupManaged()} so that the consumer group shares the partitions among them.
 */
public final class TopicProcessor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicProcessor.class);

    private final TopicProcessorConfig config;
    private final ProcessorRuntime runtime;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile Thread loopThread;

    /**
     * Creates a topic processor with one {@link MessageProcessor} per partition (an instance may serve several).
     *
     * <p>Checks the cluster before anything is consumed: every input topic must exist, all must have the same
     * partition count, and every configured partition must be in range. In group-managed mode any partition may be
     * assigned, so the map must hold a processor for every partition of the input topics.
     *
     * @param config the configuration
     * @param processors a processor for every configured partition number (group-managed: every partition number
     *     of the input topics)
     * @throws InvalidConfigException when a partition has no processor, a topic is missing, partition counts
     *     differ, a partition is out of range, the dead-letter topic is missing, another open processor of the
     *     same name in this JVM claims one of the partitions or runs in the other mode (static or group-managed),
     *     or, for a static processor, its consumer group has active members (the message names them), or, under
     *     {@link GroupProtocol#CONSUMER}, the brokers do not serve the consumer group protocol (older than Kafka 4.0,
     *     or without {@code consumer} in {@code group.coordinator.rebalance.protocols}); where the principal may not
     *     read that, {@link #runLoop()} fails at the first poll with a {@link KasperException} saying the same
     * @throws KasperException when the cluster cannot be reached, or rejects the credentials (the message names the
     *     bootstrap servers, {@code security.protocol} and {@code sasl.mechanism}, never a secret)
     */
    public TopicProcessor(TopicProcessorConfig config, Map<Integer, ? extends MessageProcessor> processors) {
        this(ProcessorRuntime.create(config, Objects.requireNonNull(processors, "processors")::get,
                "processors map"));
    }

    /**
     * Creates a topic processor, asking {@code processorFactory} once per configured partition number, now. In
     * group-managed mode it is asked, now, once for every partition number of the input topics (0 to count - 1),
     * because the group may assign any of them later and a failing factory should fail here rather than in the middle
     * of a rebalance; use a {@link PartitionListener} to load per-partition state when a partition is assigned.
     *
     * @param config the configuration
     * @param processorFactory returns the processor of a partition number (it may return a shared instance)
     * @throws InvalidConfigException as {@link #TopicProcessor(TopicProcessorConfig, Map)}, or when the factory
     *     returns null
     * @throws KasperException when the cluster cannot be reached, or rejects the credentials (the message names the
     *     bootstrap servers, {@code security.protocol} and {@code sasl.mechanism}, never a secret)
     */
    public TopicProcessor(TopicProcessorConfig config, IntFunction<? extends MessageProcessor> processorFactory) {
        this(ProcessorRuntime.create(config, Objects.requireNonNull(processorFactory, "processorFactory"),
                "processorFactory"));
    }

    private TopicProcessor(ProcessorRuntime runtime) {
        this.runtime = runtime;
        this.config = runtime.config();
    }

    /**
     * Runs the event loop on the calling thread until {@link #close()} is called or a batch fails.
     *
     * <p>On {@code close()}, the loop stops polling, starts no further batch, waits (up to {@code closeTimeout}) for
     * outstanding acknowledgements, commits what is complete and returns normally. An interrupt of the calling thread
     * stops it the same way (the wait and the final commit still happen) and {@code runLoop()} returns with the
     * thread's interrupt flag set. On a failure, nothing of the failed batch is committed, batches completed before it
     * are (after the same wait, unless the failure is a broker outage), the clients are closed (a group member without
     * {@code group.instance.id} leaves its group), the metrics are removed, the state becomes
     * {@link ProcessorState#FAILED} and the failure is thrown.
     *
     * <p>A JVM {@link VirtualMachineError} ({@link OutOfMemoryError}, {@link StackOverflowError}, ...) thrown by
     * {@code process} or a {@link PartitionListener}, and any {@link Error} of the loop itself, goes through that same
     * shutdown and is then rethrown <em>unwrapped</em>, so that the caller and uncaught-exception handlers see the real
     * Error; {@link #failure()} then holds a {@link KasperException} describing it (a {@link BatchFailedException}
     * naming the batch when {@code process} threw it) with the Error as its cause. Other Errors from {@code process}
     * or a listener, such as an {@link AssertionError}, fail the processor like exceptions.
     *
     * @throws BatchFailedException when a {@link MessageProcessor} throws or output cannot be produced; it names
     *     the partition and offsets of the batch and carries the cause
     * @throws KasperException on any other failure of the Kafka clients, including a commit the broker will never
     *     accept (the message names the consumer group, the broker's reason and the fix; for a static processor,
     *     the active members of its group) and commits failing for {@code brokerOutageTimeout}, or when a
     *     {@link PartitionListener} throws
     * @throws Error a {@link VirtualMachineError} from {@code process} or a listener, or an Error of the loop, as is
     * @throws IllegalStateException when called a second time
     */
    public void runLoop() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("runLoop() of TopicProcessor '" + config.topicProcessorName()
                    + "' may be called only once");
        }
        loopThread = Thread.currentThread();
        try {
            if (!closed.get()) {
                runtime.run();
            }
        } finally {
            loopThread = null;
            runtime.releaseClaims();
            finished.countDown();
        }
    }

    /**
     * Stops the processor: asks the loop to finish and, when called from another thread, waits until
     * {@link #runLoop()} has committed what is complete and returned (at most {@code closeTimeout} plus the time
     * the current {@code process} call takes to return). Idempotent; safe from any thread.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            awaitFinished();
            return;
        }
        runtime.requestStop();
        if (!started.get()) {
            runtime.closedBeforeRun();
            runtime.releaseClaims();
            return;
        }
        awaitFinished();
    }

    private void awaitFinished() {
        if (!started.get() || Thread.currentThread() == loopThread) {
            return; // close() from inside process(): the loop finishes once process() returns
        }
        try {
            long waitMillis = config.closeTimeout().toMillis() * 2;
            if (!finished.await(waitMillis, TimeUnit.MILLISECONDS)) {
                LOG.warn("TopicProcessor '{}' did not stop within {} ms (a process() call may still run)",
                        config.topicProcessorName(), waitMillis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Returns whether every input partition this instance owns has its committed offset at its end, as last seen by
     * the loop (refreshed every few tens of milliseconds): never true while an owned partition has a backlog the loop
     * knows of. The end is the last stable offset (input is read with {@code isolation.level=read_committed}), which
     * equals the end offset once no transaction is open. Transaction markers, records of aborted transactions and
     * offsets removed by compaction count as consumed: once everything before them is processed and the consumer has
     * moved past them, the committed offset moves past them too.
     *
     * <p>False from the poll that fetches new input until that input is committed, even while its batch's
     * {@code process} call runs. False until the assignment and every owned partition's lag are known (the loop has
     * fetched from it). In group-managed mode it is false from the moment a rebalance reaches this instance
     * ({@link #state()} {@code REBALANCING}) until the new assignment is in place and its lag is known; a rebalance
     * the group has started reaches this instance at its next poll (between batches), not before. It covers only the
     * partitions this instance owns (true for an instance that was assigned none), so check the group's committed
     * offsets to know whether all instances are done.
     *
     * <p>Thread-safety: safe from any thread. Throws nothing.
     *
     * @return whether everything owned is consumed and committed
     */
    public boolean hasConsumedAllMessages() {
        return runtime.hasConsumedAllMessages();
    }

    /**
     * Returns the lifecycle state: CREATED, STARTING, RUNNING, REBALANCING (group-managed), CLOSING, then CLOSED or
     * FAILED. Safe from any thread; meant for health checks and dashboards.
     *
     * @return the current state
     */
    public ProcessorState state() {
        return runtime.state();
    }

    /**
     * Returns whether the processor is ready: {@link ProcessorState#RUNNING}, its last request to the Kafka
     * cluster (a commit, or the check it makes after 2 s without any answer) succeeded, and the loop is not stuck in
     * a call to the cluster for more than 2 s (a producer {@code send} waiting for metadata or a
     * {@code Sender.flush()} waiting for acknowledgements, e.g. while no broker answers). False while starting,
     * rebalancing, riding out a broker outage, closing and after it stopped. Use it for a readiness probe; use
     * {@code !state().isTerminal()} for a liveness probe. Safe from any thread.
     *
     * @return whether the processor is ready
     */
    public boolean isReady() {
        return runtime.isReady();
    }

    /**
     * Returns the failure that stopped the processor, if it failed: the exception {@link #runLoop()} threw, or, when
     * it rethrew a JVM {@link Error}, a {@link KasperException} whose cause is that Error. Safe from any thread.
     *
     * @return the failure, or empty while running, after a normal stop, or before {@code runLoop()}
     */
    public Optional<KasperException> failure() {
        return runtime.failure();
    }

    /**
     * Returns the configuration. Safe from any thread.
     *
     * @return the configuration this processor was created with
     */
    public TopicProcessorConfig config() {
        return config;
    }

    /**
     * Returns this instance's id, {@code kasper-<name>-<n>}, unique in this JVM: the {@code kasper.instance} tag of
     * every meter it registers (see {@link KasperMetrics#TAG_INSTANCE}) and the prefix of its Kafka client ids
     * ({@code <id>-consumer}, {@code <id>-producer}). Safe from any thread.
     *
     * @return the instance id
     */
    public String instanceId() {
        return runtime.instanceId();
    }
}
