package io.kasper.spring.boot;

import java.util.Map;
import java.util.TreeMap;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Health of the Kasper processors when Spring Boot's health support is on the classpath: one contributor
 * {@code kasper} with a health indicator per processor, by key ({@code /actuator/health/kasper/<key>}).
 *
 * <p>Thread-safety: configuration, used by Spring at start-up.
 */
@AutoConfiguration(after = KasperAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
public class KasperHealthAutoConfiguration {

    /** Creates the configuration; Spring calls it. */
    public KasperHealthAutoConfiguration() {
    }

    /**
     * The {@code kasper} health contributor: one indicator per processor, DOWN once that processor failed.
     *
     * @param processors the processors' lifecycle beans
     * @return the composite contributor
     */
    @Bean
    @ConditionalOnMissingBean(name = "kasperHealthContributor")
    public CompositeHealthContributor kasperHealthContributor(ObjectProvider<KasperProcessorLifecycle> processors) {
        Map<String, HealthContributor> byKey = new TreeMap<>();
        processors.orderedStream().forEach(p -> byKey.put(p.key(), new ProcessorHealthIndicator(p)));
        return CompositeHealthContributor.fromMap(byKey);
    }
}
