package io.kasper.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TenantMapTest {

    @Test
    void keepsValuesPerTenantAndCountsEntries() {
        TenantMap map = new TenantMap().put("t1", "a", new byte[] {1}).put("t2", "a", new byte[] {2})
                .put(new TenantKey("t1", "b"), new byte[] {3}).put("t1", "a", new byte[] {4});

        assertThat(map.size()).isEqualTo(3);
        assertThat(map.tenants()).containsExactly("t1", "t2");
        assertThat(map.get("t1", "a")).containsExactly(4);
        assertThat(map.get(new TenantKey("t2", "a"))).containsExactly(2);
        assertThat(map.get("t3", "a")).isNull();
        assertThat(map.tenant("t1")).containsOnlyKeys("a", "b");
        assertThat(map.tenant("t3")).isEmpty();
        assertThat(map.toMap()).containsOnlyKeys("t1", "t2");
        assertThat(map).hasToString("TenantMap{t1=2 keys, t2=1 key}");

        List<String> seen = new ArrayList<>();
        map.forEach((tenant, key, value) -> seen.add(tenant + "/" + key));
        assertThat(seen).containsExactly("t1/a", "t1/b", "t2/a");
    }

    @Test
    void rejectsTenantsWithSlash() {
        assertThatThrownBy(() -> new TenantMap().put("a/b", "k", new byte[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tenant must not contain '/', was 'a/b'");
        assertThatThrownBy(() -> new TenantKey("", "k"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tenant must not be empty");
    }
}
