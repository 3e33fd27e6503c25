package io.kasper.it;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Random input for {@code FuzzIT}: keys, values and headers drawn from a seeded {@link Random}, and an oracle that
 * tells, from the bytes alone, whether a record is deserializable by the test's strict deserializers (key: null or
 * well-formed UTF-8; value: null or an ASCII decimal long). The oracle walks the bytes by hand and does not share
 * code with those deserializers (which use {@code CharsetDecoder} and {@code Long.parseLong}).
 */
final class FuzzInput {

    /** Header keys drawn often, so that records carry duplicate keys; the last one is a stale dead-letter header. */
    private static final String[] HEADER_POOL = {"trace", "id", "", "ünïcödé-𝄞", "x", "kasper.dlt.offset"};

    /** Well-formed UTF-8 or ASCII text that is still no decimal long. */
    private static final String[] NOT_A_LONG = {"1.5", "-0.0", "1e10", "1E-3", "12345678901234567890",
        "9223372036854775808", "-9223372036854775809", " 42", "42 ", "+42", "0x1F", "-", "--1", "\"42\"", "true",
        "null", "{\"n\":1}", "[1,2]", "NaN", "Infinity", "٣", "１２", "4\u00002", "1_000", "", "-+1", "12a3"};

    /** Malformed UTF-8: overlong forms, surrogates, beyond U+10FFFF, 5-byte form, bare and truncated sequences. */
    private static final int[][] BAD_UTF8 = {{0xC0, 0x80}, {0xC1, 0xBF}, {0xE0, 0x80, 0x80}, {0xED, 0xA0, 0x80},
        {0xED, 0xBF, 0xBF}, {0xF0, 0x80, 0x80, 0x80}, {0xF4, 0x90, 0x80, 0x80}, {0xF8, 0x88, 0x80, 0x80, 0x80},
        {0xFF}, {0xFE}, {0x80}, {0xBF}, {0xE2, 0x82}, {0xC3}, {0xF0, 0x9F, 0x98}};

    private FuzzInput() {
    }

    /** The position of an input record. */
    record Id(int partition, long offset) {
        static Id of(ConsumerRecord<?, ?> record) {
            return new Id(record.partition(), record.offset());
        }

        @Override
        public String toString() {
            return partition + "@" + offset;
        }
    }

