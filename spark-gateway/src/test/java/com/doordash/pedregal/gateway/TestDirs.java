package com.doordash.pedregal.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

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
}
