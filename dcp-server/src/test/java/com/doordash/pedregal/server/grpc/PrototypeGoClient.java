package com.doordash.pedregal.server.grpc;

import com.doordash.pedregal.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.opentest4j.TestAbortedException;

/**
 * Builds and runs the conformance driver ({@code src/test/go/conformance}) with the seed prototype's Go REST
 * client, unchanged, as its module's package {@code client-examples/dcp-rest-client}. Go comes from the machine
 * (Debian's {@code golang-go}; standard library only, no module proxy). Without Go the run is aborted (the test
 * skips), unless {@code DCP_REQUIRE_GO=1}, as {@code .ci/run} sets, makes that a failure.
 */
final class PrototypeGoClient {
    private static final String MODULE = "github.com/doordash/spark-platform-docker-images";
    private static final String CLIENT = "prototype/client-examples/dcp-rest-client/client.go";
    private static final Path DRIVER = Path.of("src/test/go/conformance/main.go");
    private static final Path WORK = Path.of("target/go-conformance").toAbsolutePath();
    private static final long BUILD_MINUTES = 5;
    private static final long RUN_MINUTES = 8;

    /** What one run of the driver printed. */
    record Run(JsonNode report) {
    }

    private PrototypeGoClient() {
    }

    /** Builds the driver and runs it against the server at {@code url}; the driver's jobs use {@code jar}. */
    static Run run(String url, String token, String jar, String namePrefix) {
        Path go = go();
        try {
            Path module = WORK.resolve("module");
            Files.createDirectories(module.resolve("client-examples/dcp-rest-client"));
            Files.createDirectories(module.resolve("cmd/conformance"));
            Files.writeString(module.resolve("go.mod"), "module " + MODULE + "\n\ngo 1.19\n");
            try (InputStream client = Objects.requireNonNull(PrototypeGoClient.class.getClassLoader().getResourceAsStream(CLIENT),
                    CLIENT + " is not on the test class path")) {
                Files.write(module.resolve("client-examples/dcp-rest-client/client.go"), client.readAllBytes());
            }
            Files.copy(DRIVER, module.resolve("cmd/conformance/main.go"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Path binary = WORK.resolve("conformance");
            run(List.of(go.toString(), "build", "-o", binary.toString(), "./cmd/conformance"), module, BUILD_MINUTES, Map.of());
            String output = run(List.of(binary.toString(), "-url", url, "-jar", jar, "-name", namePrefix), module, RUN_MINUTES,
                    Map.of("DCP_TOKEN", token));
            return new Run(Json.mapper().readTree(output));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path go() {
        Stream<Path> candidates = Stream.concat(
                Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)).map(dir -> Path.of(dir, "go")),
                Stream.of(Path.of("/usr/lib/go/bin/go"), Path.of("/usr/local/go/bin/go")));
        return candidates.filter(path -> Files.isRegularFile(path) && Files.isExecutable(path)).findFirst().orElseGet(() -> {
            String reason = "Go is not installed (apt-get install golang-go): the prototype's Go client cannot be run";
            if ("1".equals(System.getenv("DCP_REQUIRE_GO"))) {
                throw new AssertionError("DCP_REQUIRE_GO=1 but " + reason);
            }
            throw new TestAbortedException(reason);
        });
    }

    private static String run(List<String> command, Path dir, long minutes, Map<String, String> extraEnv) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        Map<String, String> env = builder.environment();
        env.putAll(extraEnv);
        // Only the standard library: no module proxy, no network; caches under target/.
        env.put("GOPROXY", "off");
        env.put("GOFLAGS", "-mod=mod");
        env.put("GO111MODULE", "on");
        env.put("CGO_ENABLED", "0");
        env.put("GOCACHE", WORK.resolve("cache").toString());
        env.put("GOPATH", WORK.resolve("gopath").toString());
        env.put("HOME", WORK.toString());
        Path stderr = Files.createTempFile(WORK, "stderr", ".txt");
        builder.redirectError(stderr.toFile());
        Process process = builder.start();
        byte[] stdout = process.getInputStream().readAllBytes();
        try {
            if (!process.waitFor(minutes, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not end within " + minutes + " minutes");
            }
        }
        catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        String errors = Files.readString(stderr);
        Files.delete(stderr);
        if (process.exitValue() != 0) {
            throw new AssertionError(command.get(0) + " " + command.get(1) + " exited with " + process.exitValue() + ":\n"
                    + errors + new String(stdout, StandardCharsets.UTF_8));
        }
        return new String(stdout, StandardCharsets.UTF_8);
    }
}
