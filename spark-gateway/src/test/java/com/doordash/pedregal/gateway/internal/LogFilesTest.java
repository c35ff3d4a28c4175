package com.doordash.pedregal.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class LogFilesTest {
    @TempDir
    Path dir;

    @Test
    void tailReturnsTheLastLinesWithOrWithoutAFinalNewline() throws Exception {
        Path withNewline = Files.writeString(dir.resolve("a.log"), "one\ntwo\nthree\n");
        Path without = Files.writeString(dir.resolve("b.log"), "one\ntwo\nthree");

        assertThat(LogFiles.tail(withNewline, 2)).isEqualTo("two\nthree\n");
        assertThat(LogFiles.tail(without, 2)).isEqualTo("two\nthree");
        assertThat(LogFiles.tail(withNewline, 10)).isEqualTo("one\ntwo\nthree\n");
        assertThat(LogFiles.tail(withNewline, 0)).isEmpty();
    }

    @Test
    void lastLinesOfATextCountLikeTheTailOfAFile() {
        assertThat(LogFiles.lastLines("one\ntwo\nthree\n", 2)).isEqualTo("two\nthree\n");
        assertThat(LogFiles.lastLines("one\ntwo\nthree", 2)).isEqualTo("two\nthree");
        assertThat(LogFiles.lastLines("one\ntwo\nthree\n", 10)).isEqualTo("one\ntwo\nthree\n");
        assertThat(LogFiles.lastLines("one\n", 0)).isEmpty();
        assertThat(LogFiles.lastLines("", 3)).isEmpty();
    }

    @Test
    void tailReadsAcrossChunkBoundaries() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 5_000; i++) {
            text.append("line ").append(i).append('\n');
        }
        Path file = Files.writeString(dir.resolve("big.log"), text);

        assertThat(LogFiles.tail(file, 3)).isEqualTo("line 4997\nline 4998\nline 4999\n");
        assertThat(LogFiles.tail(file, 2_000).lines().count()).isEqualTo(2_000);
    }

    @Test
    void missingFileReadsAsEmpty() {
        assertThat(LogFiles.tail(dir.resolve("none"), 5)).isEmpty();
        assertThat(LogFiles.readCapped(dir.resolve("none"))).isEmpty();
        assertThat(LogFiles.readIfExists(dir.resolve("none"))).isEmpty();
    }

    @Test
    void lastMatchingFindsTheNewestMatchingLine() throws Exception {
        Path file = Files.writeString(dir.resolve("c.log"), "Error: first\nok\n  Exception: second  \nfine\n");

        assertThat(LogFiles.lastMatching(file, 100, line -> line.contains("Exception") || line.contains("Error")))
                .contains("Exception: second");
        assertThat(LogFiles.lastMatching(file, 100, line -> line.contains("nothing"))).isEmpty();
    }
}
