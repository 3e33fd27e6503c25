package io.kasper.opensearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kasper.InvalidConfigException;
import io.kasper.test.ConfigSemantics;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OpenSearchStoreConfigTest {

    private static OpenSearchStoreConfig.Builder valid() {
        return OpenSearchStoreConfig.builder().name("docs").uri("http://localhost:9200").index("docs");
    }

    @Test
    void defaultsAreRefreshFalseThirtySecondRequestsManagedIndicesAndPrefixedTenancy() {
        OpenSearchStoreConfig config = valid().uri("https://search.example.com:9243/").build();

        assertThat(config.uri()).hasToString("https://search.example.com:9243");
        assertThat(config.refresh()).isEqualTo(OpenSearchRefresh.FALSE);
        assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.manageIndices()).isTrue();
        assertThat(config.processor()).isEqualTo("docs");
        assertThat(config.meterRegistry()).isSameAs(Metrics.globalRegistry);
        assertThat(config.username()).isNull();
        assertThat(config.tenancy().indexPattern()).isEqualTo("docs-*");
        assertThat(config.tenancy().index("acme")).isEqualTo("docs-acme");
    }

    @Test
    void customTenancyIsKept() {
        OpenSearchTenancy custom = OpenSearchTenancy.prefixed("other");
        assertThat(valid().tenancy(custom).build().tenancy()).isSameAs(custom);
    }

    @Test
    void rejectsMissingName() {
        assertThatThrownBy(() -> valid().name(null).build()).isInstanceOf(InvalidConfigException.class)
                .hasMessage("invalid OpenSearchStoreConfig: name must be set, was null");
    }

    @Test
    void rejectsUriWithoutHttpScheme() {
        assertThatThrownBy(() -> valid().uri("redis://localhost:9200").build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("invalid OpenSearchStoreConfig: uri must start with http:// or https://, "
                        + "was 'redis://localhost:9200'");
    }

    @Test
    void rejectsUriWithQuery() {
        assertThatThrownBy(() -> valid().uri("http://localhost:9200/?pretty").build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("invalid OpenSearchStoreConfig: uri must not have a query or fragment, "
                        + "was 'http://localhost:9200/?pretty'");
    }

    @Test
    void rejectsUriWithCredentialsWithoutShowingThem() {
        assertThatThrownBy(() -> valid().uri("http://admin:secret@localhost:9200").build())
                .isExactlyInstanceOf(InvalidConfigException.class).hasNoCause()
                .hasMessage("invalid OpenSearchStoreConfig: uri must not hold credentials (use basicAuth), "
                        + "was 'http://***@localhost:9200'");
    }

    @Test
    void everyInvalidUriWithCredentialsIsReportedWithoutThem() {
        String password = "pw-Os7-secret";
        assertThatThrownBy(() -> valid().uri("ftp://admin:" + password + "@localhost:9200").build())
                .isExactlyInstanceOf(InvalidConfigException.class).hasNoCause()
                .hasMessage("invalid OpenSearchStoreConfig: uri must start with http:// or https://, "
                        + "was 'ftp://***@localhost:9200'");
        assertThatThrownBy(() -> valid().uri("http://admin:" + password + "@localhost:9200/?pretty").build())
                .isExactlyInstanceOf(InvalidConfigException.class).hasNoCause()
                .hasMessage("invalid OpenSearchStoreConfig: uri must not hold credentials (use basicAuth), "
                        + "was 'http://***@localhost:9200/?pretty'");
        // java.net.URI's index differs between JDKs: 17 gives the authority's start, 25 the offending character
        assertThatThrownBy(() -> valid().uri("http://admin:" + password + " @localhost:9200").build())
                .isExactlyInstanceOf(InvalidConfigException.class).hasNoCause()
                .hasMessageMatching("\\Qinvalid OpenSearchStoreConfig: uri must be a valid URI, was "
                        + "'http://***@localhost:9200': Illegal character in authority at index \\E\\d+"
                        + "\\Q: http://***@localhost:9200\\E");
        assertThatThrownBy(() -> valid().uri(password + "@localhost:9200").build())
                .isExactlyInstanceOf(InvalidConfigException.class).hasNoCause()
                .hasMessage("invalid OpenSearchStoreConfig: uri must be a valid URI, was '***@localhost:9200': "
                        + "Illegal character in scheme name at index 13: ***@localhost:9200");
    }

    @Test
    void rejectsUppercaseIndex() {
        assertThatThrownBy(() -> valid().index("Docs").build()).isInstanceOf(InvalidConfigException.class)
                .hasMessage("invalid OpenSearchStoreConfig: index must be lowercase, was 'Docs'");
    }

    @Test
    void rejectsIndexWithWildcard() {
        assertThatThrownBy(() -> valid().index("docs*").build()).isInstanceOf(InvalidConfigException.class)
                .hasMessage("invalid OpenSearchStoreConfig: "
                        + "index must not contain any of \\ / * ? \" < > | , # : or a space, "
                        + "was 'docs*'");
    }

    @Test
    void rejectsIndexStartingWithUnderscore() {
        assertThatThrownBy(() -> valid().index("_docs").build()).isInstanceOf(InvalidConfigException.class)
                .hasMessage("invalid OpenSearchStoreConfig: index must not start with '-', '_' or '+', was '_docs'");
    }

    @Test
    void rejectsIndexLongerThan255Bytes() {
        String index = "é".repeat(128);
        assertThatThrownBy(() -> valid().index(index).build()).isInstanceOf(InvalidConfigException.class)
                .hasMessage("invalid OpenSearchStoreConfig: index must be at most 255 bytes, was '" + index + "'");
    }

    @Test
    void rejectsUsernameWithoutPassword() {
        assertThatThrownBy(() -> valid().basicAuth("admin", null).build()).isInstanceOf(InvalidConfigException.class)
                .hasMessage("invalid OpenSearchStoreConfig: basicAuth needs both username and password, was 'admin'");
    }

    @Test
    void rejectsZeroRequestTimeout() {
        assertThatThrownBy(() -> valid().requestTimeout(Duration.ZERO).build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("invalid OpenSearchStoreConfig: requestTimeout must be positive, was PT0S");
    }

    @Test
    void rejectsMissingRefresh() {
        assertThatThrownBy(() -> valid().refresh(null).build()).isInstanceOf(InvalidConfigException.class)
                .hasMessage("invalid OpenSearchStoreConfig: refresh must be set, was null");
    }

    @Test
    void rejectsBlankProcessor() {
        assertThatThrownBy(() -> valid().processor(" ").build()).isInstanceOf(InvalidConfigException.class)
                .hasMessage("invalid OpenSearchStoreConfig: processor must not be blank, was ' '");
    }

    @Test
    void reportsEveryInvalidFieldAtOnce() {
        assertThatThrownBy(() -> OpenSearchStoreConfig.builder().uri("ftp://admin:secret@localhost:9200")
                .basicAuth("", null).index("Docs").refresh(null).requestTimeout(Duration.ZERO).connectTimeout(null)
                .build())
                .isExactlyInstanceOf(InvalidConfigException.class)
                .hasMessage("invalid OpenSearchStoreConfig: name must be set, was null; uri must start with http:// "
                        + "or https://, was 'ftp://***@localhost:9200'; basicAuth needs both username and password, "
                        + "was ''; basicAuth username must not be empty, was ''; index must be lowercase, was 'Docs'; "
                        + "refresh must be set, was null; requestTimeout must be positive, was PT0S; connectTimeout "
                        + "must be set, was null");
    }

    @Test
    void toBuilderKeepsEverySettingAndTheDefaultTenancyFollowsTheIndex() {
        OpenSearchStoreConfig original = valid().basicAuth("admin", "secret").refresh(OpenSearchRefresh.WAIT_FOR)
                .manageIndices(false).build();

        OpenSearchStoreConfig reindexed = original.toBuilder().index("orders").build();

        assertThat(original.toBuilder().build()).isEqualTo(original).hasSameHashCodeAs(original);
        assertThat(reindexed.index()).isEqualTo("orders");
        assertThat(reindexed.tenancy().indexPattern()).isEqualTo("orders-*");
        assertThat(reindexed.password()).isEqualTo("secret");
        assertThat(reindexed.refresh()).isEqualTo(OpenSearchRefresh.WAIT_FOR);
        assertThat(reindexed.manageIndices()).isFalse();
    }

    @Test
    void equalsHashCodeAndToBuilderCoverEverySetting() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        OpenSearchTenancy tenancy = OpenSearchTenancy.prefixed("other");
        ConfigSemantics.of(OpenSearchStoreConfig.Builder.class, OpenSearchStoreConfigTest::valid,
                        OpenSearchStoreConfig.Builder::build, OpenSearchStoreConfig::toBuilder)
                .vary("name", b -> b.name("profiles"))
                .vary("meterRegistry", b -> b.meterRegistry(registry))
                .vary("processor", b -> b.processor("orders"))
                .vary("uri", b -> b.uri("https://search.example.com:9243"))
                .vary("basicAuth", b -> b.basicAuth("admin", "secret"))
                .vary("index", b -> b.index("profiles"))
                .vary("tenancy", b -> b.tenancy(tenancy))
                .vary("refresh", b -> b.refresh(OpenSearchRefresh.TRUE))
                .vary("requestTimeout", b -> b.requestTimeout(Duration.ofSeconds(3)))
                .vary("connectTimeout", b -> b.connectTimeout(Duration.ofSeconds(3)))
                .vary("manageIndices", b -> b.manageIndices(false))
                .check();
    }

    @Test
    void toStringLeavesThePasswordOut() {
        assertThat(valid().basicAuth("admin", "secret").build().toString()).contains("username=admin")
                .doesNotContain("secret");
    }
}
