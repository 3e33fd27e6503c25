package io.kasper.internal;

import org.slf4j.LoggerFactory;

/**
 * The one place that names the processor in log lines and exception messages, in the spirit of Kafka's
 * {@code LogContext}: every line and message about a processor starts with {@code TopicProcessor '<name>'}, so that
 * the output of several processors in one JVM can be told apart. One instance is created per processor and handed to
 * the classes that log or throw on its behalf. Thread-safe (immutable).
 */
final class ProcessorLogContext {

    private final String processorName;
    /** The processor as the subject of a sentence: {@code TopicProcessor 'orders' started}. */
    private final String subject;
    /** The prefix of a statement about the processor: {@code TopicProcessor 'orders': commit failed}. */
    private final String prefix;

    /**
     * Creates the context of one processor.
     *
     * @param processorName the processor's {@code topicProcessorName}
     */
    ProcessorLogContext(String processorName) {
        this.processorName = processorName;
        this.subject = "TopicProcessor '" + processorName + "' ";
        this.prefix = "TopicProcessor '" + processorName + "': ";
    }

    /** Returns the processor's name, for metric tags and headers that carry it bare. */
    String processorName() {
        return processorName;
    }

    /**
     * Returns an exception message about the processor: {@code TopicProcessor '<name>': <text>}.
     *
     * @param text what happened, naming what was involved
     */
    String message(String text) {
        return prefix + text;
    }

    /**
     * Returns a sentence whose subject is the processor: {@code TopicProcessor '<name>' <text>}, as in
     * {@code TopicProcessor 'orders' failed: ...}.
     *
     * @param text the rest of the sentence, starting with its verb
     */
    String sentence(String text) {
        return subject + text;
    }

    /**
     * Returns a logger named after {@code owner} whose lines start with {@code TopicProcessor '<name>': }; its
     * {@link ProcessorLogger#sentences()} starts them with {@code TopicProcessor '<name>' }.
     *
     * @param owner the class that logs
     */
    ProcessorLogger logger(Class<?> owner) {
        return new ProcessorLogger(LoggerFactory.getLogger(owner), prefix, subject);
    }
}
