package io.kasper.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SaslPlainTest {

    @Test
    void clientJaasConfigLogsInWithUsernameAndPassword() {
        assertThat(KafkaBroker.plainJaasConfig("alice", "s3cret-!#"))
                .isEqualTo("org.apache.kafka.common.security.plain.PlainLoginModule required username=\"alice\" "
                        + "password=\"s3cret-!#\";");
    }

    @Test
    void serverJaasConfigDeclaresEveryUserInOrder() {
        Map<String, String> users = new LinkedHashMap<>();
        users.put("alice", "a-pw");
        users.put("bob_2", "b pw");

        assertThat(SaslPlain.serverJaasConfig(users))
                .isEqualTo("org.apache.kafka.common.security.plain.PlainLoginModule required "
                        + "user_alice=\"a-pw\" user_bob_2=\"b pw\";");
    }

    @Test
    void rejectsUsernamesThatCannotBeAJaasOptionName() {
        assertThatThrownBy(() -> KafkaBroker.builder().saslPlainUser("al ice", "pw"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("SASL/PLAIN username must match [A-Za-z0-9_-]+, was 'al ice'");
        assertThatThrownBy(() -> KafkaBroker.builder().saslPlainUser("", "pw"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("SASL/PLAIN username must match [A-Za-z0-9_-]+, was ''");
    }

    @Test
    void rejectsPasswordsThatNeedEscapingWithoutShowingThem() {
        assertThatThrownBy(() -> KafkaBroker.plainJaasConfig("alice", "pw\"x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("SASL/PLAIN password of user 'alice' must not contain '\"', '\\' or control characters "
                        + "(position 2)")
                .message().doesNotContain("pw\"x");
        assertThatThrownBy(() -> KafkaBroker.plainJaasConfig("alice", "back\\slash"))
                .hasMessageContaining("position 4");
        assertThatThrownBy(() -> KafkaBroker.plainJaasConfig("alice", "new\nline"))
                .hasMessageContaining("position 3");
        assertThatThrownBy(() -> KafkaBroker.plainJaasConfig("alice", ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("SASL/PLAIN password of user 'alice' must not be empty");
        assertThatThrownBy(() -> KafkaBroker.plainJaasConfig("alice", null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("SASL/PLAIN password of user 'alice' must not be null");
    }

    @Test
    void rejectsTheSameUserTwice() {
        KafkaBroker.Builder builder = KafkaBroker.builder().saslPlainUser("alice", "one");

        assertThatThrownBy(() -> builder.saslPlainUser("alice", "two"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("saslPlainUser 'alice' is already defined");
    }

    @Test
    void rejectsNullServerProperties() {
        assertThatThrownBy(() -> KafkaBroker.builder().serverProperty("num.io.threads", null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("serverProperty 'num.io.threads' value must not be null");
    }
}
