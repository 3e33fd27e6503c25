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
        return new BrokerWatch("watched", "broker:9092", timeout, status, now);
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
}
