package io.kasper.opensearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kasper.InvalidConfigException;
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
                .hasMessage("OpenSearchStoreConfig.name must be set, was null");
    }

    @Test
    void rejectsUriWithoutHttpScheme() {
        assertThatThrownBy(() -> valid().uri("redis://localhost:9200").build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("OpenSearchStoreConfig.uri must start with http:// or https://, "
                        + "was 'redis://localhost:9200'");
    }

    @Test
    void rejectsUriWithQuery() {
        assertThatThrownBy(() -> valid().uri("http://localhost:9200/?pretty").build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("OpenSearchStoreConfig.uri must not have a query or fragment, "
                        + "was 'http://localhost:9200/?pretty'");
    }

    @Test
    void rejectsUriWithCredentialsWithoutShowingThem() {
        assertThatThrownBy(() -> valid().uri("http://admin:secret@localhost:9200").build())
                .isExactlyInstanceOf(InvalidConfigException.class).hasNoCause()
                .hasMessage("OpenSearchStoreConfig.uri must not hold credentials (use basicAuth), "
                        + "was 'http://***@localhost:9200'");
    }

    @Test
    void everyInvalidUriWithCredentialsIsReportedWithoutThem() {
        String password = "pw-Os7-secret";
        assertThatThrownBy(() -> valid().uri("ftp://admin:" + password + "@localhost:9200").build())
                .isExactlyInstanceOf(InvalidConfigException.class).hasNoCause()
                .hasMessage("OpenSearchStoreConfig.uri must start with http:// or https://, "
                        + "was 'ftp://***@localhost:9200'");
        assertThatThrownBy(() -> valid().uri("http://admin:" + password + "@localhost:9200/?pretty").build())
                .isExactlyInstanceOf(InvalidConfigException.class).hasNoCause()
                .hasMessage("OpenSearchStoreConfig.uri must not hold credentials (use basicAuth), "
                        + "was 'http://***@localhost:9200/?pretty'");
        // java.net.URI's index differs between JDKs: 17 gives the authority's start, 25 the offending character
        assertThatThrownBy(() -> valid().uri("http://admin:" + password + " @localhost:9200").build())
                .isExactlyInstanceOf(InvalidConfigException.class).hasNoCause()
                .hasMessageMatching("\\QOpenSearchStoreConfig.uri must be a valid URI, was "
                        + "'http://***@localhost:9200': Illegal character in authority at index \\E\\d+"
                        + "\\Q: http://***@localhost:9200\\E");
        assertThatThrownBy(() -> valid().uri(password + "@localhost:9200").build())
                .isExactlyInstanceOf(InvalidConfigException.class).hasNoCause()
                .hasMessage("OpenSearchStoreConfig.uri must be a valid URI, was '***@localhost:9200': "
                        + "Illegal character in scheme name at index 13: ***@localhost:9200");
    }

    @Test
    void rejectsUppercaseIndex() {
        assertThatThrownBy(() -> valid().index("Docs").build()).isInstanceOf(InvalidConfigException.class)
                .hasMessage("OpenSearchStoreConfig.index must be lowercase, was 'Docs'");
    }

    @Test
    void rejectsIndexWithWildcard() {
        assertThatThrownBy(() -> valid().index("docs*").build()).isInstanceOf(InvalidConfigException.class)
                .hasMessage("OpenSearchStoreConfig.index must not contain any of \\ / * ? \" < > | , # : or a space, "
                        + "was 'docs*'");
    }

    @Test
    void rejectsIndexStartingWithUnderscore() {
        assertThatThrownBy(() -> valid().index("_docs").build()).isInstanceOf(InvalidConfigException.class)
                .hasMessage("OpenSearchStoreConfig.index must not start with '-', '_' or '+', was '_docs'");
    }

    @Test
    void rejectsIndexLongerThan255Bytes() {
        String index = "é".repeat(128);
        assertThatThrownBy(() -> valid().index(index).build()).isInstanceOf(InvalidConfigException.class)
                .hasMessage("OpenSearchStoreConfig.index must be at most 255 bytes, was '" + index + "'");
    }

    @Test
    void rejectsUsernameWithoutPassword() {
        assertThatThrownBy(() -> valid().basicAuth("admin", null).build()).isInstanceOf(InvalidConfigException.class)
                .hasMessage("OpenSearchStoreConfig.basicAuth needs both username and password, was 'admin'");
    }

    @Test
    void rejectsZeroRequestTimeout() {
        assertThatThrownBy(() -> valid().requestTimeout(Duration.ZERO).build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("OpenSearchStoreConfig.requestTimeout must be positive, was PT0S");
    }

    @Test
    void rejectsMissingRefresh() {
        assertThatThrownBy(() -> valid().refresh(null).build()).isInstanceOf(InvalidConfigException.class)
                .hasMessage("OpenSearchStoreConfig.refresh must be set, was null");
    }

    @Test
    void rejectsBlankProcessor() {
        assertThatThrownBy(() -> valid().processor(" ").build()).isInstanceOf(InvalidConfigException.class)
                .hasMessage("OpenSearchStoreConfig.processor must not be blank, was ' '");
    }

    @Test
    void toStringLeavesThePasswordOut() {
        assertThat(valid().basicAuth("admin", "secret").build().toString()).contains("username=admin")
                .doesNotContain("secret");
    }
}
