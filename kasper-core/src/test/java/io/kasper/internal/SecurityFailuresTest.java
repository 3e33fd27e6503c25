package io.kasper.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.kasper.KasperException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnsupportedSaslMechanismException;
import org.junit.jupiter.api.Test;

class SecurityFailuresTest {

    private static final ProcessorLogContext P = new ProcessorLogContext("p");

    private static final String PASSWORD = "pw-Xk29-secret";
    private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required "
            + "username=\"alice\" password=\"" + PASSWORD + "\";";

    private static Map<String, Object> saslProperties() {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", "127.0.0.1:9093");
        props.put("security.protocol", "SASL_PLAINTEXT");
        props.put("sasl.mechanism", "PLAIN");
        props.put("sasl.jaas.config", JAAS);
        return props;
    }

    @Test
    void authenticationFailureNamesProcessorServersProtocolAndMechanism() {
        SaslAuthenticationException cause =
                new SaslAuthenticationException("Authentication failed: Invalid username or password");

        Optional<KasperException> e = SecurityFailures.translate(new ProcessorLogContext("orders"),
                "describing input topic 'in'", saslProperties(), new ExecutionException(cause));

        assertThat(e).get().satisfies(k -> {
            assertThat(k).hasMessage("TopicProcessor 'orders': authentication failed while describing input topic "
                    + "'in' on bootstrap servers '127.0.0.1:9093' (security.protocol SASL_PLAINTEXT, sasl.mechanism "
                    + "PLAIN): Authentication failed: Invalid username or password (SaslAuthenticationException); "
                    + "check the credentials in sasl.jaas.config and that the listener accepts this "
                    + "security.protocol and sasl.mechanism");
            assertThat(k).hasCause(cause);
        });
    }

    @Test
    void authenticationFailureDeepInTheCauseChainIsFound() {
        UnsupportedSaslMechanismException cause = new UnsupportedSaslMechanismException("mechanism not enabled");
        Throwable wrapped = new KafkaException("outer", new RuntimeException("middle", cause));

        assertThat(SecurityFailures.translate(P, "x", saslProperties(), wrapped))
                .get().extracting(Throwable::getMessage).asString()
                .contains("authentication failed while x")
                .contains("mechanism not enabled (UnsupportedSaslMechanismException)");
    }

    @Test
    void authorizationFailureSaysSo() {
        TopicAuthorizationException cause = new TopicAuthorizationException("Not authorized to access topics: [in]");

        assertThat(SecurityFailures.translate(P, "describing input topic 'in'", saslProperties(), cause))
                .get().extracting(Throwable::getMessage).asString()
                .startsWith("TopicProcessor 'p': authorization failed while describing input topic 'in' on "
                        + "bootstrap servers '127.0.0.1:9093'")
                .contains("Not authorized to access topics: [in] (TopicAuthorizationException)")
                .endsWith("the authenticated principal lacks an ACL this needs");
    }

    @Test
    void otherFailuresAreNotTranslated() {
        assertThat(SecurityFailures.translate(P, "x", saslProperties(), new TimeoutException("slow"))).isEmpty();
        assertThat(SecurityFailures.translate(P, "x", saslProperties(), null)).isEmpty();
    }

    @Test
    void cyclicCauseChainEnds() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);

        assertThat(SecurityFailures.translate(P, "x", saslProperties(), a)).isEmpty();
    }

    @Test
    void messagesNeverRepeatTheJaasConfigOrItsPassword() {
        SaslAuthenticationException cause = new SaslAuthenticationException("bad login " + JAAS + " and again "
                + PASSWORD);

        String message = SecurityFailures.translate(P, "x", saslProperties(), cause).orElseThrow().getMessage();

        assertThat(message).doesNotContain(PASSWORD).doesNotContain("PlainLoginModule")
                .contains("bad login [hidden] and again [hidden]");
    }

    @Test
    void scrubsPasswordPropertiesAndKafkaPasswordValues() {
        Map<String, Object> props = saslProperties();
        props.put("sasl.jaas.config", new Password(JAAS));
        props.put("ssl.truststore.password", "trust-me-42");
        props.put("listener.name.x.sasl.jaas.config", "Other required password=\"other-pw\";");

        assertThat(SecurityFailures.scrub("a " + PASSWORD + " b trust-me-42 c other-pw", props))
                .isEqualTo("a [hidden] b [hidden] c [hidden]");
        assertThat(SecurityFailures.scrub(null, props)).isEqualTo("null");
    }

    @Test
    void shortSecretsAreLeftAloneSoMessagesStayReadable() {
        Map<String, Object> props = saslProperties();
        props.put("sasl.jaas.config", "M required password=\"ab\";");

        assertThat(SecurityFailures.scrub("a b ab", props)).isEqualTo("a b ab");
    }

    @Test
    void describesConnectionWithKafkaDefaultsMarked() {
        Map<String, Object> plain = new HashMap<>(Map.of("bootstrap.servers", "h:1"));
        assertThat(SecurityFailures.describeConnection(plain))
                .isEqualTo("bootstrap servers 'h:1' (security.protocol PLAINTEXT (default))");

        plain.put("security.protocol", "SASL_SSL");
        assertThat(SecurityFailures.describeConnection(plain))
                .isEqualTo("bootstrap servers 'h:1' (security.protocol SASL_SSL, sasl.mechanism GSSAPI (default))");

        plain.put("security.protocol", "SSL");
        assertThat(SecurityFailures.describeConnection(plain))
                .isEqualTo("bootstrap servers 'h:1' (security.protocol SSL)");
    }
}
