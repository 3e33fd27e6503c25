package io.kasper.store;

/**
 * Converts values of type {@code V} to and from the bytes a {@link Store} keeps; used by {@link TypedStore}.
 *
 * <p>Plug in any format (JSON, Avro, Protobuf) by implementing the two methods. Implementations must be stateless or
 * thread-safe, because one codec serves every thread of a store.
 *
 * @param <V> the value type
 */
public interface Codec<V> {

    /**
     * Encodes a value.
     *
     * @param value the value, not null
     * @return its bytes, not null
     * @throws IllegalArgumentException when the value cannot be encoded
     */
    byte[] encode(V value);

    /**
     * Decodes a value.
     *
     * @param bytes bytes produced by {@link #encode}
     * @return the value, not null
     * @throws IllegalArgumentException when the bytes are not a valid encoding
     */
    V decode(byte[] bytes);

    /**
     * Returns the codec of strings as strict UTF-8: malformed bytes are rejected, not replaced. Thread-safe.
     *
     * @return the shared instance
     */
    static Codec<String> utf8() {
        return Utf8Codec.INSTANCE;
    }

    /**
     * Returns the codec of longs as 8 bytes, big-endian (two's complement). Thread-safe.
     *
     * @return the shared instance
     */
    static Codec<Long> int64() {
        return Int64Codec.INSTANCE;
    }
}
