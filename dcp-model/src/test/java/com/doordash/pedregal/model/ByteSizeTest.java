package com.doordash.pedregal.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

final class ByteSizeTest {
    @Test
    void readsSparkStyleSizes() {
        assertThat(ByteSize.bytes("512m")).isEqualTo(512L << 20);
        assertThat(ByteSize.bytes("4g")).isEqualTo(4L << 30);
        assertThat(ByteSize.bytes("4G")).isEqualTo(4L << 30);
        assertThat(ByteSize.bytes("2048k")).isEqualTo(2L << 20);
        assertThat(ByteSize.bytes("1gb")).isEqualTo(1L << 30);
        assertThat(ByteSize.bytes("100")).isEqualTo(100L << 20);
    }

    @Test
    void rejectsTextThatIsNotASize() {
        assertThat(ByteSize.isValid("8x")).isFalse();
        assertThat(ByteSize.isValid("")).isFalse();
        assertThat(ByteSize.isValid("0g")).isFalse();
        assertThat(ByteSize.isValid("-1g")).isFalse();
        assertThat(ByteSize.isValid(null)).isFalse();
    }

    @Test
    void writesWholeMebibytes() {
        assertThat(ByteSize.toMebibytes(4L << 30)).isEqualTo("4096m");
    }
}
