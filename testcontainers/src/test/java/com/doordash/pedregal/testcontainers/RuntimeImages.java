package com.doordash.pedregal.testcontainers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Builds the runtime images and the server's once per test JVM with {@code docker/build.sh}, from the runtimes this build assembled.
 * Docker's layer cache makes a rebuild of unchanged layers cheap. The base image is {@code BASE_IMAGE} when set, else
 * the local Debian one ({@code docker/base-image.sh}, built when missing), as no registry may be reachable.
 */
final class RuntimeImages {
    private static boolean built;

    private RuntimeImages() {
    }

    static synchronized void build() throws IOException, InterruptedException {
        if (built) {
            return;
        }
        Path root = Path.of("..").toAbsolutePath().normalize();
        ProcessBuilder builder = new ProcessBuilder(root.resolve("docker/build.sh").toString(), "3.5", "4.0", "server")
                .directory(root.toFile())
                .redirectErrorStream(true);
        builder.environment().putIfAbsent("BASE_IMAGE", "debian");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(20, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException("docker/build.sh failed:\n" + output);
        }
        System.out.print(output);
        built = true;
    }
}
