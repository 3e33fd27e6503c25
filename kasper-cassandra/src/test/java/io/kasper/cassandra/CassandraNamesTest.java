package io.kasper.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CassandraNamesTest {

    @Test
    void rowKeyEscapesEmptyKeyAndLeadingTilde() {
        assertThat(List.of("", "~", "~a", "a", "a~").stream().map(CassandraNames::rowKey))
                .containsExactly("~", "~~", "~~a", "a", "a~");
    }

    @Test
    void tenantTableKeepsLowercaseAlphanumericsAndEscapesTheRest() {
        assertThat(CassandraNames.tenantTable("counts", "acme1")).isEqualTo("counts_acme1");
        assertThat(CassandraNames.tenantTable("counts", "Acme")).isEqualTo("counts__0041cme");
        assertThat(CassandraNames.tenantTable("counts", "a_b")).isEqualTo("counts_a_005fb");
    }

    @Test
    void tenantTablesMapBackToTheirTenants() {
        for (String tenant : List.of("acme", "Acme", "a_b", "ünïcode", "contract-tenant", "🎉")) {
            assertThat(CassandraNames.tenantOf("counts", CassandraNames.tenantTable("counts", tenant))).as(tenant)
                    .isEqualTo(tenant);
        }
    }

    @Test
    void tablesOfOtherPrefixesAreNoTenants() {
        assertThat(CassandraNames.tenantOf("counts", "totals_acme")).isNull();
        assertThat(CassandraNames.tenantOf("counts", "counts_")).isNull();
        assertThat(CassandraNames.tenantOf("counts", "counts_a_zz")).isNull();
    }

    @Test
    void rejectsTenantsWhoseTableWouldExceed48Characters() {
        String tenant = "t".repeat(42);
        assertThatThrownBy(() -> CassandraNames.tenantTable("counts", tenant))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tenant '" + tenant + "' makes table name 'counts_" + tenant
                        + "' longer than 48 characters");
    }
}
