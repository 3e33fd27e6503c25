package io.kasper.spring.boot;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a bean as the logic of the topic processor configured under {@code kasper.processors.<value>}: a
 * {@link io.kasper.MessageProcessor}, or a {@link io.kasper.TypedMessageProcessor} whose records are decoded with the
 * processor's {@code key-deserializer} and {@code value-deserializer}. Put it on a {@code @Component} class or on a
 * {@code @Bean} method. One bean per processor; the bean serves every partition the processor owns, always from the
 * processor's single loop thread.
 *
 * <p>Start-up fails, naming both, when a configured processor has no such bean, when a bean names a processor that
 * is not configured, or when two beans name the same processor.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface KasperProcessor {

    /**
     * The processor's key under {@code kasper.processors}.
     *
     * @return the processor's key, e.g. {@code word-count}
     */
    String value();
}
