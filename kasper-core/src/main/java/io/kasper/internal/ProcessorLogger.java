package io.kasper.internal;

import org.slf4j.Logger;

/**
 * An SLF4J logger that starts every line with the processor's name (see {@link ProcessorLogContext}). Formatting
 * stays SLF4J's: the prefix is joined to the format only when the level is enabled, and the arguments, a trailing
 * {@link Throwable} included, are passed on as they are. Thread-safe (immutable; SLF4J loggers are thread-safe).
 */
final class ProcessorLogger {

    private final Logger logger;
    private final String prefix;
    private final ProcessorLogger sentences;

    /**
     * Creates the logger; {@link ProcessorLogContext#logger} is the way in.
     *
     * @param logger the class's SLF4J logger
     * @param prefix what starts each line
     * @param subject what starts each line of {@link #sentences()}
     */
    ProcessorLogger(Logger logger, String prefix, String subject) {
        this(logger, prefix, new ProcessorLogger(logger, subject, (ProcessorLogger) null));
    }

    private ProcessorLogger(Logger logger, String prefix, ProcessorLogger sentences) {
        this.logger = logger;
        this.prefix = prefix;
        this.sentences = sentences == null ? this : sentences;
    }

    /**
     * Returns the same logger for lines whose subject is the processor: {@code TopicProcessor '<name>' started: ...}
     * rather than {@code TopicProcessor '<name>': ...}.
     */
    ProcessorLogger sentences() {
        return sentences;
    }

    void debug(String format, Object... args) {
        if (logger.isDebugEnabled()) {
            logger.debug(prefix + format, args);
        }
    }

    void info(String format, Object... args) {
        if (logger.isInfoEnabled()) {
            logger.info(prefix + format, args);
        }
    }

    void warn(String format, Object... args) {
        if (logger.isWarnEnabled()) {
            logger.warn(prefix + format, args);
        }
    }

    void error(String format, Object... args) {
        if (logger.isErrorEnabled()) {
            logger.error(prefix + format, args);
        }
    }
}
