package io.kasper;

/**
 * The lifecycle state of a {@link TopicProcessor}, as returned by {@link TopicProcessor#state()}.
 *
 * <pre>
 * CREATED -&gt; STARTING -&gt; RUNNING &lt;-&gt; REBALANCING
 *                              \-&gt; CLOSING -&gt; CLOSED
 *           (any running state) -&gt; FAILED
 * </pre>
 */
public enum ProcessorState {

    /** Constructed; {@link TopicProcessor#runLoop()} not called yet. */
    CREATED,

    /** Connecting, finding the starting offsets, or (group-managed) waiting for the first assignment. */
    STARTING,

    /** Consuming and processing its partitions. */
    RUNNING,

    /** Group-managed only: the group is moving partitions; processing pauses until the new assignment. */
    REBALANCING,

    /** {@link TopicProcessor#close()} was called: finishing outstanding acknowledgements and the final commit. */
    CLOSING,

    /** Stopped after {@link TopicProcessor#close()}; everything complete was committed. */
    CLOSED,

    /** Stopped on a failure, which {@link TopicProcessor#runLoop()} threw and {@link TopicProcessor#failure()} holds. */
    FAILED;

    /**
     * Returns whether the processor has stopped for good ({@link #CLOSED} or {@link #FAILED}).
     *
     * @return whether the processor has stopped for good ({@link #CLOSED} or {@link #FAILED})
     */
    public boolean isTerminal() {
        return this == CLOSED || this == FAILED;
    }
}
