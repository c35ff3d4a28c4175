package com.doordash.pedregal.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    void aSizeThatWouldOverflowIsRefusedNotWrappedAround() {
        // 17179869185g is 2^34 + 1 GiB: shifted by 30 bits it wraps to exactly 1 GiB in a long.
        assertThat(ByteSize.isValid("17179869185g")).isFalse();
        assertThat(ByteSize.problem("17179869185g")).contains("\"17179869185g\" is more than 1024t, the largest size accepted");
        assertThatThrownBy(() -> ByteSize.bytes("17179869185g")).hasMessageContaining("largest size accepted");
        assertThat(ByteSize.bytes("1024t")).isEqualTo(ByteSize.MAX_BYTES);
        assertThat(ByteSize.isValid("1025t")).isFalse();
        assertThat(ByteSize.isValid("999999999999")).isFalse();
    }

    @Test
    void writesWholeMebibytes() {
        assertThat(ByteSize.toMebibytes(4L << 30)).isEqualTo("4096m");
    }
}
