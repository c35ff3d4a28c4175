package com.doordash.pedregal.gateway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real S3-compatible server for tests: S3Proxy (chosen for being on Maven Central, pure Java, and storing objects as
 * plain files of a folder) in a JVM of its own from the class path {@code test-servers} assembles, listening on
 * 127.0.0.1 only, with AWS signature authentication and the given buckets.
 */
public final class S3Server implements AutoCloseable {
    private final Process process;
    private final URI endpoint;
    private final String accessKey;
    private final String secretKey;

    private S3Server(Process process, URI endpoint, String accessKey, String secretKey) {
        this.process = process;
        this.endpoint = endpoint;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    /** Starts a server storing under {@code dir}, with the buckets {@code buckets}; returns once it answers. */
    public static S3Server start(Path dir, String accessKey, String secretKey, String... buckets) {
        Path classPath = Path.of("..", "test-servers", "s3proxy", "target", "classpath").toAbsolutePath().normalize();
        if (!Files.isDirectory(classPath)) {
            throw new IllegalStateException(classPath + " is missing: build test-servers/s3proxy first");
        }
        try {
            Path data = Files.createDirectories(dir.resolve("data"));
            for (String bucket : buckets) {
                Files.createDirectories(data.resolve(bucket));
            }
            int port = ChildServers.freePort();
            Path conf = dir.resolve("s3proxy.conf");
            Files.writeString(conf, String.join("\n",
                    "s3proxy.endpoint=http://127.0.0.1:" + port,
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + accessKey,
                    "s3proxy.credential=" + secretKey,
                    "jclouds.provider=filesystem",
                    "jclouds.filesystem.basedir=" + data), StandardCharsets.UTF_8);
            Path logback = dir.resolve("logback.xml");
            Files.writeString(logback, "<configuration><appender name=\"o\" class=\"ch.qos.logback.core.ConsoleAppender\">"
                    + "<encoder><pattern>%d %level %logger{20} %msg%n</pattern></encoder></appender>"
                    + "<root level=\"WARN\"><appender-ref ref=\"o\"/></root></configuration>", StandardCharsets.UTF_8);
            Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-Dlogback.configurationFile=" + logback, "-cp", classPath + "/*",
                    "org.gaul.s3proxy.Main", "--properties", conf.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("s3proxy.log").toFile())
                    .start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!answers(port)) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new IllegalStateException("S3Proxy did not start:\n" + Files.readString(dir.resolve("s3proxy.log")));
                }
                Thread.sleep(100);
            }
            return new S3Server(process, URI.create("http://127.0.0.1:" + port), accessKey, secretKey);
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
    public URI endpoint() {
        return endpoint;
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    @Override
    public void close() {
        ChildServers.stop(process);
    }

    private static boolean answers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        }
        catch (IOException e) {
            return false;
        }
    }
}
