package io.kasper.bench;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** Kafka Streams {@code groupByKey().aggregate()} into a RocksDB store with a changelog, emitting to an output topic. */
public final class StreamsAgg {

    /** Name of the aggregate store. */
    public static final String STORE = "aggregates";

    private StreamsAgg() {
    }

    /**
     * Starts the aggregation; its consumer group is the application id.
     *
     * @param commitMs commit.interval.ms, or null for Streams' default
     * @param exactlyOnce exactly_once_v2 instead of at_least_once
     */
    public static StreamsPipe.Started start(Env env, String appId, String input, String output, Integer commitMs,
            boolean exactlyOnce) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.ByteArray()))
                .groupByKey()
                .aggregate(() -> Aggregate.ZERO.encode(),
                        (word, payload, aggregate) -> Aggregate.decode(aggregate).add(payload).encode(),
                        Materialized.<String, String, org.apache.kafka.streams.state.KeyValueStore<
                                org.apache.kafka.common.utils.Bytes, byte[]>>as(STORE)
                                .withKeySerde(Serdes.String()).withValueSerde(Serdes.String()))
                .toStream()
                .to(output, Produced.with(Serdes.String(), Serdes.String()));
        return StreamsPipe.Started.of(env, appId, builder.build(), commitMs, exactlyOnce);
    }

    /** Reads every aggregate of the running application with an interactive query. */
    public static Map<String, Aggregate> read(StreamsPipe.Started started) {
        ReadOnlyKeyValueStore<String, String> store = started.streams().store(
                StoreQueryParameters.fromNameAndType(STORE, QueryableStoreTypes.<String, String>keyValueStore()));
        Map<String, Aggregate> result = new HashMap<>();
        try (KeyValueIterator<String, String> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, String> kv = all.next();
                result.put(kv.key, Aggregate.decode(kv.value));
            }
        }
        return result;
    }
}
