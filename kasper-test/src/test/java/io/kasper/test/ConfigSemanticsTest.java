package io.kasper.test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kasper.ErrorPolicy;
import io.kasper.GroupProtocol;
import io.kasper.PartitionListener;
import io.kasper.PoisonPolicy;
import io.kasper.ProcessingGuarantee;
import io.kasper.TopicProcessorConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The core configs' {@code equals}, {@code hashCode} and {@code toBuilder()} cover every setter of their builders, and
 * {@link ConfigSemantics} catches a config whose {@code equals} or {@code toBuilder()} forgets one.
 */
class ConfigSemanticsTest {

    private static final SimpleMeterRegistry REGISTRY = new SimpleMeterRegistry();
    private static final ObservationRegistry OBSERVATIONS = ObservationRegistry.create();
    private static final PartitionListener LISTENER = new PartitionListener() {
        @Override
        public void onPartitionsAssigned(Set<Integer> partitionNumbers) {
        }

        @Override
        public void onPartitionsRevoked(Set<Integer> partitionNumbers) {
        }
    };

    @Test
    void topicProcessorConfigComparesAndCopiesEverySetting() {
        ConfigSemantics.of(TopicProcessorConfig.Builder.class, () -> TopicProcessorConfig.builder()
                        .topicProcessorName("reach").bootstrapServers("localhost:9092").inputTopics("tweets", "followers")
                        .inputPartitions(0, 1, 2, 3), TopicProcessorConfig.Builder::build, TopicProcessorConfig::toBuilder)
                .vary("topicProcessorName", b -> b.topicProcessorName("other"))
                .vary("bootstrapServers", b -> b.bootstrapServers("other:9092"))
                .vary("inputTopics", b -> b.inputTopics(List.of("tweets")))
                .vary("inputPartitions", b -> b.inputPartitions(0, 1))
                .vary("groupManaged", b -> b.inputPartitions(List.of()).groupManaged())
                .vary("groupInstanceId", b -> b.inputPartitions(List.of()).groupManaged(),
                        b -> b.groupInstanceId("member-1"))
                .vary("groupProtocol", b -> b.inputPartitions(List.of()).groupManaged(),
                        b -> b.groupProtocol(GroupProtocol.CONSUMER))
                .vary("processingGuarantee", b -> b.processingGuarantee(ProcessingGuarantee.EXACTLY_ONCE))
                .vary("transactionCommitInterval", b -> b.processingGuarantee(ProcessingGuarantee.EXACTLY_ONCE),
                        b -> b.transactionCommitInterval(Duration.ofMillis(250)))
                .vary("partitionListener", b -> b.partitionListener(LISTENER))
                .vary("batchSize", b -> b.batchSize(7))
                .vary("batchMaxBytes", b -> b.batchMaxBytes(1024))
                .vary("maxBufferedBytes", b -> b.maxBufferedBytes(123_456_789L))
                .vary("batchWaitDuration", b -> b.batchWaitDuration(Duration.ofMillis(50)))
                .vary("errorPolicy", b -> b.errorPolicy(ErrorPolicy.builder().maxRetries(1).build()))
                .vary("maxUncommittedBatches", b -> b.maxUncommittedBatches(1))
                .vary("closeTimeout", b -> b.closeTimeout(Duration.ofSeconds(10)))
                .vary("meterRegistry", b -> b.meterRegistry(REGISTRY))
                .vary("observationRegistry", b -> b.observationRegistry(OBSERVATIONS))
                .vary("kafkaProperty", b -> b.kafkaProperty("client.rack", "r1"))
                .vary("kafkaProperties", b -> b.kafkaProperties(Map.of("security.protocol", "SSL")))
                .vary("consumerProperty", b -> b.consumerProperty("max.poll.records", 42))
                .vary("producerProperty", b -> b.producerProperty("linger.ms", 20))
                .check();
    }

    @Test
    void errorPolicyComparesAndCopiesEverySetting() {
        ConfigSemantics.of(ErrorPolicy.Builder.class, ErrorPolicy::builder, ErrorPolicy.Builder::build,
                        ErrorPolicy::toBuilder)
                .vary("poisonPolicy", b -> b.poisonPolicy(PoisonPolicy.SKIP))
                .vary("deadLetterTopic", b -> b.deadLetterTopic("orders-dlt"))
                .vary("maxRetries", b -> b.maxRetries(0))
                .vary("retryBackoff", b -> b.retryBackoff(Duration.ofMillis(1), Duration.ofSeconds(1)))
                .vary("brokerOutageTimeout", b -> b.brokerOutageTimeout(Duration.ofMinutes(1)))
                .check();
    }

    @Test
    void aSoundConfigPasses() {
        assertThatCode(() -> sample(Flaw.NONE).check()).doesNotThrowAnyException();
    }

    @Test
    void aSettingThatEqualsForgetsFailsTheCheck() {
        assertThatThrownBy(() -> sample(Flaw.EQUALS_FORGETS_COUNT).check()).isInstanceOf(AssertionError.class)
                .hasMessageContaining("a config that differs in count must not equal the other (is count in equals?)");
    }

    @Test
    void aSettingThatToBuilderForgetsFailsTheCheck() {
        assertThatThrownBy(() -> sample(Flaw.TO_BUILDER_FORGETS_COUNT).check()).isInstanceOf(AssertionError.class)
                .hasMessageContaining("toBuilder().build() must keep count");
    }

    @Test
    void aSetterWithoutAVariationFailsTheCheck() {
        assertThatThrownBy(() -> ConfigSemantics.of(Sample.Builder.class, () -> Sample.builder(Flaw.NONE),
                        Sample.Builder::build, Sample::toBuilder).vary("name", b -> b.name("other")).check())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("the variations must match the setters of " + Sample.Builder.class.getName())
                .hasMessageContaining("count");
    }

    private static ConfigSemantics<Sample.Builder, Sample> sample(Flaw flaw) {
        return ConfigSemantics.of(Sample.Builder.class, () -> Sample.builder(flaw).name("a"), Sample.Builder::build,
                        Sample::toBuilder)
                .vary("name", b -> b.name("b"))
                .vary("count", b -> b.count(2));
    }

    private enum Flaw { NONE, EQUALS_FORGETS_COUNT, TO_BUILDER_FORGETS_COUNT }

    /** A config with two settings, whose {@code equals} or {@code toBuilder()} may forget one. */
    static final class Sample {

        private final Flaw flaw;
        private final String name;
        private final int count;

        private Sample(Builder b) {
            this.flaw = b.flaw;
            this.name = b.name;
            this.count = b.count;
        }

        static Builder builder(Flaw flaw) {
            return new Builder(flaw);
        }

        Builder toBuilder() {
            Builder b = new Builder(flaw).name(name);
            return flaw == Flaw.TO_BUILDER_FORGETS_COUNT ? b : b.count(count);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Sample other && name.equals(other.name)
                    && (flaw == Flaw.EQUALS_FORGETS_COUNT || count == other.count);
        }

        @Override
        public int hashCode() {
            return Objects.hash(name);
        }

        static final class Builder {

            private final Flaw flaw;
            private String name;
            private int count = 1;

            private Builder(Flaw flaw) {
                this.flaw = flaw;
            }

            public Builder name(String name) {
                this.name = name;
                return this;
            }

            public Builder count(int count) {
                this.count = count;
                return this;
            }

            public Sample build() {
                return new Sample(this);
            }
        }
    }
}
