package com.doordash.pedregal.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The prototype's files stay byte for byte what its users hold (src/test/resources/prototype/ORIGIN.md). */
final class PrototypeFixturesTest {
    private static final Path PROTOTYPE = Path.of("src/test/resources/prototype");

    @Test
    void prototypeFilesAreUnchangedCopies() throws IOException, NoSuchAlgorithmException {
        Map<String, String> recorded = new TreeMap<>();
        for (String line : Files.readAllLines(PROTOTYPE.resolve("SHA256SUMS"))) {
            String[] parts = line.split("\\s+", 2);
            recorded.put(parts[1], parts[0]);
        }
        Map<String, String> actual = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(PROTOTYPE.resolve("client-examples"))) {
            files = walk.filter(Files::isRegularFile).collect(Collectors.toList());
        }
        for (Path file : files) {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
            actual.put(PROTOTYPE.relativize(file).toString(), HexFormat.of().formatHex(digest));
        }

        assertThat(actual).isEqualTo(recorded).hasSize(6);
    }
}
