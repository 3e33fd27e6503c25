package io.kasper.examples;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * A Kafka {@link Deserializer} of {@link Reading}s written as UTF-8 text {@code "<city>,<degrees Celsius>"}, e.g.
 * {@code "Buenos Aires,12.5"}.
 *
 * <p>Text that is not a reading is rejected with a {@link SerializationException} quoting it, so that a
 * {@link io.kasper.DeserializingProcessor} treats its record as a poison message.
 *
 * <p>Thread-safety: stateless, so thread-safe.
 */
public final class ReadingDeserializer implements Deserializer<Reading> {

    /** Creates the deserializer. */
    public ReadingDeserializer() {
    }

    /**
     * Parses a reading.
     *
     * @param topic the record's topic (unused)
     * @param data UTF-8 text, or null for a tombstone
     * @return the reading, or null when {@code data} is null
     * @throws SerializationException when the text is not {@code "<city>,<degrees Celsius>"} with a non-blank city
     *     and a possible temperature; the message quotes the text and the expected format
     */
    @Override
    public Reading deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        String text = new String(data, StandardCharsets.UTF_8);
        int comma = text.lastIndexOf(',');
        try {
            if (comma < 0) {
                throw new IllegalArgumentException("no comma");
            }
            return new Reading(text.substring(0, comma).strip(), Double.parseDouble(text.substring(comma + 1)));
        } catch (IllegalArgumentException e) {
            throw new SerializationException("not a reading: '" + text + "' (expected '<city>,<degrees Celsius>', "
                    + "e.g. 'Auckland,14.5'): " + e.getMessage());
        }
    }
}
