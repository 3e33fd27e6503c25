package io.kasper.it;

import static io.kasper.it.Fixtures.config;
import static io.kasper.it.Fixtures.range;
import static io.kasper.it.Fixtures.unique;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.kasper.BatchFailedException;
import io.kasper.DeserializingProcessor;
import io.kasper.ErrorPolicy;
import io.kasper.KasperMetrics;
import io.kasper.MessageProcessor;
import io.kasper.OffsetRange;
import io.kasper.PoisonMessageException;
import io.kasper.PoisonPolicy;
import io.kasper.ProcessorState;
import io.kasper.TopicProcessor;
import io.kasper.TypedMessageProcessor;
import io.kasper.it.FuzzInput.Id;
import io.kasper.test.KafkaBroker;
import io.kasper.test.KafkaBrokerExtension;
import io.kasper.test.RunningTopicProcessor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Random bytes as keys, values and headers through a real pipeline, under each {@link PoisonPolicy}: every record is
 * either processed or handled by the policy (skipped, dead-lettered, or failing its batch with a named
 * {@link PoisonMessageException}), nothing is lost and nothing else goes wrong. The seed is printed; rerun one with
 * {@code -Dfuzz.seed=<seed>}.
 */
@ExtendWith(KafkaBrokerExtension.class)
class FuzzIT {

    private static final int PARTITIONS = 4;
    private static final int PER_PARTITION = 1_000;
    private static final Duration TIMEOUT = Duration.ofSeconds(45);
    private static final List<String> DLT_HEADERS = List.of(ErrorPolicy.HEADER_TOPIC, ErrorPolicy.HEADER_PARTITION,
            ErrorPolicy.HEADER_OFFSET, ErrorPolicy.HEADER_TIMESTAMP, ErrorPolicy.HEADER_EXCEPTION_CLASS,
            ErrorPolicy.HEADER_EXCEPTION_MESSAGE, ErrorPolicy.HEADER_PROCESSOR);

