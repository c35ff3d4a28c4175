package com.doordash.pedregal.gateway.connect;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.model.ByteSize;
import com.doordash.pedregal.model.config.ConfigProperties;
import com.doordash.pedregal.model.driver.DriverClasses;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Configuration of the shared Spark Connect test cluster and of its proxy.
 *
 * @param enabled whether the server starts the test cluster and its proxy — key {@code test-cluster.enabled}
 * @param port the Spark Connect server's own port on 127.0.0.1; 0 picks a free port — {@code test-cluster.port}
 * @param proxyPort the port users connect to ({@code sc://host:15002}); 0 picks a free port — {@code test-cluster.proxy-port}
 * @param sparkVersion the runtime the cluster runs from; it must hold {@code spark-connect} — {@code test-cluster.spark-version}
 * @param driverMemory the heap of the cluster's JVM, in bytes — {@code test-cluster.driver-memory}
 * @param healthInterval how often the supervisor checks that the cluster answers — {@code test-cluster.health-interval}
 * @param startTimeout how long one start may take before it counts as failed — {@code test-cluster.start-timeout}
 * @param extensions Spark SQL extension classes loaded after Iceberg's, comma-separated; empty for none —
 *     {@code test-cluster.extensions}
 * @param maxConcurrentTests how many {@code test} calls may wait on the cluster at once; more are answered 503 at
 *     once — {@code test-cluster.max-concurrent-tests}
 * @param callTimeout how long one {@code test} call may wait on the cluster, retries included; then 503 —
 *     {@code test-cluster.call-timeout}
 * @param backend where the cluster runs: a child JVM of the server ({@code local}) or a container of the runtime image
 *     on the engine of {@code gateway.docker.*} ({@code docker}) — {@code test-cluster.backend}
 */
public record TestClusterConfig(
        boolean enabled,
        int port,
        int proxyPort,
        String sparkVersion,
        long driverMemory,
        Duration healthInterval,
        Duration startTimeout,
        List<String> extensions,
        int maxConcurrentTests,
        Duration callTimeout,
        Backend backend) {
    /** The read-only extension of the platform's CoreETL jar: it rejects every write and DDL plan. */
    public static final String READ_ONLY_EXTENSIONS = DriverClasses.READ_ONLY_EXTENSIONS;

    /** Where the cluster runs. */
    public enum Backend {
        /** A child JVM of the server, bound to it. */
        LOCAL,
        /** A container of the runtime image. */
        DOCKER
    }

    public TestClusterConfig {
        requireNonNull(sparkVersion, "sparkVersion is null");
        requireNonNull(backend, "backend is null");
        requireNonNull(healthInterval, "healthInterval is null");
        requireNonNull(startTimeout, "startTimeout is null");
        extensions = List.copyOf(extensions);
        if (healthInterval.isZero() || healthInterval.isNegative()) {
            throw new IllegalArgumentException("test-cluster.health-interval: " + healthInterval + " (expected: > 0)");
        }
        requireNonNull(callTimeout, "callTimeout is null");
        if (callTimeout.isZero() || callTimeout.isNegative()) {
            throw new IllegalArgumentException("test-cluster.call-timeout: " + callTimeout + " (expected: > 0)");
        }
        if (startTimeout.isZero() || startTimeout.isNegative()) {
            throw new IllegalArgumentException("test-cluster.start-timeout: " + startTimeout + " (expected: > 0)");
        }
        if (driverMemory < (256L << 20)) {
            throw new IllegalArgumentException("test-cluster.driver-memory: " + ByteSize.toMebibytes(driverMemory)
                    + " (expected: at least 256m)");
        }
        for (String extension : extensions) {
            if (!extension.matches("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*")) {
                throw new IllegalArgumentException("test-cluster.extensions: \"" + extension
                        + "\" is not a class name");
            }
        }
    }

    /** Reads the {@code test-cluster.*} keys. */
    public static TestClusterConfig from(ConfigProperties properties) {
        return new TestClusterConfig(
                properties.bool("test-cluster.enabled", true),
                properties.integer("test-cluster.port", 0, 0, 65_535),
                properties.integer("test-cluster.proxy-port", 15_002, 0, 65_535),
                properties.string("test-cluster.spark-version", "4.0"),
                properties.bytes("test-cluster.driver-memory", 2L << 30),
                properties.duration("test-cluster.health-interval", Duration.ofSeconds(2)),
                properties.duration("test-cluster.start-timeout", Duration.ofMinutes(2)),
                Arrays.stream(properties.string("test-cluster.extensions", READ_ONLY_EXTENSIONS).split(","))
                        .map(String::strip)
                        .filter(name -> !name.isEmpty())
                        .toList(),
                properties.integer("test-cluster.max-concurrent-tests", 32, 1, 10_000),
                properties.duration("test-cluster.call-timeout", Duration.ofSeconds(60)),
                backend(properties.string("test-cluster.backend", "local")));
    }

    private static Backend backend(String name) {
        return switch (name) {
            case "local" -> Backend.LOCAL;
            case "docker" -> Backend.DOCKER;
            default -> throw new IllegalArgumentException("test-cluster.backend: \"" + name
                    + "\" is not a test cluster backend (expected local or docker)");
        };
    }
}
