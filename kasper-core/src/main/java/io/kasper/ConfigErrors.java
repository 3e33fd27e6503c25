package io.kasper;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Collects the invalid fields of one configuration while its builder validates it, so that {@code build()} reports
 * all of them in one {@link InvalidConfigException}:
 * {@code "invalid RedisStoreConfig: uri must be set, was null; maxKeysPerCommand must be at least 1, was 0"}. Each
 * entry names the field, the rule it breaks and the offending value (strings quoted), and the fix where one is not
 * obvious. Every Kasper config builder uses it, and so should the config builders of store adapters.
 *
 * <pre>{@code
 * ConfigErrors errors = new ConfigErrors("RedisStoreConfig");
 * errors.requireNotBlank("uri", uri);
 * if (maxKeysPerCommand < 1) {
 *     errors.reject("maxKeysPerCommand", "must be at least 1", maxKeysPerCommand);
 * }
 * errors.throwIfAny();
 * }</pre>
 *
 * <p>Thread-safety: not thread-safe; use one instance from one thread, for one {@code build()} call.
 */
public final class ConfigErrors {

    private final String configName;
    private final List<String> errors = new ArrayList<>();

    /**
     * Creates an empty collector for one configuration.
     *
     * @param configName the configuration's simple class name, e.g. {@code "RedisStoreConfig"}, which starts the
     *     message
     * @throws NullPointerException when {@code configName} is null
     */
    public ConfigErrors(String configName) {
        this.configName = Objects.requireNonNull(configName, "configName");
    }

    /**
     * Adds a problem already worded in full: the field, the rule, the value and, where it helps, the fix.
     *
     * @param problem e.g. {@code "inputTopics must not be empty, was []"}
     */
    public void add(String problem) {
        errors.add(Objects.requireNonNull(problem, "problem"));
    }

    /**
     * Adds {@code "{field} {rule}, was {value}"}, the value quoted when it is a string.
     *
     * @param field the field's name
     * @param rule the rule it breaks, e.g. {@code "must not contain '/'"}
     * @param value the offending value
     */
    public void reject(String field, String rule, Object value) {
        add(field + " " + rule + ", was " + quote(value));
    }

    /**
     * Requires a value: rejects null with "must be set".
     *
     * @param field the field's name
     * @param value its value
     * @return whether the value is set
     */
    public boolean requireSet(String field, Object value) {
        if (value == null) {
            reject(field, "must be set", null);
            return false;
        }
        return true;
    }

    /**
     * Requires a set, non-blank string: rejects null with "must be set" and a blank value with "must not be blank".
     *
     * @param field the field's name
     * @param value its value
     * @return whether the value is set and not blank
     */
    public boolean requireNotBlank(String field, String value) {
        if (!requireSet(field, value)) {
            return false;
        }
        if (value.isBlank()) {
            reject(field, "must not be blank", value);
            return false;
        }
        return true;
    }

    /**
     * Requires a set, positive duration: rejects null with "must be set" and zero or less with "must be positive".
     *
     * @param field the field's name
     * @param value its value
     * @return whether the value is set and positive
     */
    public boolean requirePositive(String field, Duration value) {
        if (!requireSet(field, value)) {
            return false;
        }
        if (value.isNegative() || value.isZero()) {
            reject(field, "must be positive", value);
            return false;
        }
        return true;
    }

    /**
     * Returns whether no problem was added.
     *
     * @return true when the configuration is valid so far
     */
    public boolean isEmpty() {
        return errors.isEmpty();
    }

    /**
     * Throws when any problem was added, naming all of them in the order added.
     *
     * @throws InvalidConfigException {@code "invalid {configName}: {problem}; {problem}..."}
     */
    public void throwIfAny() {
        if (!errors.isEmpty()) {
            throw new InvalidConfigException("invalid " + configName + ": " + String.join("; ", errors));
        }
    }

    /**
     * Returns how a value appears in a message: a string in single quotes, anything else as {@code toString()},
     * null as {@code null}.
     *
     * @param value the value
     * @return its text for a message
     */
    public static String quote(Object value) {
        return value instanceof String ? "'" + value + "'" : String.valueOf(value);
    }
}
