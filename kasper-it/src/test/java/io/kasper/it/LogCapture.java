package io.kasper.it;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.LoggerFactory;

/**
 * Records every log event of this JVM, message and stack trace, from all threads, while it is open; raises the Kafka
 * and Lettuce (Redis) clients to INFO meanwhile (so that their configuration dumps and reconnect lines are recorded
 * too) without printing their INFO lines to the console. Thread-safe; open one at a time.
 */
final class LogCapture implements AutoCloseable {

    private static final String KAFKA = "org.apache.kafka";
    private static final String LETTUCE = "io.lettuce";

    private final Queue<String> lines = new ConcurrentLinkedQueue<>();
    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Logger kafka = context.getLogger(KAFKA);
    private final Level kafkaLevelBefore = kafka.getLevel();
    private final Logger lettuce = context.getLogger(LETTUCE);
    private final Level lettuceLevelBefore = lettuce.getLevel();
    private final AppenderBase<ILoggingEvent> recorder = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            String line = event.getLevel() + " " + event.getLoggerName() + " - " + event.getFormattedMessage();
            if (event.getThrowableProxy() != null) {
                line += System.lineSeparator() + ThrowableProxyUtil.asString(event.getThrowableProxy());
            }
            lines.add(line);
        }
    };
    private final List<Appender<ILoggingEvent>> quieted = new ArrayList<>();

    private LogCapture() {
    }

    /** Starts recording. */
    static LogCapture start() {
        LogCapture capture = new LogCapture();
        capture.open();
        return capture;
    }

    private void open() {
        Filter<ILoggingEvent> kafkaBelowWarn = new Filter<>() {
            @Override
            public FilterReply decide(ILoggingEvent event) {
                boolean raised = event.getLoggerName().startsWith(KAFKA) || event.getLoggerName().startsWith(LETTUCE);
                return raised && !event.getLevel().isGreaterOrEqual(Level.WARN) ? FilterReply.DENY
                        : FilterReply.NEUTRAL;
            }
        };
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            Appender<ILoggingEvent> appender = it.next();
            appender.addFilter(kafkaBelowWarn);
            quieted.add(appender);
        }
        recorder.setContext(context);
        recorder.setName("kasper-it-log-capture");
        recorder.start();
        root.addAppender(recorder);
        kafka.setLevel(Level.INFO);
        lettuce.setLevel(Level.INFO);
    }

    /** Returns the lines recorded so far (level, logger, message and any stack trace), in order. */
    List<String> lines() {
        return List.copyOf(lines);
    }

    /** Stops recording and restores the levels and console output. */
    @Override
    public void close() {
        kafka.setLevel(kafkaLevelBefore);
        lettuce.setLevel(lettuceLevelBefore);
        root.detachAppender(recorder);
        recorder.stop();
        for (Appender<ILoggingEvent> appender : quieted) {
            appender.clearAllFilters(); // logback-test.xml gives the appenders no filters of their own
        }
    }
}
