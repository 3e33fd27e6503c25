package io.kasper.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class ReadingDeserializerTest {

    private final ReadingDeserializer deserializer = new ReadingDeserializer();

    @Test
    void readsTheCityBeforeTheLastCommaAndTheDegreesAfterIt() {
        assertThat(deserializer.deserialize("t", "Buenos Aires, 12.5".getBytes(UTF_8)))
                .isEqualTo(new Reading("Buenos Aires", 12.5));
        assertThat(deserializer.deserialize("t", "Oslo,-3.5".getBytes(UTF_8)).toString()).isEqualTo("Oslo -3.5 °C");
    }

    @Test
    void aTombstoneStaysNull() {
        assertThat(deserializer.deserialize("t", null)).isNull();
    }

    @Test
    void rejectsATemperatureBelowAbsoluteZeroQuotingTheLine() {
        assertThatThrownBy(() -> deserializer.deserialize("t", "Oslo,-300".getBytes(UTF_8)))
                .isInstanceOf(SerializationException.class)
                .hasMessage("not a reading: 'Oslo,-300' (expected '<city>,<degrees Celsius>', e.g. 'Auckland,14.5'): "
                        + "celsius must be a finite number of at least -273.15, was -300.0");
    }

    @Test
    void rejectsALineWithoutDegreesQuotingIt() {
        assertThatThrownBy(() -> deserializer.deserialize("t", "Reykjavik".getBytes(UTF_8)))
                .isInstanceOf(SerializationException.class)
                .hasMessage("not a reading: 'Reykjavik' (expected '<city>,<degrees Celsius>', e.g. 'Auckland,14.5'): "
                        + "no comma");
        assertThatThrownBy(() -> deserializer.deserialize("t", "Wellington,windy".getBytes(UTF_8)))
                .isInstanceOf(SerializationException.class)
                .hasMessage("not a reading: 'Wellington,windy' (expected '<city>,<degrees Celsius>', "
                        + "e.g. 'Auckland,14.5'): For input string: \"windy\"");
        assertThatThrownBy(() -> deserializer.deserialize("t", ",12".getBytes(UTF_8)))
                .isInstanceOf(SerializationException.class)
                .hasMessage("not a reading: ',12' (expected '<city>,<degrees Celsius>', e.g. 'Auckland,14.5'): "
                        + "city must not be blank, was ''");
    }
}
