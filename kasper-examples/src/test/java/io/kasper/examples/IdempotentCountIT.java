package io.kasper.examples;

import static io.kasper.examples.ExampleTopics.latestByKey;
import static io.kasper.examples.ExampleTopics.settings;
import static io.kasper.examples.ExampleTopics.unique;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.kasper.BatchFailedException;
import io.kasper.MessageProcessor;
import io.kasper.ProcessingGuarantee;
import io.kasper.TopicProcessor;
import io.kasper.TopicProcessorConfig;
import io.kasper.redis.RedisStore;
import io.kasper.store.Codec;
import io.kasper.store.TypedStore;
import io.kasper.test.KafkaBroker;
import io.kasper.test.KafkaBrokerExtension;
import io.kasper.test.RedisServer;
import io.kasper.test.RedisServerExtension;
import io.kasper.test.RunningTopicProcessor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link IdempotentCount} against a real broker and a real Redis: batches whose state is already written are
 * processed again (an aborted transaction retried, a processor stopped by a failure and restarted), and every count
 * is exact, in Redis and in a {@code read_committed} read of the output.
 */
@ExtendWith({KafkaBrokerExtension.class, RedisServerExtension.class})
class IdempotentCountIT {

    private static final int PARTITIONS = 3;
    private static final int RECORDS = 3_000;
    private static final int KEYS = 7;

    @Test
    void countsStayExactWhenBatchesWhoseStateIsWrittenAreProcessedAgain(KafkaBroker broker, RedisServer redis)
            throws Exception {
        String in = unique("idem-in");
        String counts = unique("idem-counts");
        broker.createTopic(in, PARTITIONS);
        broker.createTopic(counts, PARTITIONS);
        List<ProducerRecord<byte[], byte[]>> input = new ArrayList<>();
        Map<String, Long> expected = new TreeMap<>();
        for (int i = 0; i < RECORDS; i++) {
            String key = "w" + (i % KEYS);
            input.add(new ProducerRecord<>(in, (i % KEYS) % PARTITIONS, key.getBytes(UTF_8),
                    Integer.toString(i).getBytes(UTF_8)));
            expected.merge(key, 1L, Long::sum);
        }
        broker.produce(input);
        ExampleSettings settings = settings(broker, unique("idem"), PARTITIONS);

        AtomicInteger calls = new AtomicInteger();
        Throwable failure;
        Map<String, Long> stored = new TreeMap<>();
        try (RedisStore store = IdempotentCount.redisStore(redis.uri(), unique("idem"))) {
            MessageProcessor counter = new IdempotentCount(store, counts);
            MessageProcessor failing = (messages, sender) -> {
                counter.process(messages, sender); // the state of the batch is written from here on
                int call = calls.incrementAndGet();
                if (call == 3) {
                    sender.flush();
                    throw new TimeoutException("injected transient failure after the state was written");
                }
                if (call == 12) {
                    throw new IllegalStateException("injected failure after the state was written");
                }
            };
            TopicProcessorConfig config = settings.configFor(in).batchSize(100)
                    .processingGuarantee(ProcessingGuarantee.EXACTLY_ONCE).build();
            try (RunningTopicProcessor run = RunningTopicProcessor.start(new TopicProcessor(config, p -> failing))) {
                failure = run.awaitFailure(Duration.ofSeconds(60));
            }
            try (RunningTopicProcessor restarted = RunningTopicProcessor.start(
                    IdempotentCount.create(settings, in, counts, store))) {
                restarted.awaitConsumedAll(Duration.ofSeconds(60));
            }
            TypedStore<Long> state = new TypedStore<>(store, Codec.int64());
            expected.keySet().forEach(k -> stored.put(k, state.get("count/" + k)));
        }

        assertThat(failure).isInstanceOf(BatchFailedException.class)
                .hasRootCauseMessage("injected failure after the state was written");
        Map<String, String> output = latestByKey(broker.readCommitted(counts));
        System.out.printf("IDEMPOTENT inputs %d  keys %d  calls before the restart %d (one retried by an abort, one "
                + "failed)  counts in Redis %s  expected %s  latest counts in the output %s%n", RECORDS, KEYS,
                calls.get(), stored, expected, new TreeMap<>(output));
        assertThat(stored).isEqualTo(expected);
        Map<String, String> expectedOutput = new TreeMap<>();
        expected.forEach((k, v) -> expectedOutput.put(k, Long.toString(v)));
        assertThat(new TreeMap<>(output)).isEqualTo(expectedOutput);
    }
}
