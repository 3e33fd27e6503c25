package io.kasper.test;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The SASL/PLAIN settings of the test broker: listener and mechanism names, the rules for usernames and passwords,
 * and the JAAS configuration lines of the broker and of a client. Stateless, thread-safe.
 *
 * <p>Usernames and passwords are restricted so that they can be written into a JAAS line unquoted (names) or between
 * double quotes (passwords) without any escaping.
 */
final class SaslPlain {

    /** Name and security protocol of the broker's SASL listener. */
    static final String LISTENER = "SASL_PLAINTEXT";
    /** The one SASL mechanism the listener accepts. */
    static final String MECHANISM = "PLAIN";

    private static final String LOGIN_MODULE = "org.apache.kafka.common.security.plain.PlainLoginModule";
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9_-]+");

    private SaslPlain() {
    }

    /**
     * Checks a username and password.
     *
     * @throws IllegalArgumentException naming the rule and the username (never the password)
     * @throws NullPointerException when either is null
     */
    static void check(String username, String password) {
        Objects.requireNonNull(username, "SASL/PLAIN username must not be null");
        Objects.requireNonNull(password, () -> "SASL/PLAIN password of user '" + username + "' must not be null");
        if (!USERNAME.matcher(username).matches()) {
            throw new IllegalArgumentException("SASL/PLAIN username must match " + USERNAME.pattern() + ", was '"
                    + username + "'");
        }
        if (password.isEmpty()) {
            throw new IllegalArgumentException("SASL/PLAIN password of user '" + username + "' must not be empty");
        }
        for (int i = 0; i < password.length(); i++) {
            char c = password.charAt(i);
            if (c == '"' || c == '\\' || Character.isISOControl(c)) {
                throw new IllegalArgumentException("SASL/PLAIN password of user '" + username
                        + "' must not contain '\"', '\\' or control characters (position " + i + ")");
            }
        }
    }

    /** Returns the broker-side JAAS line declaring every user with its password; the users must be checked. */
    static String serverJaasConfig(Map<String, String> users) {
        StringBuilder jaas = new StringBuilder(LOGIN_MODULE).append(" required");
        users.forEach((user, password) -> jaas.append(" user_").append(user).append("=\"").append(password)
                .append('"'));
        return jaas.append(';').toString();
    }

    /**
     * Returns the client-side JAAS line logging in as {@code username}.
     *
     * @throws IllegalArgumentException as {@link #check}
     */
    static String clientJaasConfig(String username, String password) {
        check(username, password);
        return LOGIN_MODULE + " required username=\"" + username + "\" password=\"" + password + "\";";
    }
}
