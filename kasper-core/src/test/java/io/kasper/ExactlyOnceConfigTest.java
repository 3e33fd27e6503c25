package io.kasper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Validation of {@link ProcessingGuarantee} and {@code transactionCommitInterval}. */
class ExactlyOnceConfigTest {

    private static TopicProcessorConfig.Builder base() {
        return TopicProcessorConfig.builder().topicProcessorName("eos").bootstrapServers("localhost:9092")
                .inputTopics("in").inputPartitions(0);
    }

    private static TopicProcessorConfig.Builder exactlyOnce() {
        return base().processingGuarantee(ProcessingGuarantee.EXACTLY_ONCE);
    }

    @Test
    void atLeastOnceIsTheDefaultAndExactlyOnceCommitsEvery100MillisUnlessSet() {
        assertThat(base().build().processingGuarantee()).isEqualTo(ProcessingGuarantee.AT_LEAST_ONCE);
        assertThat(base().build().isExactlyOnce()).isFalse();
        TopicProcessorConfig config = exactlyOnce().build();
        assertThat(config.isExactlyOnce()).isTrue();
        assertThat(config.transactionCommitInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(exactlyOnce().transactionCommitInterval(Duration.ofSeconds(1)).build().transactionCommitInterval())
                .isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aCommitIntervalWithoutExactlyOnceIsRejected() {
        assertThatThrownBy(() -> base().transactionCommitInterval(Duration.ofSeconds(1)).build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("transactionCommitInterval requires processingGuarantee(ProcessingGuarantee."
                        + "EXACTLY_ONCE): under AT_LEAST_ONCE there are no transactions, but "
                        + "transactionCommitInterval was PT1S");
    }

    @Test
    void aNullGuaranteeAndANonPositiveIntervalAreRejected() {
        assertThatThrownBy(() -> base().processingGuarantee(null).build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("processingGuarantee must not be null");
        assertThatThrownBy(() -> exactlyOnce().transactionCommitInterval(Duration.ZERO).build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("transactionCommitInterval");
    }

    @Test
    void readUncommittedInputAndAProducerWithoutIdempotenceAreRejectedUnderExactlyOnce() {
        assertThatThrownBy(() -> exactlyOnce().consumerProperty("isolation.level", "read_uncommitted")
                .producerProperty("enable.idempotence", false).build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("consumerProperties must not set 'isolation.level' to 'read_uncommitted' under "
                        + "processingGuarantee EXACTLY_ONCE: input from aborted transactions would be processed; "
                        + "remove it (Kasper reads read_committed)")
                .hasMessageContaining("producerProperties must not set 'enable.idempotence' to 'false' under "
                        + "processingGuarantee EXACTLY_ONCE: transactions need the idempotent producer; remove it");
        assertThat(base().consumerProperty("isolation.level", "read_uncommitted").build()).isNotNull();
    }

    @Test
    void aTransactionalIdIsRejectedNamingTheSwitch() {
        assertThatThrownBy(() -> exactlyOnce().producerProperty("transactional.id", "mine").build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("producerProperties must not set 'transactional.id' (was 'mine'): for "
                        + "exactly-once output use processingGuarantee(ProcessingGuarantee.EXACTLY_ONCE)");
    }

    @Test
    void aTransactionTimeoutNotAboveTheIntervalPlusTheRetryBackoffIsRejected() {
        assertThatThrownBy(() -> exactlyOnce().transactionCommitInterval(Duration.ofSeconds(2))
                .errorPolicy(ErrorPolicy.builder().maxRetries(1).retryBackoff(Duration.ofSeconds(1),
                        Duration.ofSeconds(1)).build())
                .producerProperty("transaction.timeout.ms", 3000).build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("transaction.timeout.ms must exceed transactionCommitInterval plus the "
                        + "errorPolicy's total retry backoff under processingGuarantee EXACTLY_ONCE, or the broker "
                        + "aborts transactions that are still open: it was 3000 ms, transactionCommitInterval PT2S "
                        + "and the total backoff of maxRetries 1 PT1S, 3000 ms in all (raise producerProperty "
                        + "transaction.timeout.ms");
        assertThat(exactlyOnce().producerProperty("transaction.timeout.ms", 10_000).build()).isNotNull();
    }
}
