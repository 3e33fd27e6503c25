package io.kasper.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kasper.store.memory.InMemoryStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TypedStoreTest {

    private final Store store = new InMemoryStore("typed", new SimpleMeterRegistry(), "test");

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void readsAndWritesTypedValuesWithoutHandSerialization() {
        TypedStore<Long> counts = new TypedStore<>(store, Codec.int64());
        counts.putAll(Map.of("a", 1L, "b", -2L));
        counts.put("c", Long.MAX_VALUE);

        assertThat(counts.get("a")).isEqualTo(1L);
        assertThat(counts.get("missing")).isNull();
        assertThat(counts.getAll(List.of("a", "b", "c", "missing")))
                .containsExactlyInAnyOrderEntriesOf(Map.of("a", 1L, "b", -2L, "c", Long.MAX_VALUE));
        assertThat(store.get("a")).containsExactly(0, 0, 0, 0, 0, 0, 0, 1);

        counts.delete("a");
        assertThat(counts.get("a")).isNull();
    }

    @Test
    void stringsAreStoredAsUtf8() {
        TypedStore<String> names = new TypedStore<>(store, Codec.utf8());
        names.put("k", "ünïcødé");
        assertThat(new String(store.get("k"), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("ünïcødé");
        assertThat(names.get("k")).isEqualTo("ünïcødé");
    }

    @Test
    void undecodableValueFailsWithStoreExceptionNamingKeyAndCodec() {
        store.put("k", new byte[3]);
        TypedStore<Long> counts = new TypedStore<>(store, Codec.int64());
        assertThatThrownBy(() -> counts.get("k"))
                .isInstanceOf(StoreException.class)
                .hasMessage("cannot decode the value of key 'k' (3 bytes) with codec int64: "
                        + "int64 codec expects 8 bytes, got 3");
        assertThatThrownBy(() -> counts.getAll(List.of("k")))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("cannot decode the value of key 'k'");
    }

    @Test
    void rejectsNullValues() {
        TypedStore<String> names = new TypedStore<>(store, Codec.utf8());
        assertThatThrownBy(() -> names.put("k", null)).isInstanceOf(NullPointerException.class)
                .hasMessage("value must not be null");
    }
}
