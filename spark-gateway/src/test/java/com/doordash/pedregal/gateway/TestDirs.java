package com.doordash.pedregal.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/** Test folders that drivers running as run users (the sandbox, when tests run as root) can reach, as a data dir is. */
public final class TestDirs {
    private TestDirs() {
    }

    /** Makes {@code dir} (a JUnit temporary folder, {@code 0700}) searchable by other users, as the server makes its data dir. */
    public static Path reachable(Path dir) {
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
            return dir;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes {@code dir} and what it holds, as far as this user may: a test fixture's own folder, after its class. */
    public static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        }
        catch (IOException e) {
            // left for the machine's temporary-file cleaning
        }
    }
}
