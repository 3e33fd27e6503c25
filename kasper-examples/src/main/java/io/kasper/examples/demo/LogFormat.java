package io.kasper.examples.demo;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * The demo's log output format, applied by reconfiguring Logback from one of two bundled configurations.
 *
 * <p>Reconfiguring at run time (instead of choosing the file by a system property) works whenever the option is
 * parsed, even after a first logger was created. Thread-safety: {@link #apply()} reconfigures the global Logback
 * context; call it once, before the demo starts working.
 */
enum LogFormat {
    /** Human-readable lines on stderr; Kafka clients at WARN so progress stays readable. */
    TEXT("logback.xml"),
    /** One JSON object per line on stderr (Logback's JsonEncoder), for log shippers. */
    JSON("logback-json.xml");

    private final String resource;

    LogFormat(String resource) {
        this.resource = resource;
    }

    /**
     * Replaces the current Logback configuration with this format's.
     *
     * @throws IllegalStateException when Logback is not the SLF4J binding or the configuration is invalid
     */
    void apply() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) {
            throw new IllegalStateException("--log-format needs Logback as the SLF4J binding, found "
                    + factory.getClass().getName());
        }
        URL url = LogFormat.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new IllegalStateException("logging configuration " + resource + " is missing from the classpath");
        }
        context.reset();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(url);
        } catch (JoranException e) {
            throw new IllegalStateException("invalid logging configuration " + resource, e);
        }
    }
}
