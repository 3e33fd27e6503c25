package io.kasper.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.kasper.InvalidConfigException;
import io.kasper.KasperException;
import io.kasper.test.ConfigSemantics;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedisStoreConfigTest {

    private static RedisStoreConfig.Builder valid() {
        return RedisStoreConfig.builder().name("counts").uri("redis://127.0.0.1:6379/2").prefix("counts");
    }

    @Test
    void buildsWithDefaults() {
        RedisStoreConfig config = valid().build();
        assertThat(config.name()).isEqualTo("counts");
        assertThat(config.prefix()).isEqualTo("counts");
        assertThat(config.address()).isEqualTo("127.0.0.1:6379");
        assertThat(config.redisUri().getDatabase()).isEqualTo(2);
        assertThat(config.redisUri().getTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.commandTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.maxKeysPerCommand()).isEqualTo(10_000);
        assertThat(config.flushReplicas()).isZero();
        assertThat(config.meterRegistry()).isSameAs(Metrics.globalRegistry);
        assertThat(config.processor()).isEqualTo("counts");
    }

    @Test
    void toStringHidesCredentials() {
        RedisStoreConfig config = valid().uri("redis://user:s3cret@127.0.0.1:6379").build();
        assertThat(config.toString()).doesNotContain("s3cret").contains("127.0.0.1:6379");
    }

    @Test
    void rejectsMissingName() {
        assertThatThrownBy(() -> valid().name(null).build()).isExactlyInstanceOf(InvalidConfigException.class)
                .hasMessage("invalid RedisStoreConfig: name must be set, was null");
    }

    @Test
    void rejectsBlankName() {
        assertThatThrownBy(() -> valid().name("  ").build()).isExactlyInstanceOf(InvalidConfigException.class)
                .hasMessage("invalid RedisStoreConfig: name must not be blank, was '  '");
    }

    @Test
    void rejectsMissingUri() {
        assertThatThrownBy(() -> valid().uri(null).build()).isExactlyInstanceOf(InvalidConfigException.class)
                .hasMessage("invalid RedisStoreConfig: uri must be set, was null");
    }

    @Test
    void rejectsUriWithoutRedisScheme() {
        assertThatThrownBy(() -> valid().uri("localhost:6379").build())
                .isExactlyInstanceOf(InvalidConfigException.class)
                .hasMessage("invalid RedisStoreConfig: "
                        + "uri must start with redis:// or rediss://, was 'localhost:6379'");
        assertThatThrownBy(() -> valid().uri("http://localhost").build())
                .isExactlyInstanceOf(InvalidConfigException.class)
                .hasMessage("invalid RedisStoreConfig: "
                        + "uri must start with redis:// or rediss://, was 'http://localhost'");
    }

    @Test
    void rejectsUriWithoutHost() {
        assertThatThrownBy(() -> valid().uri("redis://").build()).isInstanceOf(KasperException.class)
                .hasMessageStartingWith("invalid RedisStoreConfig: uri must ")
                .hasMessageContaining("was 'redis://'");
    }

    @Test
    void rejectsEmptyPrefix() {
        assertThatThrownBy(() -> valid().prefix("").build()).isExactlyInstanceOf(InvalidConfigException.class)
                .hasMessage("invalid RedisStoreConfig: prefix must not be empty, was ''");
        assertThatThrownBy(() -> valid().prefix(null).build()).isExactlyInstanceOf(InvalidConfigException.class)
                .hasMessage("invalid RedisStoreConfig: prefix must not be empty, was null");
    }

    @Test
    void rejectsPrefixWithSlash() {
        assertThatThrownBy(() -> valid().prefix("a/b").build()).isExactlyInstanceOf(InvalidConfigException.class)
                .hasMessage("invalid RedisStoreConfig: prefix must not contain '/', was 'a/b'");
    }

    @Test
    void rejectsNonPositiveTimeouts() {
        assertThatThrownBy(() -> valid().commandTimeout(Duration.ZERO).build())
                .isExactlyInstanceOf(InvalidConfigException.class)
                .hasMessage("invalid RedisStoreConfig: commandTimeout must be positive, was PT0S");
        assertThatThrownBy(() -> valid().connectTimeout(Duration.ofMillis(-5)).build())
                .isExactlyInstanceOf(InvalidConfigException.class)
                .hasMessage("invalid RedisStoreConfig: connectTimeout must be positive, was PT-0.005S");
        assertThatThrownBy(() -> valid().commandTimeout(null).build())
                .isExactlyInstanceOf(InvalidConfigException.class)
                .hasMessage("invalid RedisStoreConfig: commandTimeout must be set, was null");
    }

    @Test
    void rejectsMaxKeysPerCommandBelowOne() {
        assertThatThrownBy(() -> valid().maxKeysPerCommand(0).build()).isExactlyInstanceOf(InvalidConfigException.class)
                .hasMessage("invalid RedisStoreConfig: maxKeysPerCommand must be at least 1, was 0");
    }

    @Test
    void rejectsNegativeFlushReplicas() {
        assertThatThrownBy(() -> valid().flushReplicas(-1).build()).isExactlyInstanceOf(InvalidConfigException.class)
                .hasMessage("invalid RedisStoreConfig: flushReplicas must be at least 0, was -1");
    }

    @Test
    void rejectsMissingMeterRegistryAndBlankProcessor() {
        assertThatThrownBy(() -> valid().meterRegistry(null).build()).isExactlyInstanceOf(InvalidConfigException.class)
                .hasMessage("invalid RedisStoreConfig: meterRegistry must be set, was null");
        assertThatThrownBy(() -> valid().processor("").build()).isExactlyInstanceOf(InvalidConfigException.class)
                .hasMessage("invalid RedisStoreConfig: processor must not be blank, was ''");
    }

    @Test
    void reportsEveryInvalidFieldAtOnce() {
        assertThatThrownBy(() -> RedisStoreConfig.builder().name(" ").uri("http://user:" + PASSWORD + "@host")
                .prefix("a/b").commandTimeout(null).connectTimeout(Duration.ZERO).maxKeysPerCommand(0)
                .flushReplicas(-1).meterRegistry(null).processor("").build())
                .isExactlyInstanceOf(InvalidConfigException.class)
                .hasMessage("invalid RedisStoreConfig: name must not be blank, was ' '; meterRegistry must be set, "
                        + "was null; processor must not be blank, was ''; uri must start with redis:// or rediss://, "
                        + "was 'http://***@host'; prefix must not contain '/', was 'a/b'; commandTimeout must be set, "
                        + "was null; connectTimeout must be positive, was PT0S; maxKeysPerCommand must be at least 1, "
                        + "was 0; flushReplicas must be at least 0, was -1");
    }

    @Test
    void toBuilderKeepsEverySettingAndChangesOnlyTheOneSet() {
        RedisStoreConfig original = valid().uri("rediss://user:" + PASSWORD + "@10.0.0.1:6380/3").processor("orders")
                .commandTimeout(Duration.ofSeconds(2)).flushReplicas(1).build();

        RedisStoreConfig renamed = original.toBuilder().name("totals").build();

        assertThat(original.toBuilder().build()).isEqualTo(original).hasSameHashCodeAs(original);
        assertThat(renamed.name()).isEqualTo("totals");
        assertThat(renamed.redisUri()).hasToString(original.redisUri().toString());
        assertThat(renamed.processor()).isEqualTo("orders");
        assertThat(renamed.commandTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(renamed.flushReplicas()).isEqualTo(1);
    }

    @Test
    void equalsHashCodeAndToBuilderCoverEverySetting() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ConfigSemantics.of(RedisStoreConfig.Builder.class, RedisStoreConfigTest::valid, RedisStoreConfig.Builder::build,
                        RedisStoreConfig::toBuilder)
                .vary("name", b -> b.name("totals"))
                .vary("meterRegistry", b -> b.meterRegistry(registry))
                .vary("processor", b -> b.processor("orders"))
                .vary("uri", b -> b.uri("redis://127.0.0.1:6379/3"))
                .vary("prefix", b -> b.prefix("totals"))
                .vary("commandTimeout", b -> b.commandTimeout(Duration.ofSeconds(2)))
                .vary("connectTimeout", b -> b.connectTimeout(Duration.ofSeconds(2)))
                .vary("maxKeysPerCommand", b -> b.maxKeysPerCommand(100))
                .vary("flushReplicas", b -> b.flushReplicas(1))
                .check();
    }

    private static final String PASSWORD = "pw-Rd5-secret";

    @Test
    void invalidDatabaseInAUriWithAPasswordIsReportedWithoutThePassword() {
        Throwable thrown = catchThrowable(() -> valid().uri("redis://:" + PASSWORD + "@host:6379/notadb").build());

        assertThat(thrown).isExactlyInstanceOf(InvalidConfigException.class).hasNoCause()
                .hasMessage("invalid RedisStoreConfig: "
                        + "uri must be a valid Redis URI, was 'redis://***@host:6379/notadb': "
                        + "NumberFormatException: For input string: \"notadb\"");
        assertThat(everything(thrown)).doesNotContain(PASSWORD);
    }

    @Test
    void unparsableUriWithAPasswordIsReportedWithoutThePassword() {
        String uri = "redis://user:" + PASSWORD + " @host:6379/0";
        Throwable thrown = catchThrowable(() -> valid().uri(uri).build());

        // java.net.URI's index differs between JDKs: 17 gives the authority's start, 25 the offending character
        assertThat(thrown).isExactlyInstanceOf(InvalidConfigException.class).hasNoCause()
                .hasMessageMatching("\\Qinvalid RedisStoreConfig: uri must be a valid Redis URI, was "
                        + "'redis://***@host:6379/0': IllegalArgumentException: Illegal character in authority "
                        + "at index \\E\\d+"
                        + "\\Q: redis://***@host:6379/0\\E");
        assertThat(everything(thrown)).doesNotContain(PASSWORD);
    }

    @Test
    void uriWithAPasswordAndAWrongSchemeIsReportedWithoutThePassword() {
        assertThatThrownBy(() -> valid().uri("http://user:" + PASSWORD + "@host:6379").build())
                .isExactlyInstanceOf(InvalidConfigException.class).hasNoCause()
                .hasMessage("invalid RedisStoreConfig: "
                        + "uri must start with redis:// or rediss://, was 'http://***@host:6379'");
        assertThatThrownBy(() -> valid().uri("user:" + PASSWORD + "@host:6379").build())
                .isExactlyInstanceOf(InvalidConfigException.class)
                .hasMessage("invalid RedisStoreConfig: uri must start with redis:// or rediss://, was '***@host:6379'");
    }

    @Test
    void toStringOfAConfigWithAPasswordShowsNeitherUserNorPassword() {
        String shown = valid().uri("rediss://kasper:" + PASSWORD + "@127.0.0.1:6380/1").build().toString();

        assertThat(shown).isEqualTo("RedisStoreConfig{name='counts', address=127.0.0.1:6380, prefix='counts', "
                + "commandTimeout=PT5S, connectTimeout=PT5S, maxKeysPerCommand=10000, flushReplicas=0, "
                + "processor='counts'}");
    }

    /** The message, stack trace and causes of a throwable, as a log line would show them. */
    private static String everything(Throwable thrown) {
        java.io.StringWriter text = new java.io.StringWriter();
        thrown.printStackTrace(new java.io.PrintWriter(text));
        return text.toString();
    }
}
