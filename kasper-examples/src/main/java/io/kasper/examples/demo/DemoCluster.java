package io.kasper.examples.demo;

/**
 * The Kafka cluster a demo runs against: an embedded broker it started, or a cluster given on the command line.
 *
 * <p>Thread-safety: implementations are thread-safe; {@link #close()} is idempotent.
 */
interface DemoCluster extends AutoCloseable {

    /** Returns the bootstrap servers of the cluster. */
    String bootstrapServers();

    /**
     * Creates a topic unless it exists, and returns once every partition has a leader.
     *
     * @param name the topic
     * @param partitions its partition count
     * @throws IllegalStateException when the topic cannot be created or does not become ready
     */
    void createTopic(String name, int partitions);

    /** Releases the cluster: stops an embedded broker and deletes its data; closes clients of an external one. */
    @Override
    void close();
}
