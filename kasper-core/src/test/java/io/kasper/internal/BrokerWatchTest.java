package io.kasper.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kasper.KasperException;
import io.kasper.ProcessorState;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.internals.AutoOffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class BrokerWatchTest {

    private static final List<TopicPartition> PARTITIONS = List.of(new TopicPartition("in", 0));
    private static final long S = TimeUnit.SECONDS.toNanos(1);

    /** A consumer whose end-offset requests succeed or time out, as a reachable or unreachable cluster. */
    private static final class Cluster extends MockConsumer<byte[], byte[]> {
        private boolean reachable = true;
        private final AtomicInteger requests = new AtomicInteger();

        Cluster() {
            super(AutoOffsetResetStrategy.EARLIEST.name());
        }

        @Override
        public synchronized Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions,
                Duration timeout) {
            requests.incrementAndGet();
            if (!reachable) {
                throw new TimeoutException("no answer");
            }
            return Map.of(PARTITIONS.get(0), 0L);
        }
    }

    private final ProcessorStatus status = new ProcessorStatus();
    private final Cluster cluster = new Cluster();

    private BrokerWatch watch(Duration timeout, long now) {
        status.move(ProcessorState.RUNNING);
        return new BrokerWatch(new ProcessorLogContext("watched"), "broker:9092", timeout, status, now);
    }

    @Test
    void asksNothingWhileTheClusterAnswersAnyway() {
        BrokerWatch watch = watch(Duration.ofSeconds(10), 0);
        for (long now = 0; now < 20 * S; now += S) {
            watch.contact(now);
            watch.check(cluster, () -> PARTITIONS, now);
        }
        assertThat(cluster.requests).hasValue(0);
        assertThat(status.isReady()).isTrue();
    }

    @Test
    void asksTheClusterAfterTwoSecondsOfSilenceAndStaysReadyWhenItAnswers() {
        BrokerWatch watch = watch(Duration.ofSeconds(10), 0);
        watch.check(cluster, () -> PARTITIONS, S);
        assertThat(cluster.requests).hasValue(0);

        watch.check(cluster, () -> PARTITIONS, 2 * S);

        assertThat(cluster.requests).hasValue(1);
        assertThat(status.isReady()).isTrue();
        assertThat(watch.isUnreachable()).isFalse();
    }

    @Test
    void anUnansweredQuestionMakesTheProcessorUnreadyUntilTheClusterAnswersAgain() {
        BrokerWatch watch = watch(Duration.ofSeconds(60), 0);
        cluster.reachable = false;

        watch.check(cluster, () -> PARTITIONS, 2 * S);

        assertThat(status.isReady()).isFalse();
        assertThat(status.isBrokerUnreachable()).isTrue();
        watch.contact(3 * S);
        assertThat(status.isReady()).isTrue();
    }

    @Test
    void failsOnceTheSilenceOutlastsTheOutageTimeout() {
        BrokerWatch watch = watch(Duration.ofSeconds(4), 0);
        cluster.reachable = false;
        watch.check(cluster, () -> PARTITIONS, 2 * S);

        assertThatThrownBy(() -> watch.check(cluster, () -> PARTITIONS, 4 * S))
                .isExactlyInstanceOf(KasperException.class)
                .hasMessageStartingWith("TopicProcessor 'watched': no Kafka broker of 'broker:9092' has answered for "
                        + "4000 ms (errorPolicy brokerOutageTimeout PT4S); stopping");
    }

    @Test
    void aFlushGetsTheWholeTimeoutWhileTheClusterAnswersAndOnlyWhatIsLeftOnceItIsSilent() {
        BrokerWatch watch = watch(Duration.ofSeconds(10), 0);
        assertThat(watch.waitDeadline(3 * S)).isEqualTo(13 * S);
        assertThat(watch.isSpent(3 * S)).isFalse();

        watch.unanswered(4 * S); // silent since the last contact, at 0

        assertThat(watch.waitDeadline(4 * S)).isEqualTo(10 * S);
        assertThat(watch.isSpent(9 * S)).isFalse();
        assertThat(watch.isSpent(10 * S)).isTrue();
        assertThat(status.isReady()).isFalse();
        assertThat(watch.waitDeadline(12 * S)).as("a spent budget still grants one question's time")
                .isEqualTo(12 * S + TimeUnit.MILLISECONDS.toNanos(500));

        watch.answered(13 * S);

        assertThat(watch.waitDeadline(13 * S)).isEqualTo(23 * S);
        assertThat(status.isReady()).isTrue();
    }

    @Test
    void aFlushOutageNamesTheSilenceTheTimeoutAndTheUncommittedInput() {
        BrokerWatch watch = watch(Duration.ofSeconds(4), S);
        watch.unanswered(5 * S);

        assertThat(watch.outage("output flushed by batch of partition 0", 5 * S))
                .isExactlyInstanceOf(KasperException.class)
                .hasMessage("TopicProcessor 'watched': output flushed by batch of partition 0 was not acknowledged, "
                        + "and the Kafka cluster at 'broker:9092' has acknowledged nothing for 4000 ms (errorPolicy "
                        + "brokerOutageTimeout PT4S); stopping. Input whose output is not acknowledged stays "
                        + "uncommitted and is processed again after a restart");
    }
}
