package io.kasper.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import io.kasper.InvalidConfigException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CassandraStoreConfigTest {

    private static CassandraStoreConfig.Builder valid() {
        return CassandraStoreConfig.builder().name("counts").contactPoints("127.0.0.1:9042").keyspace("kasper")
                .table("counts");
    }

    @Test
    void defaultsAreLocalQuorumDatacenter1And128InFlightWithoutTableCreation() {
        CassandraStoreConfig config = valid().build();

        assertThat(config.readConsistency()).isEqualTo(DefaultConsistencyLevel.LOCAL_QUORUM);
        assertThat(config.writeConsistency()).isEqualTo(DefaultConsistencyLevel.LOCAL_QUORUM);
        assertThat(config.localDatacenter()).isEqualTo("datacenter1");
        assertThat(config.maxInFlight()).isEqualTo(128);
        assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.createTable()).isFalse();
        assertThat(config.processor()).isEqualTo("counts");
        assertThat(config.contactPoints()).singleElement()
                .satisfies(point -> assertThat(point.getHostString() + ":" + point.getPort())
                        .isEqualTo("127.0.0.1:9042"));
    }

    @Test
    void rejectsMissingContactPoints() {
        assertThatThrownBy(() -> valid().contactPoints().build()).isInstanceOf(InvalidConfigException.class)
                .hasMessage("CassandraStoreConfig.contactPoints must hold at least one host:port, was []");
    }

    @Test
    void rejectsContactPointWithoutPort() {
        assertThatThrownBy(() -> valid().contactPoints("cassandra").build()).isInstanceOf(InvalidConfigException.class)
                .hasMessage("CassandraStoreConfig.contactPoints must be host:port, was 'cassandra'");
    }

    @Test
    void rejectsContactPointWithPortOutOfRange() {
        assertThatThrownBy(() -> valid().contactPoints("h:70000").build()).isInstanceOf(InvalidConfigException.class)
                .hasMessage("CassandraStoreConfig.contactPoints must have a port between 1 and 65535, was 'h:70000'");
    }

    @Test
    void rejectsTableWithUppercaseOrDash() {
        assertThatThrownBy(() -> valid().table("My-Table").build()).isInstanceOf(InvalidConfigException.class)
                .hasMessage("CassandraStoreConfig.table must match [a-z][a-z0-9_]*, was 'My-Table'");
    }

    @Test
    void rejectsKeyspaceLongerThan48Characters() {
        String keyspace = "k".repeat(49);
        assertThatThrownBy(() -> valid().keyspace(keyspace).build()).isInstanceOf(InvalidConfigException.class)
                .hasMessage("CassandraStoreConfig.keyspace must be at most 48 characters, was '" + keyspace + "'");
    }

    @Test
    void rejectsMaxInFlightOfZero() {
        assertThatThrownBy(() -> valid().maxInFlight(0).build()).isInstanceOf(InvalidConfigException.class)
                .hasMessage("CassandraStoreConfig.maxInFlight must be between 1 and 10000, was 0");
    }

    @Test
    void rejectsMissingWriteConsistency() {
        assertThatThrownBy(() -> valid().writeConsistency(null).build()).isInstanceOf(InvalidConfigException.class)
                .hasMessage("CassandraStoreConfig.writeConsistency must be set, was null");
    }

    @Test
    void rejectsNegativeRequestTimeout() {
        assertThatThrownBy(() -> valid().requestTimeout(Duration.ofSeconds(-1)).build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("CassandraStoreConfig.requestTimeout must be positive, was PT-1S");
    }

    @Test
    void rejectsUsernameWithoutPassword() {
        assertThatThrownBy(() -> valid().credentials("cassandra", null).build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("CassandraStoreConfig.credentials needs both username and password, was 'cassandra'");
    }

    @Test
    void contactPointWithCredentialsIsRejectedWithoutShowingThem() {
        assertThatThrownBy(() -> valid().contactPoints("cassandra:pw-Cs3-secret@10.0.0.1:9042").build())
                .isExactlyInstanceOf(InvalidConfigException.class).hasNoCause()
                .hasMessage("CassandraStoreConfig.contactPoints must be host:port without credentials (give them to "
                        + "credentials(username, password)), was '***@10.0.0.1:9042'");
    }

    @Test
    void toStringLeavesThePasswordOut() {
        assertThat(valid().credentials("cassandra", "secret").build().toString()).contains("username=cassandra")
                .doesNotContain("secret");
    }
}
