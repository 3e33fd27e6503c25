package io.kasper.store;

import java.nio.ByteBuffer;

/** {@link Codec} of longs as 8 big-endian bytes. Thread-safe. */
final class Int64Codec implements Codec<Long> {

    static final Int64Codec INSTANCE = new Int64Codec();

    private Int64Codec() {
    }

    @Override
    public byte[] encode(Long value) {
        return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
    }

    @Override
    public Long decode(byte[] bytes) {
        if (bytes.length != Long.BYTES) {
            throw new IllegalArgumentException("int64 codec expects 8 bytes, got " + bytes.length);
        }
        return ByteBuffer.wrap(bytes).getLong();
    }

    @Override
    public String toString() {
        return "int64";
    }
}
