package io.kasper.opensearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PrefixTenancyTest {

    private final OpenSearchTenancy tenancy = OpenSearchTenancy.prefixed("orders");

    @Test
    void keepsLowercaseTenantsReadable() {
        assertThat(tenancy.index("acme-eu_1.x")).isEqualTo("orders-acme-eu_1.x");
    }

    @Test
    void escapesWhatIndexNamesMayNotHold() {
        assertThat(tenancy.index("Acme")).isEqualTo("orders-+0041cme");
        assertThat(tenancy.index("a b*")).isEqualTo("orders-a+0020b+002a");
        assertThat(tenancy.index("ü")).isEqualTo("orders-+00fc");
    }

    @Test
    void mapsEveryIndexBackToItsTenant() {
        for (String tenant : List.of("acme", "Acme", "ACME", "ünïcode", "🎉", "a+b", "+0041", "x:y", "-")) {
            assertThat(tenancy.tenant(tenancy.index(tenant))).as(tenant).isEqualTo(tenant);
        }
    }

    @Test
    void distinctTenantsGetDistinctIndices() {
        assertThat(List.of("acme", "Acme", "ACME", "+0041cme").stream().map(tenancy::index).distinct()).hasSize(4);
    }

    @Test
    void ignoresIndicesOfOtherPrefixes() {
        assertThat(tenancy.tenant("invoices-acme")).isNull();
        assertThat(tenancy.tenant("orders-")).isNull();
        assertThat(tenancy.tenant("orders-bad+zz")).isNull();
        assertThat(tenancy.tenant("orders-cut+00")).isNull();
    }

    @Test
    void rejectsTenantsWhoseIndexWouldExceed255Bytes() {
        String tenant = "A".repeat(60);
        assertThatThrownBy(() -> tenancy.index(tenant)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("tenant '" + tenant + "' makes index name 'orders-+0041")
                .hasMessageEndingWith("' longer than 255 bytes");
    }

    @Test
    void rejectsInvalidPrefix() {
        assertThatThrownBy(() -> OpenSearchTenancy.prefixed("Orders")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("index prefix must be lowercase, was 'Orders'");
    }
}
