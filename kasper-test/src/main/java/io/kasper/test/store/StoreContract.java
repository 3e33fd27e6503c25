package io.kasper.test.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kasper.store.Store;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Store} adapter must have. Extend it with a concrete {@code *Test} (in-memory, Surefire)
 * or {@code *IT} (real server, Failsafe) class that implements {@link #createStore(String)}; this class's own name
 * matches neither pattern, so the runners never pick it up by itself.
 *
 * <pre>{@code
 * class InMemoryStoreTest extends StoreContract {
 *     protected Store createStore(String name) { return new InMemoryStore(name); }
 * }
 * }</pre>
 *
 * <p>Each test gets a fresh, empty store, closed afterwards. Not thread-safe (JUnit runs one test per instance).
 */
public abstract class StoreContract {

    /** Keys in the bulk tests. */
    protected static final int BULK_KEYS = 10_000;

    /** The store under test, created before each test. */
    protected Store store;

    /** Creates the contract; JUnit instantiates subclasses. */
    protected StoreContract() {
    }

    /**
     * Creates a fresh, empty store: distinct keyspace from any other store created by this test run.
     *
     * @param name the store's name
     * @return the store, closed by the contract after the test
     */
    protected abstract Store createStore(String name);

    @BeforeEach
    void openStore() {
        store = createStore("contract");
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void roundTripsEveryByteValue() {
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        store.put("bytes", all);
        assertThat(store.get("bytes")).containsExactly(all);
    }

    @Test
    void roundTripsEmptyValueAsPresent() {
        store.put("empty", new byte[0]);
        assertThat(store.get("empty")).isNotNull().isEmpty();
        assertThat(store.getAll(List.of("empty"))).containsOnlyKeys("empty");
    }

    @Test
    void roundTripsOneMebibyteValue() {
        byte[] big = new byte[1 << 20];
        new java.util.Random(42).nextBytes(big);
        store.put("big", big);
        assertThat(store.get("big")).isEqualTo(big);
    }

    @Test
    void getReturnsNullForMissingKey() {
        assertThat(store.get("missing")).isNull();
    }

    @Test
    void getAllLeavesMissingKeysOut() {
        store.put("a", bytes("1"));
        Map<String, byte[]> found = store.getAll(List.of("a", "missing"));
        assertThat(found).containsOnlyKeys("a");
        assertThat(found.get("a")).isEqualTo(bytes("1"));
    }

    @Test
    void getAllOfNoKeysReturnsEmptyMap() {
        assertThat(store.getAll(List.of())).isEmpty();
        store.putAll(Map.of());
    }

    @Test
    void getAllReadsDuplicateKeysOnce() {
        store.put("a", bytes("1"));
        assertThat(store.getAll(List.of("a", "a", "b"))).containsOnlyKeys("a");
    }

    @Test
    void putOverwritesPreviousValue() {
        store.put("k", bytes("old"));
        store.put("k", bytes("new"));
        assertThat(store.get("k")).isEqualTo(bytes("new"));
        store.putAll(Map.of("k", bytes("bulk")));
        assertThat(store.get("k")).isEqualTo(bytes("bulk"));
    }

    @Test
    void deleteRemovesKey() {
        store.put("k", bytes("v"));
        store.delete("k");
        assertThat(store.get("k")).isNull();
        assertThat(store.getAll(List.of("k"))).isEmpty();
    }

    @Test
    void deleteOfAbsentKeyIsNotAnError() {
        store.delete("never-written");
        assertThat(store.get("never-written")).isNull();
    }

    @Test
    void callerMayReuseItsArraysAfterPut() {
        byte[] value = bytes("v");
        store.put("k", value);
        value[0] = 'x';
        assertThat(store.get("k")).isEqualTo(bytes("v"));
    }

    @Test
    void bulkOfTenThousandKeysRoundTrips() {
        Map<String, byte[]> entries = new HashMap<>();
        IntStream.range(0, BULK_KEYS).forEach(i -> entries.put("key-" + i, bytes("value-" + i)));
        store.putAll(entries);

        List<String> keys = new ArrayList<>(entries.keySet());
        keys.add("missing");
        Map<String, byte[]> found = store.getAll(keys);

        assertThat(found).hasSize(BULK_KEYS);
        IntStream.range(0, BULK_KEYS).forEach(i ->
                assertThat(found.get("key-" + i)).as("key-" + i).isEqualTo(bytes("value-" + i)));
    }

    @Test
    void unicodeKeysAreDistinctAndRoundTrip() {
        List<String> keys = List.of("héllo", "日本語", "🎉", "a/b/c", "", " ", "with space", "e\u0301", "é",
                "*?[]", "line\nbreak");
        Map<String, byte[]> entries = new HashMap<>();
        keys.forEach(key -> entries.put(key, bytes("v:" + key)));
        store.putAll(entries);

        Map<String, byte[]> found = store.getAll(keys);
        assertThat(found).containsOnlyKeys(keys);
        keys.forEach(key -> {
            assertThat(found.get(key)).as(key).isEqualTo(bytes("v:" + key));
            assertThat(store.get(key)).as(key).isEqualTo(bytes("v:" + key));
        });
    }

    @Test
    void flushSucceedsAfterWrites() {
        store.put("k", bytes("v"));
        store.flush();
        assertThat(store.get("k")).isEqualTo(bytes("v"));
    }

    @Test
    void closedStoreRejectsCalls() {
        store.close();
        assertThatThrownBy(() -> store.get("k")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is closed");
        store.close();
    }

    @Test
    void rejectsNullKeysAndValues() {
        assertThatThrownBy(() -> store.get(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("key must not be null");
        assertThatThrownBy(() -> store.put("k", null)).isInstanceOf(NullPointerException.class)
                .hasMessage("value must not be null");
    }

    /**
     * Returns the UTF-8 bytes of a string.
     *
     * @param text any string
     * @return its UTF-8 bytes
     */
    protected static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
