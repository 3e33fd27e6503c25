package io.kasper.store.spi;

import io.kasper.InvalidConfigException;
import java.time.Duration;
import java.util.Objects;

/**
 * The validation rules the store adapters' config builders share, so that every adapter reports a bad setting the
 * same way: {@code "RedisStoreConfig.uri must be set, was null"} — the field, the rule and the value.
 *
 * <p>Thread-safety: immutable, so thread-safe.
 */
public final class StoreConfigRules {

    private final String configName;

    /**
     * Creates the rules of one config class.
     *
     * @param configName the config's simple class name, which prefixes every field in messages
     */
    public StoreConfigRules(String configName) {
        this.configName = Objects.requireNonNull(configName, "configName");
    }

    /**
     * Requires a set, non-blank value.
     *
     * @param field the field's name
     * @param value its value
     * @throws InvalidConfigException "must be set" for null, "must not be blank" for a blank value
     */
    public void requireNotBlank(String field, String value) {
        if (value == null) {
            throw invalid(field, "must be set", null);
        }
        if (value.isBlank()) {
            throw invalid(field, "must not be blank", value);
        }
    }

    /**
     * Requires a set, positive duration.
     *
     * @param field the field's name
     * @param value its value
     * @throws InvalidConfigException "must be set" for null, "must be positive" for zero or less
     */
    public void requirePositive(String field, Duration value) {
        if (value == null) {
            throw invalid(field, "must be set", null);
        }
        if (value.isNegative() || value.isZero()) {
            throw invalid(field, "must be positive", value);
        }
    }

    /**
     * Returns the exception for a field that breaks a rule; strings are quoted in the message.
     *
     * @param field the field's name
     * @param rule the rule it breaks, e.g. "must not contain '/'"
     * @param value the offending value
     * @return the exception, to be thrown by the caller
     */
    public InvalidConfigException invalid(String field, String rule, Object value) {
        String shown = value instanceof String ? "'" + value + "'" : Objects.toString(value);
        return new InvalidConfigException(configName + "." + field + " " + rule + ", was " + shown);
    }
}
