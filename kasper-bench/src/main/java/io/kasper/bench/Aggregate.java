package io.kasper.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The running aggregate of one word: how many records and the sum of their numbers; encoded as {@code count,sum}.
 *
 * @param count records seen
 * @param sum sum of the numbers parsed from the payloads
 */
public record Aggregate(long count, long sum) {

    /** The aggregate of no record. */
    public static final Aggregate ZERO = new Aggregate(0, 0);

    /** Returns the sum of two aggregates. */
    public Aggregate plus(Aggregate other) {
        return new Aggregate(count + other.count, sum + other.sum);
    }

    /** Returns this aggregate with one more record whose payload starts with a 6-digit number. */
    public Aggregate add(byte[] payload) {
        return new Aggregate(count + 1, sum + number(payload));
    }

    /** Parses the 6-digit number at the start of a payload. */
    public static long number(byte[] payload) {
        long n = 0;
        for (int i = 0; i < 6; i++) {
            n = n * 10 + (payload[i] - '0');
        }
        return n;
    }

    /** Returns the encoding {@code count,sum}. */
    public String encode() {
        return count + "," + sum;
    }

    /** Returns the UTF-8 bytes of {@link #encode()}. */
    public byte[] bytes() {
        return encode().getBytes(UTF_8);
    }

    /** Decodes {@code count,sum}; null gives {@link #ZERO}. */
    public static Aggregate decode(String text) {
        if (text == null) {
            return ZERO;
        }
        int comma = text.indexOf(',');
        return new Aggregate(Long.parseLong(text.substring(0, comma)), Long.parseLong(text.substring(comma + 1)));
    }

    /** Decodes UTF-8 bytes of {@code count,sum}; null gives {@link #ZERO}. */
    public static Aggregate decode(byte[] bytes) {
        return bytes == null ? ZERO : decode(new String(bytes, UTF_8));
    }
}