    /** Strict UTF-8: malformed input fails instead of becoming U+FFFD. */
    static final class StrictUtf8 implements Deserializer<String> {
        @Override
        public String deserialize(String topic, byte[] data) {
            try {
                return UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(data)).toString();
            } catch (CharacterCodingException e) {
                throw new SerializationException("not UTF-8 (" + data.length + " bytes): " + e, e);
            }
        }
    }

    /** A long written as an optional '-' and ASCII digits, in strict UTF-8; anything else fails. */
    static final class StrictLong implements Deserializer<Long> {
        private static final Pattern DECIMAL = Pattern.compile("-?[0-9]+");
        private final StrictUtf8 text = new StrictUtf8();

        @Override
        public Long deserialize(String topic, byte[] data) {
            String s = text.deserialize(topic, data);
            if (!DECIMAL.matcher(s).matches()) {
                throw new SerializationException("not a decimal long (" + data.length + " bytes)");
            }
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw new SerializationException("out of the range of a long: " + s, e);
            }
        }
    }

    private static long seed(String test) {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        System.out.printf("FuzzIT %s: seed %d (rerun with -Dfuzz.seed=%d)%n", test, seed, seed);
        return seed;
    }

    /** Produces the records and reads them back: the broker returns them byte-equal, now with offsets. */
    private static Map<Id, ConsumerRecord<byte[], byte[]>> produceAndReadBack(KafkaBroker broker, String topic,
            List<ProducerRecord<byte[], byte[]>> records) {
        broker.produce(records);
        Map<Id, ConsumerRecord<byte[], byte[]>> input = new LinkedHashMap<>();
        Map<Integer, List<String>> read = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : broker.readAll(topic)) {
            input.put(Id.of(r), r);
            read.computeIfAbsent(r.partition(), k -> new ArrayList<>()).add(FuzzInput.view(r));
        }
        Map<Integer, List<String>> produced = records.stream().collect(Collectors.groupingBy(
                ProducerRecord::partition, TreeMap::new, Collectors.mapping(FuzzInput::view, Collectors.toList())));
        assertThat(read).as("input read back").isEqualTo(produced);
        return input;
    }

    /** Emits one output per typed record: key re-encoded, value "topic|partition|offset|long". */
    private static TypedMessageProcessor<String, Long> emitIds(String output, AtomicInteger emptyCalls) {
        return (messages, sender) -> {
            if (messages.isEmpty()) {
                emptyCalls.incrementAndGet();
            }
            for (ConsumerRecord<String, Long> m : messages) {
                String id = m.topic() + "|" + m.partition() + "|" + m.offset() + "|" + m.value();
                sender.send(new ProducerRecord<>(output, m.partition(), m.key() == null ? null : m.key().getBytes(UTF_8),
                        id.getBytes(UTF_8)));
            }
        };
    }

    /** Counts the calls whose PoisonMessageException names every record: the batch is then complete. */
    private static MessageProcessor countingPoisonOnly(MessageProcessor processor, AtomicInteger poisonOnly) {
        return (messages, sender) -> {
            try {
                processor.process(messages, sender);
            } catch (PoisonMessageException e) {
                if (e.records().size() == messages.size()) {
                    poisonOnly.incrementAndGet();
                }
                throw e;
            }
        };
    }

    private static double poisonCount(MeterRegistry registry, String name, PoisonPolicy policy) {
        return registry.find(KasperMetrics.MESSAGES_POISON).tag(KasperMetrics.TAG_PROCESSOR, name)
                .tag(KasperMetrics.TAG_POLICY, policy.name().toLowerCase(Locale.ROOT)).counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    private static boolean isPoisonCounter(Counter counter, String name, PoisonPolicy policy) {
        return counter.getId().getName().equals(KasperMetrics.MESSAGES_POISON)
                && name.equals(counter.getId().getTag(KasperMetrics.TAG_PROCESSOR))
                && policy.name().toLowerCase(Locale.ROOT).equals(counter.getId().getTag(KasperMetrics.TAG_POLICY));
    }

    /** Output ids with their records, checking each names a record of {@code input} in its own partition. */
    private static Map<Id, List<ConsumerRecord<byte[], byte[]>>> outputById(List<ConsumerRecord<byte[], byte[]>> out,
            String in) {
        Map<Id, List<ConsumerRecord<byte[], byte[]>>> byId = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : out) {
            String[] parts = new String(r.value(), UTF_8).split("\\|", -1);
            assertThat(parts).hasSize(4);
            assertThat(parts[0]).isEqualTo(in);
            Id id = new Id(Integer.parseInt(parts[1]), Long.parseLong(parts[2]));
            assertThat(r.partition()).as("output partition of %s", id).isEqualTo(id.partition());
            byId.computeIfAbsent(id, k -> new ArrayList<>()).add(r);
        }
        return byId;
    }

    /** Checks an output record against its input: same key bytes, the value parsed as the oracle expects. */
    private static void assertMatchesInput(ConsumerRecord<byte[], byte[]> output, ConsumerRecord<byte[], byte[]> input) {
        assertThat(FuzzInput.hex(output.key())).as("key of output for %s", Id.of(input))
                .isEqualTo(FuzzInput.hex(input.key()));
        assertThat(new String(output.value(), UTF_8)).as("value of output for %s", Id.of(input))
                .endsWith("|" + FuzzInput.canonicalValue(input.value()));
    }

    private static Map<Integer, Long> endOffsets(Map<Id, ConsumerRecord<byte[], byte[]>> input) {
        Map<Integer, Long> end = new TreeMap<>();
        input.keySet().forEach(id -> end.merge(id.partition(), id.offset() + 1, Math::max));
        return end;
    }

    private static Map<Integer, Long> committed(KafkaBroker broker, String name) {
        Map<Integer, Long> committed = new TreeMap<>();
        broker.committedOffsets("kasper-topic-processor-" + name).forEach((tp, o) -> committed.put(tp.partition(), o));
        return committed;
    }

    @Test
    void skipProcessesEveryDeserializableRecordAndCountsEveryOtherAsSkipped(KafkaBroker broker) throws Exception {
        setAside(broker, PoisonPolicy.SKIP);
    }

    @Test
    void deadLetterProcessesEveryDeserializableRecordAndCopiesEveryOtherByteForByte(KafkaBroker broker)
            throws Exception {
        setAside(broker, PoisonPolicy.DEAD_LETTER);
    }

    private void setAside(KafkaBroker broker, PoisonPolicy policy) throws Exception {
        Random rng = new Random(seed(policy.name()));
        String in = unique("fuzz-in");
        String out = unique("fuzz-out");
        String dlt = unique("fuzz-dlt");
        broker.createTopic(in, PARTITIONS);
        broker.createTopic(out, PARTITIONS);
        broker.createTopic(dlt, 2);
        Map<Id, ConsumerRecord<byte[], byte[]>> input =
                produceAndReadBack(broker, in, FuzzInput.mixed(rng, in, PARTITIONS, PER_PARTITION));
        Set<Id> expectedOk = new HashSet<>();
        Set<Id> expectedPoison = new HashSet<>();
        input.forEach((id, r) -> (FuzzInput.deserializable(r.key(), r.value()) ? expectedOk : expectedPoison).add(id));

        String name = unique("fuzz-" + policy.name().toLowerCase(Locale.ROOT));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ErrorPolicy errorPolicy = policy == PoisonPolicy.SKIP ? ErrorPolicy.builder().poisonPolicy(PoisonPolicy.SKIP)
                .build() : ErrorPolicy.builder().deadLetterTopic(dlt).build();
        AtomicInteger emptyCalls = new AtomicInteger();
        AtomicInteger poisonOnly = new AtomicInteger();
        TopicProcessor processor = new TopicProcessor(config(broker, name, List.of(in), range(PARTITIONS))
                .batchSize(50).errorPolicy(errorPolicy).meterRegistry(registry).build(),
                p -> countingPoisonOnly(new DeserializingProcessor<>(new StrictUtf8(), new StrictLong(),
                        emitIds(out, emptyCalls)), poisonOnly));
        long start = System.nanoTime();
        double poisonCounted;
        try (RunningTopicProcessor run = RunningTopicProcessor.start(processor)) {
            run.awaitConsumedAll(TIMEOUT);
            assertThat(run.hasEnded()).as("runLoop still running").isFalse();
            assertThat(processor.state()).isEqualTo(ProcessorState.RUNNING);
            poisonCounted = poisonCount(registry, name, policy);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(processor.state()).isEqualTo(ProcessorState.CLOSED);
        assertThat(processor.failure()).isEmpty();

        Map<Id, List<ConsumerRecord<byte[], byte[]>>> output = outputById(broker.readAll(out), in);
        int outputCount = output.values().stream().mapToInt(List::size).sum();
        long duplicates = outputCount - output.size();
        List<ConsumerRecord<byte[], byte[]>> deadLetters = policy == PoisonPolicy.DEAD_LETTER ? broker.readAll(dlt)
                : List.of();
        System.out.printf("FuzzIT %s: %d records produced, %d deserializable, %d poison; output %d, dead letters %d,"
                + " poison counter %.0f, duplicates %d, poison-only batches %d, empty typed calls %d, %d ms%n", policy,
                input.size(), expectedOk.size(), expectedPoison.size(), outputCount, deadLetters.size(), poisonCounted,
                duplicates, poisonOnly.get(), emptyCalls.get(), millis);

        assertThat(expectedOk).as("the fuzz input holds deserializable records").hasSizeGreaterThan(500);
        assertThat(expectedPoison).as("the fuzz input holds poison records").hasSizeGreaterThan(500);
        assertThat(output.keySet()).as("output: exactly the deserializable records").isEqualTo(expectedOk);
        assertThat(duplicates).as("duplicates in a fault-free run").isLessThanOrEqualTo(0);
        output.forEach((id, records) -> records.forEach(r -> assertMatchesInput(r, input.get(id))));
        assertThat(poisonCounted).as("kasper.messages.poison{policy=%s}", policy).isEqualTo(expectedPoison.size());
        Set<Id> union = new HashSet<>(output.keySet());
        union.addAll(expectedPoison);
        assertThat(union).as("no loss: output and poison cover the input").isEqualTo(input.keySet());
        assertThat(committed(broker, name)).as("committed offsets").isEqualTo(endOffsets(input));
        assertThat(emptyCalls).as("typed processor called with an empty batch").hasValue(0);
        if (policy == PoisonPolicy.DEAD_LETTER) {
            assertDeadLetters(deadLetters, input, expectedPoison, in, name);
        }
    }

    private static void assertDeadLetters(List<ConsumerRecord<byte[], byte[]>> deadLetters,
            Map<Id, ConsumerRecord<byte[], byte[]>> input, Set<Id> expectedPoison, String in, String name) {
        Map<Id, Integer> seen = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> d : deadLetters) {
            Map<String, String> origin = new HashMap<>();
            List<Header> kept = new ArrayList<>();
            for (Header h : d.headers()) {
                if (DLT_HEADERS.contains(h.key())) {
                    String value = h.value() == null ? null : new String(h.value(), UTF_8);
                    assertThat(origin.containsKey(h.key())).as("%s once", h.key()).isFalse();
                    origin.put(h.key(), value);
                } else {
                    kept.add(h);
                }
            }
            assertThat(origin.keySet()).as("dead-letter headers").containsExactlyInAnyOrderElementsOf(DLT_HEADERS);
            Id id = new Id(Integer.parseInt(origin.get(ErrorPolicy.HEADER_PARTITION)),
                    Long.parseLong(origin.get(ErrorPolicy.HEADER_OFFSET)));
            seen.merge(id, 1, Integer::sum);
            ConsumerRecord<byte[], byte[]> original = input.get(id);
            assertThat(original).as("dead letter %s names an input record", id).isNotNull();
            assertThat(origin.get(ErrorPolicy.HEADER_TOPIC)).isEqualTo(in);
            assertThat(origin.get(ErrorPolicy.HEADER_TIMESTAMP)).isEqualTo(Long.toString(original.timestamp()));
            assertThat(origin.get(ErrorPolicy.HEADER_EXCEPTION_CLASS)).isEqualTo(SerializationException.class.getName());
            assertThat(origin.get(ErrorPolicy.HEADER_EXCEPTION_MESSAGE)).isNotBlank();
            assertThat(origin.get(ErrorPolicy.HEADER_PROCESSOR)).isEqualTo(name);
            // original headers in order, except stale kasper.dlt.* headers, which the new origin replaces
            RecordHeaders expectedHeaders = new RecordHeaders();
            original.headers().forEach(h -> {
                if (!DLT_HEADERS.contains(h.key())) {
                    expectedHeaders.add(h);
                }
            });
            assertThat(FuzzInput.view(d.key(), d.value(), kept)).as("dead letter of %s, byte for byte", id)
                    .isEqualTo(FuzzInput.view(original.key(), original.value(), expectedHeaders));
        }
        assertThat(seen.keySet()).as("dead letters: exactly the poison records").isEqualTo(expectedPoison);
        assertThat(seen.values()).as("one dead letter per poison record").allMatch(n -> n == 1);
    }

    @Test
    void failStopsOnTheFirstPoisonBatchNamingItsRecordsAndCommitsNothingOfIt(KafkaBroker broker) throws Exception {
        Random rng = new Random(seed("FAIL"));
        String in = unique("fuzz-fail-in");
        String out = unique("fuzz-fail-out");
        broker.createTopic(in, PARTITIONS);
        broker.createTopic(out, PARTITIONS);
        Map<Id, ConsumerRecord<byte[], byte[]>> input =
                produceAndReadBack(broker, in, FuzzInput.mostlyClean(rng, in, PARTITIONS, PER_PARTITION, 300, 0.01));
        Map<Integer, Long> firstPoison = new TreeMap<>();
        input.forEach((id, r) -> {
            if (!FuzzInput.deserializable(r.key(), r.value())) {
                firstPoison.merge(id.partition(), id.offset(), Math::min);
            }
        });
        assertThat(firstPoison).as("first poison offset per partition").isNotEmpty();

        String name = unique("fuzz-fail");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        DoubleAdder poisonRemoved = new DoubleAdder(); // a failed processor removes its meters as it stops
        registry.config().onMeterRemoved(meter -> {
            if (meter instanceof Counter c && isPoisonCounter(c, name, PoisonPolicy.FAIL)) {
                poisonRemoved.add(c.count());
            }
        });
        TopicProcessor processor = new TopicProcessor(config(broker, name, List.of(in), range(PARTITIONS))
                .batchSize(100).errorPolicy(ErrorPolicy.builder().poisonPolicy(PoisonPolicy.FAIL).build())
                .meterRegistry(registry).build(),
                p -> new DeserializingProcessor<>(new StrictUtf8(), new StrictLong(), emitIds(out, new AtomicInteger())));
        long start = System.nanoTime();
        Throwable failure;
        double poisonCounted;
        try (RunningTopicProcessor run = RunningTopicProcessor.start(processor)) {
            failure = run.awaitFailure(TIMEOUT);
            poisonCounted = poisonCount(registry, name, PoisonPolicy.FAIL) + poisonRemoved.sum();
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        Map<Integer, Long> committed = committed(broker, name);
        Map<Id, List<ConsumerRecord<byte[], byte[]>>> output = outputById(broker.readAll(out), in);
        int outputCount = output.values().stream().mapToInt(List::size).sum();
        System.out.printf("FuzzIT FAIL: %d records produced, %d poison, first poison per partition %s; failure %s;"
                + " committed %s; output %d, duplicates %d, poison counter %.0f, %d ms%n", input.size(),
                input.values().stream().filter(r -> !FuzzInput.deserializable(r.key(), r.value())).count(),
                firstPoison, failure, committed, outputCount, outputCount - output.size(), poisonCounted, millis);

        assertThat(failure).isExactlyInstanceOf(BatchFailedException.class)
                .hasMessageContaining("poisonPolicy FAIL").hasMessageContaining("nothing of it was committed");
        assertThat(failure.getCause()).isExactlyInstanceOf(PoisonMessageException.class);
        assertThat(processor.failure()).containsSame((BatchFailedException) failure);
        assertThat(processor.state()).isEqualTo(ProcessorState.FAILED);
        BatchFailedException batchFailure = (BatchFailedException) failure;
        PoisonMessageException poison = (PoisonMessageException) failure.getCause();
        int p = batchFailure.partition();
        OffsetRange range = batchFailure.offsets().get(new TopicPartition(in, p));
        assertThat(range).as("offsets of the failed batch").isNotNull();
        assertThat(firstPoison.get(p)).as("the failed batch holds its partition's first poison record")
                .isBetween(range.first(), range.last());
        List<PoisonMessageException.RecordId> expectedNamed = new ArrayList<>();
        for (long o = range.first(); o <= range.last(); o++) {
            ConsumerRecord<byte[], byte[]> r = input.get(new Id(p, o));
            if (!FuzzInput.deserializable(r.key(), r.value())) {
                expectedNamed.add(PoisonMessageException.RecordId.of(r));
            }
        }
        assertThat(poison.records()).as("named poison records").isEqualTo(expectedNamed);
        assertThat(poison).hasMessageContaining(in + "-" + p + "@" + firstPoison.get(p));
        assertThat(poisonCounted).as("kasper.messages.poison{policy=fail}").isEqualTo(expectedNamed.size());

        assertThat(committed.getOrDefault(p, 0L)).as("committed offset of the failed partition")
                .isLessThanOrEqualTo(range.first());
        assertThat(committed.getOrDefault(p, 0L)).as("batches completed before the failed one are committed")
                .isEqualTo(range.first());
        committed.forEach((partition, offset) -> assertThat(offset).as("committed offset of partition %d", partition)
                .isLessThanOrEqualTo(firstPoison.getOrDefault(partition, (long) PER_PARTITION)));
        assertThat(outputCount).as("no duplicates").isEqualTo(output.size());
        output.forEach((id, records) -> {
            ConsumerRecord<byte[], byte[]> original = input.get(id);
            assertThat(FuzzInput.deserializable(original.key(), original.value())).as("%s deserializable", id).isTrue();
            assertThat(id.offset()).as("output of %s precedes its partition's first poison record", id)
                    .isLessThan(firstPoison.getOrDefault(id.partition(), Long.MAX_VALUE));
            if (id.partition() == p) {
                assertThat(id.offset()).as("nothing of the failed batch produced").isLessThan(range.first());
            }
            records.forEach(r -> assertMatchesInput(r, original));
        });
        for (int q = 0; q < PARTITIONS; q++) {
            int partition = q;
            Set<Long> outputOffsets = output.keySet().stream().filter(id -> id.partition() == partition)
                    .map(Id::offset).collect(Collectors.toSet());
            Set<Long> committedOffsets = LongStream.range(0, committed.getOrDefault(q, 0L)).boxed()
                    .collect(Collectors.toSet());
            assertThat(outputOffsets).as("partition %d: output exactly for the committed records", q)
                    .isEqualTo(committedOffsets);
        }
    }

    @Test
    void passThroughOfRawBytesDeliversEveryRecordIntact(KafkaBroker broker) throws Exception {
        Random rng = new Random(seed("pass-through"));
        String in = unique("fuzz-raw-in");
        String out = unique("fuzz-raw-out");
        broker.createTopic(in, PARTITIONS);
        broker.createTopic(out, PARTITIONS);
        Map<Id, ConsumerRecord<byte[], byte[]>> input =
                produceAndReadBack(broker, in, FuzzInput.mixed(rng, in, PARTITIONS, PER_PARTITION));
        String name = unique("fuzz-raw");
        MessageProcessor copy = (messages, sender) -> {
            for (ConsumerRecord<byte[], byte[]> m : messages) {
                sender.send(new ProducerRecord<>(out, m.partition(), null, m.key(), m.value(),
                        new RecordHeaders(m.headers().toArray())));
            }
        };
        TopicProcessor processor = new TopicProcessor(config(broker, name, List.of(in), range(PARTITIONS))
                .batchSize(50).build(), p -> copy);
        long start = System.nanoTime();
        try (RunningTopicProcessor run = RunningTopicProcessor.start(processor)) {
            run.awaitConsumedAll(TIMEOUT);
            assertThat(processor.state()).isEqualTo(ProcessorState.RUNNING);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;

        Map<Integer, List<String>> expected = new TreeMap<>();
        input.values().forEach(r -> expected.computeIfAbsent(r.partition(), k -> new ArrayList<>())
                .add(FuzzInput.view(r)));
        Map<Integer, List<String>> actual = new TreeMap<>();
        List<ConsumerRecord<byte[], byte[]>> output = broker.readAll(out);
        output.forEach(r -> actual.computeIfAbsent(r.partition(), k -> new ArrayList<>()).add(FuzzInput.view(r)));
        long nullKeys = input.values().stream().filter(r -> r.key() == null).count();
        long tombstones = input.values().stream().filter(r -> r.value() == null).count();
        long withHeaders = input.values().stream().filter(r -> r.headers().toArray().length > 0).count();
        System.out.printf("FuzzIT pass-through: %d records produced (%d null keys, %d tombstones, %d with headers),"
                + " output %d, %d ms%n", input.size(), nullKeys, tombstones, withHeaders, output.size(), millis);

        assertThat(actual).as("every record intact, in order, per partition").isEqualTo(expected);
        assertThat(processor.failure()).isEmpty();
        assertThat(committed(broker, name)).as("committed offsets").isEqualTo(endOffsets(input));
    }
}
