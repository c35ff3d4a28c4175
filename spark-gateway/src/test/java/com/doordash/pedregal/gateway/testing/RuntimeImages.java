package com.doordash.pedregal.gateway.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Builds the runtime images ({@code dcp-spark:3.5}, {@code dcp-spark:4.0}) once per test JVM with {@code docker/build.sh},
 * from the runtimes this build assembled; Docker's layer cache makes a rebuild of unchanged layers take seconds. The
 * base image is {@code BASE_IMAGE} when set, else the local Debian one ({@code docker/base-image.sh}, built when
 * missing), as no registry may be reachable.
 */
public final class RuntimeImages {
    private static boolean built;

    private RuntimeImages() {
    }

    /** Builds the images unless this JVM did already; fails with the script's output. */
    public static synchronized void build() {
        if (built) {
            return;
        }
        Path root = Path.of("..").toAbsolutePath().normalize();
        ProcessBuilder builder = new ProcessBuilder(root.resolve("docker/build.sh").toString(), "3.5", "4.0")
                .directory(root.toFile())
                .redirectErrorStream(true);
        builder.environment().putIfAbsent("BASE_IMAGE", "debian");
        try {
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(20, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException("docker/build.sh failed:\n" + output);
            }
            System.out.print(output);
        }
        catch (IOException e) {
            throw new IllegalStateException("cannot run docker/build.sh", e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building the runtime images", e);
        }
        built = true;
    }
}
