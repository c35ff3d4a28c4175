package com.doordash.pedregal.gateway.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Iceberg REST catalog server for tests: Iceberg's REST catalog servlet over a JDBC catalog
 * ({@code test-servers/iceberg-rest}), in a JVM of its own, listening on 127.0.0.1 only.
 */
public final class RestCatalogServer implements AutoCloseable {
    private final Process process;
    private final int port;

    private RestCatalogServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts a server whose catalog has the Iceberg properties {@code catalog} ({@code uri}, {@code warehouse},
     * {@code io-impl}, ...), logging to {@code dir/rest-catalog.log}; returns once it serves.
     */
    public static RestCatalogServer start(Path dir, Map<String, String> catalog) {
        Path module = Path.of("..", "test-servers", "iceberg-rest", "target").toAbsolutePath().normalize();
        if (!Files.isDirectory(module.resolve("classpath"))) {
            throw new IllegalStateException(module + "/classpath is missing: build test-servers/iceberg-rest first");
        }
        try {
            int port = ChildServers.freePort();
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "-cp", module.resolve("classes") + File.pathSeparator + module.resolve("classpath") + "/*",
                    "com.doordash.pedregal.testservers.RestCatalogMain", Integer.toString(port)));
            catalog.forEach((key, value) -> command.add(key + "=" + value));
            Path log = dir.resolve("rest-catalog.log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(log).contains("REST catalog listening on")) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new IllegalStateException("the REST catalog server did not start:\n" + Files.readString(log));
                }
                Thread.sleep(100);
            }
            return new RestCatalogServer(process, port);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Its address, {@code http://127.0.0.1:<port>}. */
    public String uri() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        ChildServers.stop(process);
    }
}
