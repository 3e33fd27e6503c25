package io.kasper.spring.boot;

import io.kasper.tracing.KasperTracingObservationHandler;
import io.micrometer.tracing.Tracer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Turns Kasper's batch and commit observations into linked spans when the application traces with Micrometer
 * Tracing (a {@link Tracer} bean, as Boot's tracing auto-configuration makes for OpenTelemetry or Brave) and
 * {@code kasper-tracing} is on the classpath. Boot puts every tracing observation handler into one first-matching
 * group ordered by precedence; this one comes first, so Kasper's observations get their links and output headers while
 * every other observation still goes to Boot's default tracing handler.
 *
 * <p>Thread-safety: configuration, used by Spring at start-up.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration",
        "org.springframework.boot.micrometer.tracing.brave.autoconfigure.BraveAutoConfiguration",
        "org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration"})
@ConditionalOnClass({KasperTracingObservationHandler.class, Tracer.class})
public class KasperTracingAutoConfiguration {

    /** Creates the configuration; Spring calls it. */
    public KasperTracingAutoConfiguration() {
    }

    /**
     * The handler making Kasper's spans, ahead of Boot's default tracing handler.
     *
     * @param tracer the application's tracer
     * @return the handler
     */
    @Bean
    @ConditionalOnBean(Tracer.class)
    @ConditionalOnMissingBean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    public KasperTracingObservationHandler kasperTracingObservationHandler(Tracer tracer) {
        return new KasperTracingObservationHandler(tracer);
    }
}
