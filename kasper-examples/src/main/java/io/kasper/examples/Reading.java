package io.kasper.examples;

import java.util.Locale;
import java.util.Objects;

/**
 * One temperature reading of the temperatures example: a city and degrees Celsius.
 *
 * <p>Thread-safety: immutable, so thread-safe.
 *
 * @param city where it was read, not blank
 * @param celsius the temperature in degrees Celsius, finite and not below absolute zero
 */
public record Reading(String city, double celsius) {

    /** Absolute zero in degrees Celsius: no reading is colder. */
    public static final double ABSOLUTE_ZERO = -273.15;

    /**
     * Checks the reading.
     *
     * @throws NullPointerException when {@code city} is null
     * @throws IllegalArgumentException when {@code city} is blank or {@code celsius} is not a possible temperature
     */
    public Reading {
        Objects.requireNonNull(city, "city");
        if (city.isBlank()) {
            throw new IllegalArgumentException("city must not be blank, was '" + city + "'");
        }
        if (!Double.isFinite(celsius) || celsius < ABSOLUTE_ZERO) {
            throw new IllegalArgumentException("celsius must be a finite number of at least " + ABSOLUTE_ZERO
                    + ", was " + celsius);
        }
    }

    /** Returns the reading as it is printed, e.g. {@code "Sydney 31.5 °C"}. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s %.1f °C", city, celsius);
    }
}
