package io.kasper.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisLoadingException;
import io.lettuce.core.RedisReadOnlyException;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Which Lettuce failures the Redis stores report as retriable. */
class RedisFailuresTest {

    static Stream<Throwable> transientFailures() {
        return Stream.of(
                new RedisConnectionException("Unable to connect to 127.0.0.1:6379", new ConnectException("refused")),
                new RedisCommandTimeoutException("Command timed out after 5 second(s)"),
                new IOException("Connection reset by peer"),
                new ClosedChannelException(),
                new RedisLoadingException("LOADING Redis is loading the dataset in memory"),
                new RedisBusyException("BUSY Redis is busy running a script. You can only call SCRIPT KILL"),
                new RedisCommandExecutionException("TRYAGAIN Multiple keys request during rehashing of slot"),
                new RedisCommandExecutionException("CLUSTERDOWN The cluster is down"),
                new RedisCommandExecutionException("MASTERDOWN Link with MASTER is down"),
                new RedisException("Currently not connected. Commands are rejected."),
                new RedisException("Connection disconnected"));
    }

    static Stream<Throwable> permanentFailures() {
        return Stream.of(
                new RedisCommandExecutionException(
                        "WRONGTYPE Operation against a key holding the wrong kind of value"),
                new RedisCommandExecutionException("ERR syntax error"),
                new RedisCommandExecutionException("NOAUTH Authentication required."),
                new RedisCommandExecutionException("OOM command not allowed when used memory > 'maxmemory'."),
                new RedisReadOnlyException("READONLY You can't write against a read only replica."),
                // a BUSY prefix, but a consumer-group error: the code is the whole first word
                new RedisBusyException("BUSYGROUP Consumer Group name already exists"),
                new RedisCommandExecutionException((String) null),
                new RedisCommandInterruptedException(new InterruptedException()),
                new RedisException("Connection closed"),
                new RedisException((String) null),
                new IllegalStateException("a bug of ours"));
    }

    @ParameterizedTest
    @MethodSource("transientFailures")
    void transientFailuresAreRetriable(Throwable failure) {
        assertThat(RedisFailures.isTransient(failure)).isTrue();
    }

    @ParameterizedTest
    @MethodSource("permanentFailures")
    void otherFailuresAreNot(Throwable failure) {
        assertThat(RedisFailures.isTransient(failure)).isFalse();
    }
}
