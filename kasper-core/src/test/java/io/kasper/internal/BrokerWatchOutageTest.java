package io.kasper.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kasper.BatchFailedException;
import io.kasper.KasperException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/** When the shutdown may skip its waits: only on a broker outage, never after one failed request. */
class BrokerWatchOutageTest {

    private static final long S = TimeUnit.SECONDS.toNanos(1);
    private static final List<TopicPartition> PARTITIONS = List.of(new TopicPartition("in", 0));

    private final BrokerWatch watch = new BrokerWatch(new ProcessorLogContext("watched"), "broker:9092",
            Duration.ofSeconds(4), new ProcessorStatus(), 0);

    @Test
    void oneFailedRequestIsNoOutage() {
        watch.failedRequest();

        assertThat(watch.isUnreachable()).isTrue();
        assertThat(watch.isOutage(null, 0)).as("a stop").isFalse();
        assertThat(watch.isOutage(new KasperException("process threw"), 0)).as("another failure").isFalse();
    }

    @Test
    void anOutputTimeoutWhileTheClusterIsSilentIsAnOutage() {
        BatchFailedException timedOut = new BatchFailedException("output could not be produced", 0, Map.of(),
                new TimeoutException("Expiring 1 record(s): 5000 ms has passed since batch creation"));
        assertThat(watch.isOutage(timedOut, S)).as("while the cluster answers").isFalse();

        watch.failedRequest();

        assertThat(watch.isOutage(timedOut, S)).isTrue();
    }

    @Test
    void anOutputTimeoutAfterHalfTheOutageTimeoutWithoutAnyAnswerIsAnOutageEvenUnnoticedByTheLoop() {
        BatchFailedException timedOut = new BatchFailedException("output could not be produced", 0, Map.of(),
                new TimeoutException("Expiring 100 record(s): 5001 ms has passed since batch creation"));

        assertThat(watch.isOutage(timedOut, S)).as("1 s of silence, timeout 4 s").isFalse();
        assertThat(watch.isOutage(timedOut, 2 * S)).as("2 s of silence: a loop blocked in send").isTrue();
        assertThat(watch.isOutage(new KasperException("process threw"), 3 * S)).as("not a timeout").isFalse();
        watch.contact(3 * S);
        assertThat(watch.isOutage(timedOut, 4 * S)).as("answered 1 s ago").isFalse();
    }

    @Test
    void theOutageTheWatchDeclaresIsAnOutageWhateverStopsTheProcessor() {
        MockConsumer<byte[], byte[]> silent = new MockConsumer<>("earliest") {
            @Override
            public synchronized Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions,
                    Duration timeout) {
                throw new TimeoutException("no answer");
            }
        };
        watch.check(silent, () -> PARTITIONS, 2 * S);
        assertThat(watch.isOutage(null, 2 * S)).as("silent for 2 s of 4").isFalse();

        assertThatThrownBy(() -> watch.check(silent, () -> PARTITIONS, 4 * S)).isInstanceOf(KasperException.class);

        assertThat(watch.isOutage(null, 4 * S)).isTrue();
    }
}
