package io.kasper.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RedisServerIT {

    @Test
    void embeddedFallbackStartsARealRedis6ThatAnswersCommands() {
        try (RedisServer redis = RedisServer.start(RedisServer.Binary.EMBEDDED)) {
            assertThat(redis.isEmbedded()).isTrue();
            assertThat(redis.executable()).startsWith(redis.workDir());
            assertThat(redis.version()).startsWith("6.2.");
            assertThat(redis.command("SET", "k", "v")).isEqualTo("OK");
            assertThat(redis.command("GET", "k")).isEqualTo("v");
        }
    }

    @Test
    void autoPrefersRedisServerOnThePathAndFallsBackOtherwise() {
        Path onPath = RedisBinary.fromPath();
        try (RedisServer redis = RedisServer.start(RedisServer.Binary.AUTO)) {
            assertThat(redis.isEmbedded()).isEqualTo(onPath == null);
            if (onPath != null) {
                assertThat(redis.executable()).isEqualTo(onPath);
            }
            assertThat(redis.command("PING")).isEqualTo("PONG");
        }
    }

    @Test
    void systemPropertyForcesTheEmbeddedBinary() {
        String previous = System.getProperty(RedisServer.BINARY_PROPERTY);
        System.setProperty(RedisServer.BINARY_PROPERTY, "embedded");
        try (RedisServer redis = RedisServer.start()) {
            assertThat(redis.isEmbedded()).isTrue();
        } finally {
            restore(previous);
        }
    }

    @Test
    void unknownSystemPropertyValueIsRejectedWithItsValue() {
        String previous = System.getProperty(RedisServer.BINARY_PROPERTY);
        System.setProperty(RedisServer.BINARY_PROPERTY, "docker");
        try {
            assertThatThrownBy(RedisServer::start).isInstanceOf(IllegalStateException.class)
                    .hasMessage("system property kasper.redis.server must be auto, path or embedded, was 'docker'");
        } finally {
            restore(previous);
        }
    }

    @Test
    void killedServerRestartsOnTheSamePortWithEmptyData() {
        try (RedisServer redis = RedisServer.start()) {
            int port = redis.port();
            redis.command("SET", "k", "v");

            redis.kill();

            assertThat(redis.isRunning()).isFalse();
            assertThatThrownBy(() -> redis.command("PING")).isInstanceOf(UncheckedIOException.class);

            redis.restart();

            assertThat(redis.isRunning()).isTrue();
            assertThat(redis.port()).isEqualTo(port);
            assertThat(redis.command("GET", "k")).isNull();
        }
    }

    @Test
    void closeKillsTheServerAndDeletesItsDirectory() {
        RedisServer redis = RedisServer.start(RedisServer.Binary.EMBEDDED);
        Path dir = redis.workDir();
        assertThat(dir).isDirectory();

        redis.close();

        assertThat(redis.isRunning()).isFalse();
        assertThat(Files.exists(dir)).isFalse();
        assertThatThrownBy(() -> redis.command("PING")).isInstanceOf(UncheckedIOException.class);
    }

    @Test
    void monitorSeesEachCommandOnce() {
        try (RedisServer redis = RedisServer.start(); RedisMonitor monitor = redis.monitor()) {
            redis.command("SET", "a", "1");
            redis.command("MGET", "a", "b");
            assertThat(monitor.commandsSoFar()).containsExactly("SET", "MGET");
            assertThat(monitor.commandsSoFar()).isEmpty();
        }
    }

    @Test
    void monitorRestoresTheSlowLogSettingsItChangedWhenClosed() {
        try (RedisServer redis = RedisServer.start()) {
            String before = redis.command("CONFIG", "GET", "slowlog-log-slower-than");

            try (RedisMonitor monitor = redis.monitor()) {
                assertThat(redis.command("CONFIG", "GET", "slowlog-log-slower-than"))
                        .isEqualTo("slowlog-log-slower-than\n0");
            }

            assertThat(redis.command("CONFIG", "GET", "slowlog-log-slower-than")).isEqualTo(before);
        }
    }

    @Test
    void errorReplyIsAnIllegalStateExceptionWithTheServersMessage() {
        try (RedisServer redis = RedisServer.start()) {
            redis.command("SET", "text", "not a number");

            assertThatThrownBy(() -> redis.command("INCR", "text")).isInstanceOf(IllegalStateException.class)
                    .hasMessage("redis at " + redis.host() + ":" + redis.port()
                            + " replied to INCR with an error: ERR value is not an integer or out of range");
        }
    }

    private static void restore(String previous) {
        if (previous == null) {
            System.clearProperty(RedisServer.BINARY_PROPERTY);
        } else {
            System.setProperty(RedisServer.BINARY_PROPERTY, previous);
        }
    }
}
