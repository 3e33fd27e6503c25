package io.kasper.spring.boot;

import io.kasper.InvalidConfigException;
import io.kasper.KasperException;
import io.kasper.MessageProcessor;
import io.kasper.TopicProcessor;
import io.kasper.TopicProcessorConfig;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;

/**
 * Runs one configured topic processor on a thread of its own while the application context runs: started with the
 * context (after every other bean, so its logic and stores are ready), closed gracefully when the context closes
 * (the loop stops polling, awaits every acknowledgement and commits the completed batches, within the processor's
 * {@code close-timeout}). The bean is named {@code kasperProcessor.<key>}.
 *
 * <p>A processor that fails is logged with its failure, its health turns DOWN, and the application's liveness state
 * becomes {@code BROKEN} and its readiness {@code REFUSING_TRAFFIC}; with {@code shutdown-on-failure: true} the
 * application context is closed as well.
 *
 * <p>Thread-safety: the lifecycle methods are called by Spring; {@link #topicProcessor()} and {@link #key()} are safe
 * from any thread.
 */
public final class KasperProcessorLifecycle implements SmartLifecycle, ApplicationContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(KasperProcessorLifecycle.class);

    private final String key;
    private final TopicProcessorConfig config;
    private final MessageProcessor logic;
    private final boolean shutdownOnFailure;
    private final boolean autoStartup;
    private volatile ApplicationContext context;
    private volatile TopicProcessor processor;
    private volatile Thread loop;

    KasperProcessorLifecycle(String key, KasperProperties.Processor properties, ProcessorConfigFactory configs,
            ProcessorLogic logic) {
        this.key = key;
        try {
            this.config = configs.build(key, properties);
        } catch (InvalidConfigException e) {
            // No cause: the message says everything, and start-up failures are reported by their root cause.
            throw new InvalidConfigException("kasper.processors." + key + ": " + e.getMessage());
        }
        this.logic = logic.logicFor(key, properties);
        this.shutdownOnFailure = properties.shutdownOnFailure();
        this.autoStartup = properties.autoStartup();
    }

    /**
     * Returns whether the context starts the processor when it starts ({@code auto-startup}, default true); when
     * false, start it with {@link #start()}.
     *
     * @return whether the processor starts with the context
     */
    @Override
    public boolean isAutoStartup() {
        return autoStartup;
    }

    /**
     * Returns the processor's key under {@code kasper.processors}.
     *
     * @return the key
     */
    public String key() {
        return key;
    }

    /**
     * Returns the running topic processor, for its state, readiness and failure.
     *
     * @return the processor, or empty before the context started it
     */
    public Optional<TopicProcessor> topicProcessor() {
        return Optional.ofNullable(processor);
    }

    /**
     * Receives the application context, to publish availability changes and to close it on failure when asked to.
     *
     * @param applicationContext the context
     */
    @Override
    public void setApplicationContext(ApplicationContext applicationContext) {
        this.context = applicationContext;
    }

    /**
     * Creates the topic processor, which checks the cluster (topics, partitions, group), and starts its loop on a
     * thread named {@code kasper-<key>}.
     *
     * @throws KasperException when the cluster cannot be reached or does not match the configuration, which fails
     *     the application's start-up
     */
    @Override
    public void start() {
        TopicProcessor created = new TopicProcessor(config, partition -> logic);
        processor = created;
        Thread thread = new Thread(() -> run(created), "kasper-" + key);
        loop = thread;
        thread.start();
    }

    private void run(TopicProcessor p) {
        try {
            p.runLoop();
        } catch (RuntimeException | Error e) {
            LOG.error("Kasper processor kasper.processors.{} ('{}') failed: {}", key, config.topicProcessorName(),
                    e.getMessage(), e);
            ApplicationContext ctx = context;
            if (ctx != null) {
                AvailabilityChangeEvent.publish(ctx, LivenessState.BROKEN);
                AvailabilityChangeEvent.publish(ctx, ReadinessState.REFUSING_TRAFFIC);
                if (shutdownOnFailure && ctx instanceof ConfigurableApplicationContext closable) {
                    // Not on this thread: closing stops this lifecycle, which waits for this very thread.
                    new Thread(closable::close, "kasper-" + key + "-shutdown").start();
                }
            }
            if (e instanceof Error error) {
                throw error;
            }
        }
    }

    /** Stops the processor and waits for it; prefer {@link #stop(Runnable)}, which Spring calls. */
    @Override
    public void stop() {
        TopicProcessor p = processor;
        if (p != null) {
            p.close();
        }
        Thread t = loop;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(config.closeTimeout().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        loop = null;
    }

    /**
     * Closes the processor on a thread of its own, so that every processor of the context closes in parallel within
     * the shutdown phase's timeout, and calls {@code callback} once it has committed and stopped.
     *
     * @param callback Spring's signal that this bean has stopped
     */
    @Override
    public void stop(Runnable callback) {
        new Thread(() -> {
            try {
                stop();
            } finally {
                callback.run();
            }
        }, "kasper-" + key + "-stop").start();
    }

    /**
     * Returns whether the loop was started and not yet stopped (a failed processor counts as running until the
     * context stops it, so that its resources are released then).
     *
     * @return whether the loop is started and not stopped
     */
    @Override
    public boolean isRunning() {
        return loop != null;
    }
}
