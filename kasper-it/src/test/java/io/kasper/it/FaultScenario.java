package io.kasper.it;

import static io.kasper.it.Fixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kasper.test.KafkaBroker;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The topics of one fault scenario: an input topic holding {@code count} unique values round-robin over its
 * partitions, and an empty output topic of the same partition count; then the output's progress and its ledger.
 */
final class FaultScenario {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    final KafkaBroker broker;
    final String in;
    final String out;
    final int partitions;
    final List<ConsumerRecord<byte[], byte[]>> inputs;

    private FaultScenario(KafkaBroker broker, String prefix, int partitions, int count) {
        this.broker = broker;
        this.in = unique(prefix + "-in");
        this.out = unique(prefix + "-out");
        this.partitions = partitions;
        broker.createTopic(in, partitions);
        broker.createTopic(out, partitions);
        broker.produce(Fixtures.spread(in, partitions, count, in + "/"));
        this.inputs = broker.readAll(in);
        assertThat(inputs).hasSize(count);
    }

    /** Creates the topics and produces the input. */
    static FaultScenario create(KafkaBroker broker, String prefix, int partitions, int count) {
        return new FaultScenario(broker, prefix, partitions, count);
    }

    /** Returns how many records the output topic holds (the sum of its end offsets). */
    long outputCount() throws Exception {
        Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            specs.put(new TopicPartition(out, p), OffsetSpec.latest());
        }
        try (Admin admin = Admin.create(broker.clientProperties())) {
            return admin.listOffsets(specs).all().get(10, TimeUnit.SECONDS).values().stream()
                    .mapToLong(info -> info.offset()).sum();
        }
    }

    /** Waits until the output holds at least {@code count} records and returns how many it holds. */
    long awaitOutput(long count) throws Exception {
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> outputCount() >= count);
        return outputCount();
    }

    /** Returns the input's end offsets: where a processor that consumed everything has committed. */
    Map<TopicPartition, Long> inputEnd() {
        Map<TopicPartition, Long> end = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> input : inputs) {
            end.merge(new TopicPartition(in, input.partition()), input.offset() + 1, Math::max);
        }
        return end;
    }

    /**
     * Returns the ledger of this scenario's inputs against the output topic as a {@code read_committed} consumer
     * reads it now (the same as every record for output written without transactions).
     */
    FaultLedger ledger(String scenario) {
        return FaultLedger.of(scenario, inputs).outputs(broker.readCommitted(out));
    }
}
