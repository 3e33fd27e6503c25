package io.kasper.spring.boot;

import io.kasper.DeserializingProcessor;
import io.kasper.InvalidConfigException;
import io.kasper.MessageProcessor;
import io.kasper.TypedMessageProcessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.beans.factory.ListableBeanFactory;

/**
 * Finds the logic bean of each configured processor: the bean annotated {@link KasperProcessor} with its key. Checks
 * both ways at start-up, so that a processor without logic and logic without a processor fail by name.
 *
 * <p>Thread-safety: immutable once built, so thread-safe.
 */
final class ProcessorLogic {

    private final ListableBeanFactory beans;
    private final Map<String, String> beanNameByProcessor = new TreeMap<>();

    /**
     * Matches the annotated beans to the configured processors.
     *
     * @param beans the bean factory
     * @param processors the configured processors' keys
     * @throws InvalidConfigException naming every processor without a bean, bean without a processor, and processor
     *     with two beans
     */
    ProcessorLogic(ListableBeanFactory beans, Set<String> processors) {
        this.beans = beans;
        List<String> errors = new ArrayList<>();
        for (String beanName : beans.getBeanNamesForAnnotation(KasperProcessor.class)) {
            KasperProcessor annotation = beans.findAnnotationOnBean(beanName, KasperProcessor.class);
            String key = annotation.value();
            if (!processors.contains(key)) {
                errors.add("bean '" + beanName + "' is annotated @KasperProcessor(\"" + key + "\") but kasper.processors."
                        + key + " is not configured (configured: " + new TreeSet<>(processors)
                        + "): add its settings or fix the name");
            } else if (beanNameByProcessor.containsKey(key)) {
                errors.add("beans '" + beanNameByProcessor.get(key) + "' and '" + beanName
                        + "' are both annotated @KasperProcessor(\"" + key + "\"): keep one per processor");
            } else {
                beanNameByProcessor.put(key, beanName);
            }
        }
        for (String key : new TreeSet<>(processors)) {
            if (!beanNameByProcessor.containsKey(key)) {
                errors.add("kasper.processors." + key + " has no logic: annotate a MessageProcessor or "
                        + "TypedMessageProcessor bean with @KasperProcessor(\"" + key + "\")");
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidConfigException("invalid Kasper processors: " + String.join("; ", errors));
        }
    }

    /**
     * Returns the processor's logic as a {@link MessageProcessor}: the bean itself, or a {@link TypedMessageProcessor}
     * bean in a {@link DeserializingProcessor} with the configured deserializers.
     *
     * @param key the processor's key
     * @param p its properties
     * @return the logic for every partition
     * @throws InvalidConfigException when the bean is of neither type, or a deserializer is not a Kafka
     *     {@code Deserializer} or is set for a plain {@code MessageProcessor}
     */
    MessageProcessor logicFor(String key, KasperProperties.Processor p) {
        String beanName = beanNameByProcessor.get(key);
        Object bean = beans.getBean(beanName);
        String where = "kasper.processors." + key;
        if (bean instanceof MessageProcessor processor) {
            if (p.keyDeserializer() != null || p.valueDeserializer() != null) {
                throw new InvalidConfigException(where + ".key-deserializer and value-deserializer apply to a "
                        + "TypedMessageProcessor, but bean '" + beanName + "' is a MessageProcessor of raw bytes: "
                        + "remove them or make the bean a TypedMessageProcessor");
            }
            return processor;
        }
        if (bean instanceof TypedMessageProcessor<?, ?> typed) {
            return typed(typed, deserializer(where + ".key-deserializer", p.keyDeserializer(), true),
                    deserializer(where + ".value-deserializer", p.valueDeserializer(), false));
        }
        throw new InvalidConfigException("bean '" + beanName + "' annotated @KasperProcessor(\"" + key + "\") is a "
                + bean.getClass().getName() + ": it must implement io.kasper.MessageProcessor or "
                + "io.kasper.TypedMessageProcessor");
    }

    @SuppressWarnings("unchecked")
    private static <K, V> MessageProcessor typed(TypedMessageProcessor<?, ?> typed, Deserializer<?> keys,
            Deserializer<?> values) {
        // The bean's type arguments are erased: the deserializers' output types are the user's promise, as in Kafka.
        return new DeserializingProcessor<>((Deserializer<K>) keys, (Deserializer<V>) values,
                (TypedMessageProcessor<K, V>) typed);
    }

    private static Deserializer<?> deserializer(String property, Class<?> type, boolean isKey) {
        if (type == null) {
            return new StringDeserializer();
        }
        if (!Deserializer.class.isAssignableFrom(type)) {
            throw new InvalidConfigException(property + " must name an org.apache.kafka.common.serialization."
                    + "Deserializer, was " + type.getName());
        }
        try {
            Deserializer<?> d = (Deserializer<?>) type.getDeclaredConstructor().newInstance();
            d.configure(Map.of(), isKey);
            return d;
        } catch (ReflectiveOperationException e) {
            throw new InvalidConfigException(property + " must have a public no-argument constructor, was "
                    + type.getName(), e);
        }
    }
}
