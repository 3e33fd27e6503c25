package io.kasper.store.spi;

import io.kasper.ConfigErrors;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.util.List;
import java.util.Objects;

/**
 * The settings every store adapter's configuration shares: the store's name, the registry its meters go to and the
 * {@code processor} tag of those meters. An adapter's config extends it, and its builder extends {@link Builder}, so
 * that these settings are set, validated, compared and shown the same way for every store.
 *
 * <p>Meters go to {@link Metrics#globalRegistry} unless {@link Builder#meterRegistry} names another registry, as for
 * a {@code TopicProcessorConfig}; the global registry records nothing until the application adds a registry to it.
 * A store removes its own meters when it closes.
 *
 * <p>Two configs are equal when they are of the same class and every setting is equal: the meter registry by
 * identity, the adapter's own settings as its {@link #settings()} list them.
 *
 * <p>Thread-safety: immutable, so thread-safe (subclasses must be immutable too).
 */
public abstract class StoreConfig {

    private final String name;
    private final MeterRegistry meterRegistry;
    /** As given to the builder: null means the store's name, and {@code toBuilder()} keeps it following the name. */
    private final String processor;

    /**
     * Copies the shared settings of a builder that {@link Builder#validateCommon} accepted.
     *
     * @param builder the adapter's builder
     */
    protected StoreConfig(Builder<?> builder) {
        this.name = builder.name;
        this.meterRegistry = builder.meterRegistry;
        this.processor = builder.processor;
    }

    /**
     * Returns the store's name: the {@code store} metric tag and the name in exception messages.
     *
     * @return the name
     */
    public final String name() {
        return name;
    }

    /**
     * Returns where the store's meters are recorded.
     *
     * @return the registry, {@link Metrics#globalRegistry} unless another was set
     */
    public final MeterRegistry meterRegistry() {
        return meterRegistry;
    }

    /**
     * Returns the {@code processor} metric tag.
     *
     * @return the tag, the store's name unless another was set
     */
    public final String processor() {
        return processor == null ? name : processor;
    }

    /**
     * Returns the values of the adapter's own settings, in a fixed order, which {@link #equals(Object)} and
     * {@link #hashCode()} compare and hash after the shared ones. Every setting of the adapter's builder must appear.
     *
     * @return the values; may hold nulls
     */
    protected abstract List<Object> settings();

    /**
     * Returns {@code ClassName{name='...', <settings>, processor='...'}}: the shared settings around the adapter's own.
     *
     * @param settings the adapter's settings as text, without credentials
     * @return the text for {@code toString()}
     */
    protected final String describe(String settings) {
        return getClass().getSimpleName() + "{name='" + name + "', " + settings + ", processor='" + processor() + "'}";
    }

    /**
     * Returns whether {@code o} is a config of the same class with equal settings.
     *
     * @param o the other object
     * @return whether every setting is equal
     */
    @Override
    public final boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (o == null || o.getClass() != getClass()) {
            return false;
        }
        StoreConfig other = (StoreConfig) o;
        return name.equals(other.name) && meterRegistry == other.meterRegistry
                && Objects.equals(processor, other.processor) && settings().equals(other.settings());
    }

    /**
     * Returns a hash of every setting, consistent with {@link #equals(Object)}.
     *
     * @return the hash code
     */
    @Override
    public final int hashCode() {
        return Objects.hash(getClass(), name, System.identityHashCode(meterRegistry), processor, settings());
    }

    /**
     * The builder of the shared settings, extended by each adapter's builder ({@code B} is that builder, which every
     * setter returns). Setters only record; the adapter's {@code build()} calls {@link #validateCommon} and reports
     * every invalid field at once with {@link ConfigErrors}.
     *
     * <p>Thread-safety: not thread-safe; use one builder from one thread.
     *
     * @param <B> the adapter's builder type
     */
    public abstract static class Builder<B extends Builder<B>> {

        private String name;
        private MeterRegistry meterRegistry = Metrics.globalRegistry;
        private String processor;

        /** Creates a builder with the defaults. */
        protected Builder() {
        }

        /**
         * Creates a builder holding the shared settings of {@code config}, for the adapter's {@code toBuilder()}.
         *
         * @param config the config to copy
         */
        protected Builder(StoreConfig config) {
            this.name = config.name;
            this.meterRegistry = config.meterRegistry;
            this.processor = config.processor;
        }

        /**
         * Sets the store's name (required, not blank): the {@code store} metric tag and the name in messages.
         *
         * @param name the name
         * @return this builder
         */
        public final B name(String name) {
            this.name = name;
            return self();
        }

        /**
         * Sets where the store's meters are recorded. Default {@link Metrics#globalRegistry}, which records nothing
         * until the application adds a registry to it ({@code Metrics.addRegistry(...)}). Either way the store
         * removes its own meters when it closes.
         *
         * @param meterRegistry the registry, not null
         * @return this builder
         */
        public final B meterRegistry(MeterRegistry meterRegistry) {
            this.meterRegistry = meterRegistry;
            return self();
        }

        /**
         * Sets the {@code processor} metric tag, usually the {@code topicProcessorName} of the processor that uses
         * the store (optional, not blank). Default: the store's name.
         *
         * @param processor the tag
         * @return this builder
         */
        public final B processor(String processor) {
            this.processor = processor;
            return self();
        }

        /**
         * Validates the shared settings: the name is set and not blank, the registry is set, and the processor tag,
         * if set, is not blank.
         *
         * @param errors collects the invalid fields
         */
        protected final void validateCommon(ConfigErrors errors) {
            errors.requireNotBlank("name", name);
            errors.requireSet("meterRegistry", meterRegistry);
            if (processor != null) {
                errors.requireNotBlank("processor", processor);
            }
        }

        /**
         * Requires both or neither of a user and a password.
         *
         * @param errors collects the invalid fields
         * @param field the setter's name, e.g. {@code "credentials"}
         * @param username the user, null for none
         * @param password the password, null for none; never shown
         */
        protected static void checkCredentials(ConfigErrors errors, String field, String username, String password) {
            if ((username == null) != (password == null)) {
                errors.reject(field, "needs both username and password", username);
            }
        }

        /**
         * Validates every setting and builds the config.
         *
         * @return the immutable config
         * @throws io.kasper.InvalidConfigException naming every invalid field, its rule and its value
         */
        public abstract StoreConfig build();

        @SuppressWarnings("unchecked") // B is the subclass by the contract of the type parameter
        private B self() {
            return (B) this;
        }
    }
}
