package io.kasper.examples.demo;

import io.kasper.TopicProcessor;
import io.kasper.examples.ExampleSettings;
import java.io.PrintWriter;
import java.util.List;

/**
 * One example as the demo runs it: its topics, its input, its processor and how to show and check its result.
 *
 * <p>Thread-safety: used from the demo's main thread only; the processor it creates runs on its own thread.
 */
interface DemoExample {

    /** Returns every topic the example uses (input and output); each gets the demo's partition count. */
    List<String> topics();

    /**
     * Produces the example's input.
     *
     * @param bootstrapServers the cluster
     * @param partitions the partition count of the topics
     * @param out where to tell the user what was produced
     */
    void feed(String bootstrapServers, int partitions, PrintWriter out);

    /**
     * Creates the example's topic processor.
     *
     * @param settings cluster, processor name, partitions and metrics registry
     * @param out where the example may print while it runs
     * @return the processor, not yet running
     */
    TopicProcessor create(ExampleSettings settings, PrintWriter out);

    /**
     * Prints the result, read back from the output topic, and checks it against the expected result.
     *
     * @param bootstrapServers the cluster
     * @param out where to print
     * @return whether the result is correct
     */
    boolean report(String bootstrapServers, PrintWriter out);
}
