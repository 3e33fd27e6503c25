package io.kasper.spring.boot;

import io.kasper.TopicProcessor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Kasper's auto-configuration: a {@link KasperProcessorLifecycle} bean per {@code kasper.processors.<key>} running
 * the logic bean annotated {@code @KasperProcessor("<key>")}, and a store bean per {@code kasper.stores.<name>}.
 * Processors record their meters in the application's {@link MeterRegistry} when there is one (Boot's, with
 * Actuator), else in Micrometer's global registry, and their batch and commit observations in the application's
 * {@link ObservationRegistry} when there is one (Boot's), else none.
 *
 * <p>Thread-safety: configuration, used by Spring at start-up.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration"})
@ConditionalOnClass(TopicProcessor.class)
@EnableConfigurationProperties(KasperProperties.class)
public class KasperAutoConfiguration {

    /** Creates the configuration; Spring calls it. */
    public KasperAutoConfiguration() {
    }

    /**
     * Registers the per-processor and per-store beans, named by the keys of {@code kasper.processors} and
     * {@code kasper.stores}: a bean factory post-processor, so static.
     *
     * @param environment the environment holding the {@code kasper.*} properties
     * @return the registrar
     */
    @Bean
    static KasperBeanRegistrar kasperBeanRegistrar(Environment environment) {
        return new KasperBeanRegistrar(environment);
    }

    @Bean
    ProcessorConfigFactory kasperProcessorConfigFactory(ObjectProvider<MeterRegistry> meterRegistry,
            ObjectProvider<ObservationRegistry> observationRegistry, Environment environment) {
        String springKafkaServers = Binder.get(environment)
                .bind("spring.kafka.bootstrap-servers", Bindable.listOf(String.class))
                .map(servers -> String.join(",", servers))
                .orElse(null);
        return new ProcessorConfigFactory(meterRegistry.getIfAvailable(), observationRegistry.getIfAvailable(),
                springKafkaServers);
    }

    @Bean
    ProcessorLogic kasperProcessorLogic(ListableBeanFactory beans, KasperProperties properties) {
        return new ProcessorLogic(beans, properties.processors().keySet());
    }
}
