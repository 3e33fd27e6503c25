package io.kasper.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CodecTest {

    @Test
    void utf8RoundTripsUnicode() {
        String text = "héllo wörld ✓ 日本語 🎉";
        assertThat(Codec.utf8().decode(Codec.utf8().encode(text))).isEqualTo(text);
        assertThat(Codec.utf8().encode(text)).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void utf8RejectsMalformedBytesInsteadOfReplacingThem() {
        assertThatThrownBy(() -> Codec.utf8().decode(new byte[] {(byte) 0xC3, (byte) 0x28}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("utf8 codec cannot decode 2 bytes: not valid UTF-8");
    }

    @Test
    void utf8RejectsLoneSurrogates() {
        assertThatThrownBy(() -> Codec.utf8().encode("a\uD800b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("utf8 codec cannot encode a string with a lone surrogate");
    }

    @Test
    void int64EncodesEightBigEndianBytes() {
        assertThat(Codec.int64().encode(1L)).containsExactly(0, 0, 0, 0, 0, 0, 0, 1);
        for (long value : new long[] {0, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1234567890123L}) {
            assertThat(Codec.int64().decode(Codec.int64().encode(value))).isEqualTo(value);
        }
    }

    @Test
    void int64RejectsWrongLength() {
        assertThatThrownBy(() -> Codec.int64().decode(new byte[3]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("int64 codec expects 8 bytes, got 3");
    }
}
