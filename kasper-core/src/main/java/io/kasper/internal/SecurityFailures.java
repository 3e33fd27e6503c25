package io.kasper.internal;

import io.kasper.KasperException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;

/**
 * Describes failures of a Kafka client in words a user can act on, without ever repeating a secret: authentication
 * and authorization failures become a {@link KasperException} that says which of the two happened and names the
 * processor, the bootstrap servers, {@code security.protocol} and {@code sasl.mechanism}. Secrets (the value of
 * {@code sasl.jaas.config}, the passwords in it, and every property whose name contains {@code password}) are
 * replaced by {@code [hidden]} in every message taken from a cause. Stateless, thread-safe.
 */
final class SecurityFailures {

    /** Replaces a secret in a message. */
    static final String HIDDEN = "[hidden]";

    private static final Pattern JAAS_PASSWORD = Pattern.compile("password\\s*=\\s*\"([^\"]*)\"");
    /** Shorter secrets are not scrubbed from messages: replacing one or two characters would garble them. */
    private static final int MIN_SCRUBBED_LENGTH = 3;

    private SecurityFailures() {
    }

    /**
     * Returns a {@link KasperException} for {@code failure} when it, or one of its causes, is an
     * {@link AuthenticationException} or an {@link AuthorizationException}.
     *
     * @param context names the processor in the message
     * @param action what the client was doing, e.g. {@code "describing input topic 'orders'"}
     * @param clientProperties the properties the client was created with ({@code bootstrap.servers},
     *     {@code security.protocol}, {@code sasl.mechanism} are read; secrets are only used to scrub messages)
     * @param failure what the client threw
     * @return the exception to throw, carrying the Kafka exception as its cause; empty for any other failure
     */
    static Optional<KasperException> translate(ProcessorLogContext context, String action,
            Map<String, Object> clientProperties, Throwable failure) {
        Throwable cause = find(failure);
        if (cause == null) {
            return Optional.empty();
        }
        boolean authentication = cause instanceof AuthenticationException;
        String what = authentication ? "authentication failed" : "authorization failed";
        String hint = authentication
                ? "check the credentials in " + SaslConfigs.SASL_JAAS_CONFIG + " and that the listener accepts this "
                        + CommonClientConfigs.SECURITY_PROTOCOL_CONFIG + " and " + SaslConfigs.SASL_MECHANISM
                : "the authenticated principal lacks an ACL this needs";
        return Optional.of(new KasperException(context.message(what + " while " + action
                + " on " + describeConnection(clientProperties) + ": " + scrub(cause.getMessage(), clientProperties)
                + " (" + cause.getClass().getSimpleName() + "); " + hint), cause));
    }

    /**
     * Returns where and how a client connects, for messages: bootstrap servers, {@code security.protocol} and, when
     * it is a SASL protocol, {@code sasl.mechanism} (Kafka's defaults marked as such). Never a secret.
     */
    static String describeConnection(Map<String, Object> clientProperties) {
        Object protocolValue = clientProperties.get(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG);
        String protocol = protocolValue == null ? "PLAINTEXT (default)" : String.valueOf(protocolValue);
        StringBuilder text = new StringBuilder("bootstrap servers '")
                .append(clientProperties.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)).append("' (")
                .append(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG).append(' ').append(protocol);
        if (protocol.toUpperCase(Locale.ROOT).startsWith("SASL_")) {
            Object mechanism = clientProperties.get(SaslConfigs.SASL_MECHANISM);
            text.append(", ").append(SaslConfigs.SASL_MECHANISM).append(' ')
                    .append(mechanism == null ? "GSSAPI (default)" : mechanism);
        }
        return text.append(')').toString();
    }

    /**
     * Returns {@code message} with every secret of {@code clientProperties} replaced by {@link #HIDDEN}.
     *
     * @param message a message that may repeat a secret, or null
     * @return the scrubbed message; {@code "null"} for null
     */
    static String scrub(String message, Map<String, Object> clientProperties) {
        if (message == null) {
            return "null";
        }
        String scrubbed = message;
        for (String secret : secrets(clientProperties)) {
            scrubbed = scrubbed.replace(secret, HIDDEN);
        }
        return scrubbed;
    }

    /** Returns the secrets, longest first, so that a secret containing another is replaced whole. */
    private static List<String> secrets(Map<String, Object> clientProperties) {
        List<String> secrets = new ArrayList<>();
        clientProperties.forEach((key, value) -> {
            if (value == null) {
                return;
            }
            String lower = key.toLowerCase(Locale.ROOT);
            if (lower.endsWith(SaslConfigs.SASL_JAAS_CONFIG)) {
                String jaas = valueOf(value);
                secrets.add(jaas);
                Matcher m = JAAS_PASSWORD.matcher(jaas);
                while (m.find()) {
                    secrets.add(m.group(1));
                }
            } else if (lower.contains("password")) {
                secrets.add(valueOf(value));
            }
        });
        secrets.removeIf(s -> s.length() < MIN_SCRUBBED_LENGTH);
        secrets.sort(Comparator.comparingInt(String::length).reversed());
        return secrets;
    }

    /** Returns the text of a property value; Kafka's {@code Password} type hides it in {@code toString}. */
    private static String valueOf(Object value) {
        return value instanceof Password p ? p.value() : String.valueOf(value);
    }

    private static Throwable find(Throwable failure) {
        for (Throwable t : KasperException.causeChain(failure)) {
            if (t instanceof AuthenticationException || t instanceof AuthorizationException) {
                return t;
            }
        }
        return null;
    }
}
