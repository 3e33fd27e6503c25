package io.kasper.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.kasper.InvalidConfigException;
import io.kasper.MessageProcessor;
import io.kasper.TypedMessageProcessor;
import io.kasper.tracing.KasperTracingObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The auto-configuration's checks, without a broker: every failure here happens while beans are created, before any
 * processor contacts a cluster.
 */
class KasperAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(KasperAutoConfiguration.class,
                    KasperHealthAutoConfiguration.class, KasperTracingAutoConfiguration.class));

    @Configuration(proxyBeanMethods = false)
    static class WordsLogic {
        @Bean
        @KasperProcessor("words")
        MessageProcessor wordsProcessor() {
            return (messages, sender) -> { };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TypedLogic {
        @Bean
        @KasperProcessor("words")
        TypedMessageProcessor<String, String> typedWords() {
            return (messages, sender) -> { };
        }
    }

    @Test
    void withoutKasperPropertiesStartsWithoutProcessorsOrStores() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBeansOfType(KasperProcessorLifecycle.class)).isEmpty();
            assertThat(context).hasBean("kasperHealthContributor");
        });
    }

    @Test
    void invalidProcessorSettingsFailStartUpWithKaspersNamedErrors() {
        runner.withUserConfiguration(WordsLogic.class)
                .withPropertyValues("kasper.processors.words.bootstrap-servers=localhost:9092",
                        "kasper.processors.words.topics=lines",
                        "kasper.processors.words.partitions=0",
                        "kasper.processors.words.batch-size=0",
                        "kasper.processors.words.max-uncommitted-batches=0")
                .run(context -> assertThat(rootCause(context.getStartupFailure()))
                        .isInstanceOf(InvalidConfigException.class)
                        .hasMessageStartingWith("kasper.processors.words: invalid TopicProcessorConfig: ")
                        .hasMessageContaining("batchSize must be at least 1, was 0")
                        .hasMessageContaining("maxUncommittedBatches"));
    }

    @Test
    void invalidErrorPolicyFailsStartUpNamingTheProcessor() {
        runner.withUserConfiguration(WordsLogic.class)
                .withPropertyValues("kasper.processors.words.bootstrap-servers=localhost:9092",
                        "kasper.processors.words.topics=lines",
                        "kasper.processors.words.partitions=0",
                        "kasper.processors.words.error-policy.poison-policy=dead-letter")
                .run(context -> assertThat(rootCause(context.getStartupFailure()))
                        .isInstanceOf(InvalidConfigException.class)
                        .hasMessage("kasper.processors.words: invalid ErrorPolicy: deadLetterTopic must be set when "
                                + "poisonPolicy is DEAD_LETTER, was null"));
    }

    @Test
    void bootstrapServersDefaultToSpringKafkaBootstrapServers() {
        runner.withUserConfiguration(WordsLogic.class)
                .withPropertyValues("spring.kafka.bootstrap-servers=a:1,b:2",
                        "kasper.processors.words.topics=lines",
                        "kasper.processors.words.group-managed=true",
                        "kasper.processors.words.batch-size=7",
                        "kasper.processors.words.auto-startup=false",
                        "kasper.processors.words.kafka.client.id=app",
                        "kasper.processors.words.error-policy.max-retries=2")
                .run(context -> {
                    ProcessorConfigFactory configs = context.getBean(ProcessorConfigFactory.class);
                    KasperProperties properties = context.getBean(KasperProperties.class);
                    var config = configs.build("words", properties.processors().get("words"));
                    assertThat(config.bootstrapServers()).isEqualTo("a:1,b:2");
                    assertThat(config.topicProcessorName()).isEqualTo("words");
                    assertThat(config.isGroupManaged()).isTrue();
                    assertThat(config.batchSize()).isEqualTo(7);
                    assertThat(config.kafkaProperties()).containsEntry("client.id", "app");
                    assertThat(config.errorPolicy().maxRetries()).isEqualTo(2);
                });
    }

    @Test
    void processorsObserveThroughTheApplicationsObservationRegistry() {
        ObservationRegistry applications = ObservationRegistry.create();
        runner.withUserConfiguration(WordsLogic.class)
                .withBean(ObservationRegistry.class, () -> applications)
                .withPropertyValues("kasper.processors.words.topics=lines",
                        "kasper.processors.words.bootstrap-servers=a:1", "kasper.processors.words.group-managed=true",
                        "kasper.processors.words.auto-startup=false")
                .run(context -> {
                    var config = context.getBean(ProcessorConfigFactory.class)
                            .build("words", context.getBean(KasperProperties.class).processors().get("words"));
                    assertThat(config.observationRegistry()).isSameAs(applications);
                });
    }

    @Test
    void withoutAnObservationRegistryBeanProcessorsObserveNothing() {
        runner.withUserConfiguration(WordsLogic.class)
                .withPropertyValues("kasper.processors.words.topics=lines",
                        "kasper.processors.words.bootstrap-servers=a:1", "kasper.processors.words.group-managed=true",
                        "kasper.processors.words.auto-startup=false")
                .run(context -> {
                    var config = context.getBean(ProcessorConfigFactory.class)
                            .build("words", context.getBean(KasperProperties.class).processors().get("words"));
                    assertThat(config.observationRegistry().isNoop()).isTrue();
                });
    }

    @Test
    void aTracerBeanBringsKaspersTracingHandlerAndNoTracerNone() {
        runner.withBean(Tracer.class, () -> Tracer.NOOP).run(context ->
                assertThat(context).hasSingleBean(KasperTracingObservationHandler.class));
        runner.run(context -> assertThat(context).doesNotHaveBean(KasperTracingObservationHandler.class));
    }

    @Test
    void processorWithoutLogicBeanFailsStartUpByName() {
        runner.withPropertyValues("kasper.processors.words.bootstrap-servers=localhost:9092",
                        "kasper.processors.words.topics=lines",
                        "kasper.processors.words.partitions=0")
                .run(context -> assertThat(rootCause(context.getStartupFailure()))
                        .isInstanceOf(InvalidConfigException.class)
                        .hasMessage("invalid Kasper processors: kasper.processors.words has no logic: annotate a "
                                + "MessageProcessor or TypedMessageProcessor bean with @KasperProcessor(\"words\")"));
    }

    @Test
    void logicBeanWithoutProcessorFailsStartUpByName() {
        runner.withUserConfiguration(WordsLogic.class)
                .run(context -> assertThat(rootCause(context.getStartupFailure()))
                        .isInstanceOf(InvalidConfigException.class)
                        .hasMessage("invalid Kasper processors: bean 'wordsProcessor' is annotated "
                                + "@KasperProcessor(\"words\") but kasper.processors.words is not configured "
                                + "(configured: []): add its settings or fix the name"));
    }

    @Test
    void deserializersOnARawProcessorFailStartUpByProperty() {
        runner.withUserConfiguration(WordsLogic.class)
                .withPropertyValues("kasper.processors.words.bootstrap-servers=localhost:9092",
                        "kasper.processors.words.topics=lines",
                        "kasper.processors.words.partitions=0",
                        "kasper.processors.words.value-deserializer="
                                + "org.apache.kafka.common.serialization.LongDeserializer")
                .run(context -> assertThat(rootCause(context.getStartupFailure()))
                        .isInstanceOf(InvalidConfigException.class)
                        .hasMessageStartingWith("kasper.processors.words.key-deserializer and value-deserializer "
                                + "apply to a TypedMessageProcessor, but bean 'wordsProcessor'"));
    }

    @Test
    void deserializerThatIsNotADeserializerFailsStartUpByProperty() {
        runner.withUserConfiguration(TypedLogic.class)
                .withPropertyValues("kasper.processors.words.bootstrap-servers=localhost:9092",
                        "kasper.processors.words.topics=lines",
                        "kasper.processors.words.partitions=0",
                        "kasper.processors.words.key-deserializer=java.lang.String")
                .run(context -> assertThat(rootCause(context.getStartupFailure()))
                        .isInstanceOf(InvalidConfigException.class)
                        .hasMessage("kasper.processors.words.key-deserializer must name an "
                                + "org.apache.kafka.common.serialization.Deserializer, was java.lang.String"));
    }

    @Test
    void storeWithTwoKindsFailsStartUpByName() {
        runner.withPropertyValues("kasper.stores.counts.redis.uri=redis://localhost:6379",
                        "kasper.stores.counts.opensearch.uri=http://localhost:9200")
                .run(context -> assertThat(rootCause(context.getStartupFailure()))
                        .isInstanceOf(InvalidConfigException.class)
                        .hasMessage("kasper.stores.counts must set exactly one of redis, opensearch, cassandra, had "
                                + "[redis, opensearch]"));
    }

    @Test
    void invalidStoreSettingsFailStartUpWithTheAdaptersNamedErrors() {
        runner.withPropertyValues("kasper.stores.counts.redis.uri=redis://localhost:6379",
                        "kasper.stores.counts.redis.max-keys-per-command=0")
                .run(context -> assertThat(rootCause(context.getStartupFailure()))
                        .isInstanceOf(InvalidConfigException.class)
                        .hasMessageStartingWith("kasper.stores.counts: invalid RedisStoreConfig: ")
                        .hasMessageContaining("maxKeysPerCommand must be at least 1, was 0"));
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    @Test
    void configurationMetadataIsGeneratedForIdeCompletion() throws Exception {
        Path metadata = Path.of("target/classes/META-INF/spring-configuration-metadata.json");
        assertThat(Files.readString(metadata, StandardCharsets.UTF_8))
                .contains("\"name\": \"kasper.processors\"")
                .contains("\"name\": \"kasper.stores\"");
    }
}
