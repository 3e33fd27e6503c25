package io.kasper.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Checks that a configuration's {@code equals}, {@code hashCode} and {@code toBuilder()} cover every setting: for each
 * public setter of its builder (found by reflection, so a new setter cannot be overlooked) the test gives a variation,
 * and {@link #check()} asserts that the varied config differs from the base one, that {@code toBuilder()} keeps the
 * change and that varying a config's {@code toBuilder()} gives the config built directly. Kasper checks its own
 * configs with it; a store adapter's config test can do the same.
 *
 * <pre>{@code
 * ConfigSemantics.of(RedisStoreConfig.Builder.class, () -> RedisStoreConfig.builder().name("a").uri(uri).prefix("p"),
 *         RedisStoreConfig.Builder::build, RedisStoreConfig::toBuilder)
 *     .vary("name", b -> b.name("b"))
 *     .vary("prefix", b -> b.prefix("q"))
 *     // ... one per setter
 *     .check();
 * }</pre>
 *
 * <p>A variation must give an equal config each time it runs: use fixed instances (registries, listeners) rather than
 * new ones. Thread-safety: not thread-safe; use from one test thread.
 *
 * @param <B> the builder type
 * @param <C> the configuration type
 */
public final class ConfigSemantics<B, C> {

    private final Class<B> builderType;
    private final Supplier<B> valid;
    private final Function<B, C> build;
    private final Function<C, B> toBuilder;
    private final Map<String, Variation<B>> variations = new LinkedHashMap<>();

    private ConfigSemantics(Class<B> builderType, Supplier<B> valid, Function<B, C> build, Function<C, B> toBuilder) {
        this.builderType = builderType;
        this.valid = valid;
        this.build = build;
        this.toBuilder = toBuilder;
    }

    /**
     * Starts a check.
     *
     * @param builderType the builder class, whose public setters (methods returning the builder) must each be varied
     * @param valid returns a new builder holding a valid configuration, the base of every variation
     * @param build builds a configuration
     * @param toBuilder the configuration's {@code toBuilder()}
     * @param <B> the builder type
     * @param <C> the configuration type
     * @return the check, to add variations to
     */
    public static <B, C> ConfigSemantics<B, C> of(Class<B> builderType, Supplier<B> valid, Function<B, C> build,
            Function<C, B> toBuilder) {
        return new ConfigSemantics<>(builderType, valid, build, toBuilder);
    }

    /**
     * Adds the variation of one setter, applied to the valid base.
     *
     * @param setter the setter's name (overloads share one variation)
     * @param change calls the setter with a value other than the base's, still valid
     * @return this check
     */
    public ConfigSemantics<B, C> vary(String setter, UnaryOperator<B> change) {
        return vary(setter, UnaryOperator.identity(), change);
    }

    /**
     * Adds the variation of a setter that is valid only with other settings: {@code prepare} makes the base both
     * configs start from, so that they differ in {@code setter} alone.
     *
     * @param setter the setter's name (overloads share one variation)
     * @param prepare adjusts the valid base, e.g. switches to group-managed mode
     * @param change calls the setter with a value other than the prepared base's, still valid
     * @return this check
     */
    public ConfigSemantics<B, C> vary(String setter, UnaryOperator<B> prepare, UnaryOperator<B> change) {
        variations.put(setter, new Variation<>(prepare, change));
        return this;
    }

    /**
     * Runs the check.
     *
     * @throws AssertionError naming the setter the first failing assertion is about
     */
    public void check() {
        assertThat(new TreeSet<>(variations.keySet())).as("the variations must match the setters of %s one to one",
                builderType.getName()).isEqualTo(setters());
        C base = build.apply(valid.get());
        assertThat(build.apply(valid.get())).as("two configs built alike").isEqualTo(base)
                .hasSameHashCodeAs(base);
        assertThat(build.apply(toBuilder.apply(base))).as("toBuilder().build() of the base").isEqualTo(base)
                .hasSameHashCodeAs(base);
        variations.forEach((setter, variation) -> {
            C prepared = build.apply(variation.prepare.apply(valid.get()));
            C changed = build.apply(variation.change.apply(variation.prepare.apply(valid.get())));
            assertThat(changed).as("a config that differs in %s must not equal the other (is %s in equals?)", setter,
                    setter).isNotEqualTo(prepared);
            assertThat(build.apply(toBuilder.apply(changed))).as("toBuilder().build() must keep %s", setter)
                    .isEqualTo(changed).hasSameHashCodeAs(changed);
            assertThat(build.apply(variation.change.apply(toBuilder.apply(prepared))))
                    .as("toBuilder() then %s(...) must keep every other setting", setter).isEqualTo(changed);
        });
    }

    private Set<String> setters() {
        Set<String> names = new TreeSet<>();
        for (Method m : builderType.getMethods()) {
            if (!Modifier.isStatic(m.getModifiers()) && m.getDeclaringClass() != Object.class
                    && m.getReturnType().isAssignableFrom(builderType)) {
                names.add(m.getName());
            }
        }
        return names;
    }

    private record Variation<B>(UnaryOperator<B> prepare, UnaryOperator<B> change) {
    }
}