    /**
     * Records of every kind on every partition, with bursts of poison (so that some batches are poison only),
     * partition 0 ending with 80 and partition 1 starting with 60 of them.
     */
    static List<ProducerRecord<byte[], byte[]>> mixed(Random rng, String topic, int partitions, int perPartition) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            int burstLeft = 0;
            for (int i = 0; i < perPartition; i++) {
                if (burstLeft == 0 && rng.nextInt(400) == 0) {
                    burstLeft = 20 + rng.nextInt(100);
                }
                boolean burst = burstLeft > 0 || p == 1 && i < 60 || p == 0 && i >= perPartition - 80;
                burstLeft = Math.max(0, burstLeft - 1);
                byte[] key = anyKey(rng);
                byte[] value = burst ? badValue(rng) : anyValue(rng);
                records.add(new ProducerRecord<>(topic, p, null, key, value, headers(rng)));
            }
        }
        return records;
    }

    /** Clean records, the first {@code cleanPrefix} of each partition always, later each poison with {@code rate}. */
    static List<ProducerRecord<byte[], byte[]>> mostlyClean(Random rng, String topic, int partitions,
            int perPartition, int cleanPrefix, double rate) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            for (int i = 0; i < perPartition; i++) {
                boolean bad = i >= cleanPrefix && rng.nextDouble() < rate;
                byte[] key = bad && rng.nextBoolean() ? badUtf8(rng) : cleanKey(rng);
                byte[] value = bad ? badValue(rng) : cleanValue(rng);
                records.add(new ProducerRecord<>(topic, p, null, key, value, headers(rng)));
            }
        }
        return records;
    }

    // ---- the oracle ----

    /** Whether the test's strict deserializers accept the record: a null or UTF-8 key, a null or decimal long value. */
    static boolean deserializable(byte[] key, byte[] value) {
        return (key == null || isUtf8(key)) && (value == null || isDecimalLong(value));
    }

    /** The text the typed processor writes for a deserializable value: the long in canonical form, or "null". */
    static String canonicalValue(byte[] value) {
        return value == null ? "null" : new BigInteger(new String(value, US_ASCII)).toString();
    }

    /** Whether the bytes are an optional '-' and one or more ASCII digits, within the range of a long. */
    static boolean isDecimalLong(byte[] b) {
        int start = b.length > 0 && b[0] == '-' ? 1 : 0;
        if (start == b.length) {
            return false;
        }
        for (int i = start; i < b.length; i++) {
            if (b[i] < '0' || b[i] > '9') {
                return false;
            }
        }
        return new BigInteger(new String(b, US_ASCII)).bitLength() <= 63;
    }

    /** Whether the bytes are well-formed UTF-8 (Unicode table 3-7: no overlong forms, surrogates or > U+10FFFF). */
    static boolean isUtf8(byte[] b) {
        int i = 0;
        while (i < b.length) {
            int lead = b[i] & 0xFF;
            int continuation;
            int secondLow = 0x80;
            int secondHigh = 0xBF;
            if (lead < 0x80) {
                continuation = 0;
            } else if (lead >= 0xC2 && lead <= 0xDF) {
                continuation = 1;
            } else if (lead >= 0xE0 && lead <= 0xEF) {
                continuation = 2;
                secondLow = lead == 0xE0 ? 0xA0 : 0x80;
                secondHigh = lead == 0xED ? 0x9F : 0xBF;
            } else if (lead >= 0xF0 && lead <= 0xF4) {
                continuation = 3;
                secondLow = lead == 0xF0 ? 0x90 : 0x80;
                secondHigh = lead == 0xF4 ? 0x8F : 0xBF;
            } else {
                return false;
            }
            if (i + continuation >= b.length && continuation > 0) {
                return false;
            }
            for (int k = 1; k <= continuation; k++) {
                int c = b[i + k] & 0xFF;
                int low = k == 1 ? secondLow : 0x80;
                int high = k == 1 ? secondHigh : 0xBF;
                if (c < low || c > high) {
                    return false;
                }
            }
            i += continuation + 1;
        }
        return true;
    }

    /** A comparable text form of key, value and headers: hex bytes, "-" for null. */
    static String view(byte[] key, byte[] value, Iterable<Header> headers) {
        StringBuilder text = new StringBuilder("k=").append(hex(key)).append(" v=").append(hex(value)).append(" h=[");
        for (Header h : headers) {
            text.append(hex(h.key().getBytes(UTF_8))).append(':').append(hex(h.value())).append(',');
        }
        return text.append(']').toString();
    }

    static String view(ConsumerRecord<byte[], byte[]> r) {
        return view(r.key(), r.value(), r.headers());
    }

    static String view(ProducerRecord<byte[], byte[]> r) {
        return view(r.key(), r.value(), r.headers());
    }

    static String hex(byte[] bytes) {
        return bytes == null ? "-" : "0x" + HexFormat.of().formatHex(bytes);
    }

    // ---- generators ----

    private static byte[] anyKey(Random rng) {
        int r = rng.nextInt(100);
        if (r < 10) {
            return null;
        } else if (r < 18) {
            return new byte[0];
        } else if (r < 50) {
            return ascii(rng, 1 + rng.nextInt(24)).getBytes(UTF_8);
        } else if (r < 80) {
            return text(rng, 1 + rng.nextInt(24)).getBytes(UTF_8);
        } else if (r < 88) {
            return randomBytes(rng, 1 + rng.nextInt(32));
        } else if (r < 94) {
            return badUtf8(rng);
        }
        return text(rng, 100 + rng.nextInt(900)).getBytes(UTF_8);
    }

    private static byte[] cleanKey(Random rng) {
        int r = rng.nextInt(10);
        if (r == 0) {
            return null;
        }
        return (r < 6 ? ascii(rng, 1 + rng.nextInt(16)) : text(rng, 1 + rng.nextInt(16))).getBytes(UTF_8);
    }

    private static byte[] anyValue(Random rng) {
        int r = rng.nextInt(100);
        if (r < 6) {
            return null;
        } else if (r < 11) {
            return new byte[0];
        } else if (r < 60) {
            return cleanLong(rng);
        } else if (r < 68) {
            return NOT_A_LONG[rng.nextInt(NOT_A_LONG.length)].getBytes(UTF_8);
        } else if (r < 74) {
            return text(rng, 1 + rng.nextInt(200)).getBytes(UTF_8);
        } else if (r < 82) {
            return randomBytes(rng, 1 + rng.nextInt(64));
        } else if (r < 88) {
            return randomBytes(rng, 1 + rng.nextInt(10_240));
        } else if (r < 94) {
            return badUtf8(rng);
        }
        return randomDigitsWithJunk(rng);
    }

    private static byte[] cleanValue(Random rng) {
        return rng.nextInt(20) == 0 ? null : cleanLong(rng);
    }

    /** A value no strict long deserializer accepts. */
    private static byte[] badValue(Random rng) {
        return switch (rng.nextInt(4)) {
            case 0 -> NOT_A_LONG[rng.nextInt(NOT_A_LONG.length)].getBytes(UTF_8);
            case 1 -> badUtf8(rng);
            case 2 -> randomDigitsWithJunk(rng);
            default -> ("x" + ascii(rng, rng.nextInt(5_000))).getBytes(UTF_8);
        };
    }

    private static byte[] cleanLong(Random rng) {
        long n = switch (rng.nextInt(8)) {
            case 0 -> Long.MIN_VALUE;
            case 1 -> Long.MAX_VALUE;
            case 2 -> 0;
            case 3 -> rng.nextInt(1000) - 500;
            default -> rng.nextLong();
        };
        String text = Long.toString(n);
        int style = rng.nextInt(10);
        if (style == 0 && n >= 0) {
            text = "0".repeat(1 + rng.nextInt(30)) + text; // leading zeros: still a long
        } else if (style == 1 && n == 0) {
            text = "-0";
        }
        return text.getBytes(US_ASCII);
    }

    private static byte[] randomDigitsWithJunk(Random rng) {
        StringBuilder digits = new StringBuilder();
        for (int i = 1 + rng.nextInt(18); i > 0; i--) {
            digits.append((char) ('0' + rng.nextInt(10)));
        }
        byte[] junk = rng.nextBoolean() ? new byte[] {(byte) (rng.nextInt(0x80) | 0x80)}
                : new byte[] {(byte) " .,eE+xa\t\n".charAt(rng.nextInt(10))};
        int at = rng.nextInt(digits.length() + 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(digits.substring(0, at).getBytes(US_ASCII));
        out.writeBytes(junk);
        out.writeBytes(digits.substring(at).getBytes(US_ASCII));
        return out.toByteArray();
    }

    /** A malformed UTF-8 sequence, often between well-formed text. */
    private static byte[] badUtf8(Random rng) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (rng.nextBoolean()) {
            out.writeBytes(text(rng, rng.nextInt(10)).getBytes(UTF_8));
        }
        for (int b : BAD_UTF8[rng.nextInt(BAD_UTF8.length)]) {
            out.write(b);
        }
        if (rng.nextBoolean()) {
            out.writeBytes(ascii(rng, 1 + rng.nextInt(10)).getBytes(UTF_8)); // after a truncated sequence too
        }
        return out.toByteArray();
    }

    private static Headers headers(Random rng) {
        RecordHeaders headers = new RecordHeaders();
        int count = rng.nextInt(4) == 0 ? 0 : rng.nextInt(7);
        for (int i = 0; i < count; i++) {
            String key = rng.nextInt(3) == 0 ? text(rng, rng.nextInt(12)) : HEADER_POOL[rng.nextInt(HEADER_POOL.length)];
            int kind = rng.nextInt(10);
            byte[] value = kind < 2 ? null : kind < 3 ? new byte[0] : randomBytes(rng, 1 + rng.nextInt(64));
            headers.add(new RecordHeader(key, value));
        }
        return headers;
    }

    private static byte[] randomBytes(Random rng, int length) {
        byte[] bytes = new byte[length];
        rng.nextBytes(bytes);
        return bytes;
    }

    private static String ascii(Random rng, int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) (rng.nextInt(0x80)));
        }
        return text.toString();
    }

    /** Well-formed text of random code points: ASCII, the rest of the BMP without surrogates, supplementary planes. */
    private static String text(Random rng, int codePoints) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < codePoints; i++) {
            int r = rng.nextInt(100);
            int cp;
            if (r < 50) {
                cp = rng.nextInt(0x80);
            } else if (r < 85) {
                do {
                    cp = 0x80 + rng.nextInt(0x10000 - 0x80);
                } while (cp >= 0xD800 && cp <= 0xDFFF);
            } else {
                cp = 0x10000 + rng.nextInt(0x110000 - 0x10000);
            }
            text.appendCodePoint(cp);
        }
        return text.toString();
    }
}
