package io.kasper.test.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.kasper.store.MultiStore;
import io.kasper.store.Store;
import io.kasper.store.TenantKey;
import io.kasper.store.TenantMap;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link MultiStore} adapter must have, including the whole {@link StoreContract} for its tenant
 * views. Extend it with a concrete {@code *Test} or {@code *IT} class implementing {@link #createMultiStore(String)}.
 *
 * <p>Each test gets a fresh, empty multi-store, closed afterwards. Not thread-safe (JUnit runs one test per instance).
 */
public abstract class MultiStoreContract extends StoreContract {

    /** The multi-store under test, created before each test. */
    protected MultiStore multi;

    /** Creates the contract; JUnit instantiates subclasses. */
    protected MultiStoreContract() {
    }

    /**
     * Creates a fresh, empty multi-store: distinct keyspace from any other store created by this test run, so that
     * {@link MultiStore#allTenants()} sees only this test's tenants.
     *
     * @param name the store's name
     * @return the store, closed by the contract after the test
     */
    protected abstract MultiStore createMultiStore(String name);

    /**
     * Creates the multi-store under test; the store contract runs on its tenant view {@code contract-tenant}.
     * (Called by the superclass's {@code @BeforeEach}, which JUnit runs before any of this class.)
     */
    @Override
    protected final Store createStore(String name) {
        multi = createMultiStore("multi-contract");
        return multi.tenant("contract-tenant");
    }

    @AfterEach
    void closeMultiStore() {
        multi.close();
    }

    @Test
    void tenantsAreIsolated() {
        multi.tenant("t1").put("k", bytes("one"));
        multi.tenant("t2").put("k", bytes("two"));

        assertThat(multi.tenant("t1").get("k")).isEqualTo(bytes("one"));
        assertThat(multi.tenant("t2").get("k")).isEqualTo(bytes("two"));
        assertThat(multi.tenant("t3").get("k")).isNull();

        multi.tenant("t1").delete("k");
        assertThat(multi.tenant("t1").get("k")).isNull();
        assertThat(multi.tenant("t2").get("k")).isEqualTo(bytes("two"));
    }

    @Test
    void fetchReadsAcrossTenantsAndLeavesMissingOut() {
        multi.tenant("t1").put("a", bytes("1a"));
        multi.tenant("t2").put("a", bytes("2a"));
        multi.tenant("t2").put("b", bytes("2b"));

        TenantMap found = multi.fetch(List.of(new TenantKey("t1", "a"), new TenantKey("t1", "b"),
                new TenantKey("t2", "a"), new TenantKey("t2", "b"), new TenantKey("t3", "a")));

        assertThat(found.size()).isEqualTo(3);
        assertThat(found.tenants()).containsExactlyInAnyOrder("t1", "t2");
        assertThat(found.get("t1", "a")).isEqualTo(bytes("1a"));
        assertThat(found.get("t1", "b")).isNull();
        assertThat(found.get("t2", "a")).isEqualTo(bytes("2a"));
        assertThat(found.get("t2", "b")).isEqualTo(bytes("2b"));
    }

    @Test
    void pushWritesAcrossTenants() {
        multi.push(new TenantMap().put("t1", "a", bytes("1a")).put("t2", "a", bytes("2a")).put("t2", "b", new byte[0]));

        assertThat(multi.tenant("t1").get("a")).isEqualTo(bytes("1a"));
        assertThat(multi.tenant("t2").getAll(List.of("a", "b"))).containsOnlyKeys("a", "b");
        assertThat(multi.tenant("t2").get("b")).isEmpty();
    }

    @Test
    void pushAndFetchTenThousandKeysAcrossTenants() {
        TenantMap entries = new TenantMap();
        List<TenantKey> keys = new ArrayList<>();
        IntStream.range(0, BULK_KEYS).forEach(i -> {
            TenantKey key = new TenantKey("tenant-" + (i % 7), "key-" + i);
            entries.put(key, bytes("value-" + i));
            keys.add(key);
        });
        multi.push(entries);

        TenantMap found = multi.fetch(keys);

        assertThat(found.size()).isEqualTo(BULK_KEYS);
        IntStream.range(0, BULK_KEYS).forEach(i -> assertThat(found.get("tenant-" + (i % 7), "key-" + i))
                .as("key-" + i).isEqualTo(bytes("value-" + i)));
    }

    @Test
    void fetchOfNoKeysReturnsEmptyMap() {
        assertThat(multi.fetch(List.of()).isEmpty()).isTrue();
        multi.push(new TenantMap());
    }

    @Test
    void allTenantsListsTenantsHoldingKeys() {
        assertThat(multi.allTenants()).isEmpty();
        multi.push(new TenantMap().put("acme", "a", bytes("1")).put("globex", "a", bytes("2"))
                .put("ünïcode", "a/b", bytes("3")));
        multi.tenant("initech").put("k", bytes("v"));

        assertThat(multi.allTenants()).containsExactlyInAnyOrder("acme", "globex", "ünïcode", "initech");

        multi.tenant("initech").delete("k");
        assertThat(multi.allTenants()).containsExactlyInAnyOrder("acme", "globex", "ünïcode");
    }

    @Test
    void closingATenantViewLeavesTheMultiStoreOpen() {
        Store view = multi.tenant("t1");
        view.put("k", bytes("v"));
        view.close();
        assertThat(multi.tenant("t1").get("k")).isEqualTo(bytes("v"));
    }
}
