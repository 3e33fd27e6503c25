package io.kasper.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedisKeysTest {

    private final RedisKeys keys = new RedisKeys("counts");

    @Test
    void laysOutKeysAsInGoKasper() {
        assertThat(keys.single("user-1")).isEqualTo("counts/user-1");
        assertThat(keys.tenant("acme", "user-1")).isEqualTo("acme/counts/user-1");
    }

    @Test
    void recoversTheTenantFromItsFirstSegmentOnlyWhenThePrefixFollows() {
        assertThat(keys.tenantOf("acme/counts/a/b")).isEqualTo("acme");
        assertThat(keys.tenantOf("acme/other/a")).isNull();
        assertThat(keys.tenantOf("counts/a")).isNull();
        assertThat(keys.tenantOf("/counts/a")).isNull();
    }

    @Test
    void escapesGlobCharactersOfThePrefixInTheScanPattern() {
        assertThat(keys.tenantPattern()).isEqualTo("*/counts/*");
        assertThat(new RedisKeys("a*b?[c]\\").tenantPattern()).isEqualTo("*/a\\*b\\?\\[c\\]\\\\/*");
    }
}
