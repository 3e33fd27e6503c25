package io.kasper.examples.demo;

import io.kasper.test.KafkaBroker;

/**
 * A real single-node broker started for the demo in a forked JVM, removed with its data on {@link #close()}.
 *
 * <p>Thread-safety: thread-safe, as {@link KafkaBroker} is.
 */
final class EmbeddedCluster implements DemoCluster {

    private final KafkaBroker broker;

    private EmbeddedCluster(KafkaBroker broker) {
        this.broker = broker;
    }

    /**
     * Starts the broker and waits until it answers.
     *
     * @throws IllegalStateException when it does not start (for example when the broker jars are not in the local
     *     Maven repository)
     */
    static EmbeddedCluster start() {
        return new EmbeddedCluster(KafkaBroker.start());
    }

    @Override
    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** Returns the directory of the broker's data and logs, deleted on {@link #close()}. */
    java.nio.file.Path directory() {
        return broker.logFile().getParent();
    }

    @Override
    public void createTopic(String name, int partitions) {
        broker.createTopic(name, partitions);
    }

    @Override
    public void close() {
        broker.close();
    }
}
