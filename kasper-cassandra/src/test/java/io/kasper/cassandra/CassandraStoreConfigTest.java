package io.kasper.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import io.kasper.InvalidConfigException;
import io.kasper.test.ConfigSemantics;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
        assertThat(config.meterRegistry()).isSameAs(Metrics.globalRegistry);
        assertThat(config.contactPoints()).singleElement()
                .satisfies(point -> assertThat(point.getHostString() + ":" + point.getPort())
                        .isEqualTo("127.0.0.1:9042"));
    }

    @Test
    void rejectsMissingContactPoints() {
        assertThatThrownBy(() -> valid().contactPoints().build()).isInstanceOf(InvalidConfigException.class)
                .hasMessage("invalid CassandraStoreConfig: contactPoints must hold at least one host:port, was []");
    }

    @Test
    void rejectsContactPointWithoutPort() {
        assertThatThrownBy(() -> valid().contactPoints("cassandra").build()).isInstanceOf(InvalidConfigException.class)
                .hasMessage("invalid CassandraStoreConfig: contactPoints must be host:port, was 'cassandra'");
    }

    @Test
    void rejectsContactPointWithPortOutOfRange() {
        assertThatThrownBy(() -> valid().contactPoints("h:70000").build()).isInstanceOf(InvalidConfigException.class)
                .hasMessage("invalid CassandraStoreConfig: "
                        + "contactPoints must have a port between 1 and 65535, was 'h:70000'");
    }

    @Test
    void rejectsTableWithUppercaseOrDash() {
        assertThatThrownBy(() -> valid().table("My-Table").build()).isInstanceOf(InvalidConfigException.class)
                .hasMessage("invalid CassandraStoreConfig: table must match [a-z][a-z0-9_]*, was 'My-Table'");
    }

    @Test
    void rejectsKeyspaceLongerThan48Characters() {
        String keyspace = "k".repeat(49);
        assertThatThrownBy(() -> valid().keyspace(keyspace).build()).isInstanceOf(InvalidConfigException.class)
                .hasMessage("invalid CassandraStoreConfig: "
                        + "keyspace must be at most 48 characters, was '" + keyspace + "'");
    }

    @Test
    void rejectsMaxInFlightOfZero() {
        assertThatThrownBy(() -> valid().maxInFlight(0).build()).isInstanceOf(InvalidConfigException.class)
                .hasMessage("invalid CassandraStoreConfig: maxInFlight must be between 1 and 10000, was 0");
    }

    @Test
    void rejectsMissingWriteConsistency() {
        assertThatThrownBy(() -> valid().writeConsistency(null).build()).isInstanceOf(InvalidConfigException.class)
                .hasMessage("invalid CassandraStoreConfig: writeConsistency must be set, was null");
    }

    @Test
    void rejectsNegativeRequestTimeout() {
        assertThatThrownBy(() -> valid().requestTimeout(Duration.ofSeconds(-1)).build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("invalid CassandraStoreConfig: requestTimeout must be positive, was PT-1S");
    }

    @Test
    void rejectsUsernameWithoutPassword() {
        assertThatThrownBy(() -> valid().credentials("cassandra", null).build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("invalid CassandraStoreConfig: "
                        + "credentials needs both username and password, was 'cassandra'");
    }

    @Test
    void contactPointWithCredentialsIsRejectedWithoutShowingThem() {
        assertThatThrownBy(() -> valid().contactPoints("cassandra:pw-Cs3-secret@10.0.0.1:9042").build())
                .isExactlyInstanceOf(InvalidConfigException.class).hasNoCause()
                .hasMessage("invalid CassandraStoreConfig: "
                        + "contactPoints must be host:port without credentials (give them to "
                        + "credentials(username, password)), was '***@10.0.0.1:9042'");
    }

    @Test
    void reportsEveryInvalidFieldAtOnce() {
        assertThatThrownBy(() -> CassandraStoreConfig.builder().name("counts").processor(" ")
                .contactPoints("cassandra", "user:pw-Cs3-secret@10.0.0.1:9042", "h:70000", "10.0.0.2:9042")
                .localDatacenter("").credentials(null, "pw").keyspace("Kasper").table(null).readConsistency(null)
                .maxInFlight(10_001).requestTimeout(Duration.ofSeconds(-1)).build())
                .isExactlyInstanceOf(InvalidConfigException.class)
                .hasMessage("invalid CassandraStoreConfig: processor must not be blank, was ' '; contactPoints must "
                        + "be host:port, was 'cassandra'; contactPoints must be host:port without credentials (give "
                        + "them to credentials(username, password)), was '***@10.0.0.1:9042'; contactPoints must have "
                        + "a port between 1 and 65535, was 'h:70000'; localDatacenter must not be blank, was ''; "
                        + "credentials needs both username and password, was null; keyspace must match "
                        + "[a-z][a-z0-9_]*, was 'Kasper'; table must be set, was null; readConsistency must be set, "
                        + "was null; maxInFlight must be between 1 and 10000, was 10001; requestTimeout must be "
                        + "positive, was PT-1S");
    }

    @Test
    void toBuilderKeepsEverySettingAndChangesOnlyTheOneSet() {
        CassandraStoreConfig original = valid().contactPoints("10.0.0.1:9042", "[::1]:9043").credentials("u", "pw")
                .createTable(true).writeConsistency(DefaultConsistencyLevel.ONE).build();

        CassandraStoreConfig moved = original.toBuilder().keyspace("other").build();

        assertThat(original.toBuilder().build()).isEqualTo(original).hasSameHashCodeAs(original);
        assertThat(moved.keyspace()).isEqualTo("other");
        assertThat(moved.contactPoints()).isEqualTo(original.contactPoints());
        assertThat(moved.password()).isEqualTo("pw");
        assertThat(moved.createTable()).isTrue();
        assertThat(moved.writeConsistency()).isEqualTo(DefaultConsistencyLevel.ONE);
    }

    @Test
    void equalsHashCodeAndToBuilderCoverEverySetting() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ConfigSemantics.of(CassandraStoreConfig.Builder.class, CassandraStoreConfigTest::valid,
                        CassandraStoreConfig.Builder::build, CassandraStoreConfig::toBuilder)
                .vary("name", b -> b.name("totals"))
                .vary("meterRegistry", b -> b.meterRegistry(registry))
                .vary("processor", b -> b.processor("orders"))
                .vary("contactPoints", b -> b.contactPoints("127.0.0.1:9042", "127.0.0.2:9042"))
                .vary("localDatacenter", b -> b.localDatacenter("dc2"))
                .vary("credentials", b -> b.credentials("cassandra", "secret"))
                .vary("keyspace", b -> b.keyspace("other"))
                .vary("table", b -> b.table("totals"))
                .vary("createTable", b -> b.createTable(true))
                .vary("readConsistency", b -> b.readConsistency(DefaultConsistencyLevel.ONE))
                .vary("writeConsistency", b -> b.writeConsistency(DefaultConsistencyLevel.ALL))
                .vary("maxInFlight", b -> b.maxInFlight(16))
                .vary("requestTimeout", b -> b.requestTimeout(Duration.ofSeconds(3)))
                .check();
    }

    @Test
    void toStringLeavesThePasswordOut() {
        assertThat(valid().credentials("cassandra", "secret").build().toString()).contains("username=cassandra")
                .doesNotContain("secret");
    }
}
