package io.kasper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kasper.store.StoreException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class ErrorPolicyTest {

    @Test
    void defaultsFailOnPoisonAndRetryFiveTimesFrom100MillisUpTo5Seconds() {
        ErrorPolicy policy = ErrorPolicy.defaults();

        assertThat(policy.poisonPolicy()).isEqualTo(PoisonPolicy.FAIL);
        assertThat(policy.deadLetterTopic()).isEmpty();
        assertThat(policy.maxRetries()).isEqualTo(5);
        assertThat(policy.brokerOutageTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(List.of(policy.backoff(1), policy.backoff(2), policy.backoff(3), policy.backoff(5)))
                .containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400),
                        Duration.ofMillis(1600));
        assertThat(policy.totalBackoff()).isEqualTo(Duration.ofMillis(3100));
    }

    @Test
    void backoffDoublesUntilTheMaximumAndStaysThere() {
        ErrorPolicy policy = ErrorPolicy.builder().maxRetries(40)
                .retryBackoff(Duration.ofMillis(300), Duration.ofSeconds(1)).build();

        assertThat(policy.backoff(2)).isEqualTo(Duration.ofMillis(600));
        assertThat(policy.backoff(3)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.backoff(40)).isEqualTo(Duration.ofSeconds(1));
        assertThatThrownBy(() -> policy.backoff(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("retry must be at least 1, was 0");
    }

    @Test
    void deadLetterTopicSelectsTheDeadLetterPolicy() {
        ErrorPolicy policy = ErrorPolicy.builder().deadLetterTopic("orders-dlt").build();

        assertThat(policy.poisonPolicy()).isEqualTo(PoisonPolicy.DEAD_LETTER);
        assertThat(policy.deadLetterTopic()).contains("orders-dlt");
    }

    @Test
    void buildReportsEveryInvalidFieldWithRuleAndValue() {
        assertThatThrownBy(() -> ErrorPolicy.builder().poisonPolicy(PoisonPolicy.DEAD_LETTER).maxRetries(-1)
                .retryBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)).brokerOutageTimeout(Duration.ofMillis(500))
                .build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("invalid ErrorPolicy: deadLetterTopic must be set when poisonPolicy is DEAD_LETTER, was "
                        + "null; maxRetries must be at least 0, was -1; maxRetryBackoff must be at least retryBackoff "
                        + "(PT2S), was PT1S; brokerOutageTimeout must be at least PT2S, was PT0.5S");
    }

    @Test
    void deadLetterTopicWithAnotherPolicyIsRejected() {
        assertThatThrownBy(() -> ErrorPolicy.builder().deadLetterTopic("dlt").poisonPolicy(PoisonPolicy.SKIP).build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("invalid ErrorPolicy: deadLetterTopic is used only with poisonPolicy DEAD_LETTER, but "
                        + "poisonPolicy was SKIP and deadLetterTopic 'dlt'");
    }

    @Test
    void zeroAndNullDurationsAreRejected() {
        assertThatThrownBy(() -> ErrorPolicy.builder().poisonPolicy(null).retryBackoff(Duration.ZERO, null).build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("invalid ErrorPolicy: poisonPolicy must be one of FAIL, SKIP, DEAD_LETTER, was null; "
                        + "retryBackoff must be positive, was PT0S; maxRetryBackoff must be set, was null");
    }

    @Test
    void retriableStoreFailuresAndKafkaRetriableErrorsAreTransientWhereverTheyAreInTheCauseChain() {
        assertThat(ErrorPolicy.isTransient(new StoreException("redis down", new IOException("reset"), true))).isTrue();
        assertThat(ErrorPolicy.isTransient(new IllegalStateException("wrapped",
                new StoreException("redis down", null, true)))).isTrue();
        assertThat(ErrorPolicy.isTransient(new KasperException("flush failed", new TimeoutException("expired"))))
                .isTrue();
        assertThat(ErrorPolicy.isTransient(new NotLeaderOrFollowerException("moved"))).isTrue();
    }

    @Test
    void otherFailuresAndPoisonMessagesAreNotTransient() {
        ConsumerRecord<String, String> record = new ConsumerRecord<>("t", 0, 7, "k", "v");

        assertThat(ErrorPolicy.isTransient(new StoreException("WRONGTYPE", null, false))).isFalse();
        assertThat(ErrorPolicy.isTransient(new RecordTooLargeException("too big"))).isFalse();
        assertThat(ErrorPolicy.isTransient(new IllegalArgumentException("bug"))).isFalse();
        assertThat(ErrorPolicy.isTransient(new PoisonMessageException(record, "bad",
                new StoreException("x", null, true)))).isFalse();
    }

    @Test
    void poisonMessageExceptionNamesItsRecords() {
        ConsumerRecord<String, String> a = new ConsumerRecord<>("orders", 3, 17, "k", "v");
        ConsumerRecord<String, String> b = new ConsumerRecord<>("orders", 3, 19, "k", "v");

        PoisonMessageException e = new PoisonMessageException(List.of(a, b), "not JSON", null);

        assertThat(e).hasMessage("poison messages orders-3@17, orders-3@19: not JSON");
        assertThat(e.records()).extracting(PoisonMessageException.RecordId::offset).containsExactly(17L, 19L);
        assertThatThrownBy(() -> new PoisonMessageException(List.of(), "none", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a PoisonMessageException needs at least one record, got []");
    }
}
