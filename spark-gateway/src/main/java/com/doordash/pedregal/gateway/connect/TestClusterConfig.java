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
 * @param backend where the cluster runs: a child JVM of the server ({@code local}), a container of the runtime image
 *     on the engine of {@code gateway.docker.*} ({@code docker}), or a Spark Operator {@code SparkApplication} on the
 *     cluster of {@code gateway.kubernetes.*} ({@code kubernetes}) — {@code test-cluster.backend}
 * @param kubernetes where and how large the cluster is on Kubernetes — {@code test-cluster.kubernetes.*}
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
        Backend backend,
        OnKubernetes kubernetes) {
    /** The read-only extension of the platform's CoreETL jar: it rejects every write and DDL plan. */
    public static final String READ_ONLY_EXTENSIONS = DriverClasses.READ_ONLY_EXTENSIONS;

    /** Where the cluster runs. */
    public enum Backend {
        /** A child JVM of the server, bound to it. */
        LOCAL,
        /** A container of the runtime image. */
        DOCKER,
        /** A Spark Operator {@code SparkApplication} (the seed's {@code dcp-test-cluster}). */
        KUBERNETES
    }

    /**
     * The test cluster as a {@code SparkApplication}: the seed's sizes by default.
     *
     * @param namespace where the application, its Service and its token's Secret live —
     *     {@code test-cluster.kubernetes.namespace}, default {@code pedregal-system}
     * @param address {@code host:port} where the platform reaches the cluster's Service —
     *     {@code test-cluster.kubernetes.address}, default {@code dcp-test-cluster.<namespace>.svc:15002}
     * @param driverCores {@code test-cluster.kubernetes.driver-cores}, default 4 (the driver's heap is
     *     {@code test-cluster.driver-memory})
     * @param executors {@code test-cluster.kubernetes.executors}, default 4
     * @param executorCores {@code test-cluster.kubernetes.executor-cores}, default 2
     * @param executorMemory {@code test-cluster.kubernetes.executor-memory}, default 4g
     */
    public record OnKubernetes(String namespace, String address, int driverCores, int executors, int executorCores,
            long executorMemory) {
        /** The Spark Connect port of the cluster's driver and Service. */
        public static final int PORT = 15_002;

        public OnKubernetes {
            requireNonNull(namespace, "namespace is null");
            requireNonNull(address, "address is null");
            if (!namespace.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
                throw new IllegalArgumentException("test-cluster.kubernetes.namespace: \"" + namespace
                        + "\" is not a Kubernetes namespace name (lower-case letters, digits and '-', at most 63)");
            }
            int colon = address.lastIndexOf(':');
            if (colon <= 0 || !address.substring(colon + 1).matches("[0-9]{1,5}")
                    || Integer.parseInt(address.substring(colon + 1)) > 65_535) {
                throw new IllegalArgumentException("test-cluster.kubernetes.address: \"" + address
                        + "\" is not host:port");
            }
        }

        /** The host of {@link #address}. */
        public String host() {
            return address.substring(0, address.lastIndexOf(':'));
        }

        /** The port of {@link #address}. */
        public int port() {
            return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
        }

        static OnKubernetes from(ConfigProperties properties) {
            String namespace = properties.string("test-cluster.kubernetes.namespace", "pedregal-system");
            return new OnKubernetes(namespace,
                    properties.string("test-cluster.kubernetes.address", "dcp-test-cluster." + namespace + ".svc:" + PORT),
                    properties.integer("test-cluster.kubernetes.driver-cores", 4, 1, 1024),
                    properties.integer("test-cluster.kubernetes.executors", 4, 0, 10_000),
                    properties.integer("test-cluster.kubernetes.executor-cores", 2, 1, 1024),
                    properties.bytes("test-cluster.kubernetes.executor-memory", 4L << 30));
        }
    }

    public TestClusterConfig {
        requireNonNull(sparkVersion, "sparkVersion is null");
        requireNonNull(backend, "backend is null");
        requireNonNull(kubernetes, "kubernetes is null");
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
                backend(properties.string("test-cluster.backend", "local")),
                OnKubernetes.from(properties));
    }

    private static Backend backend(String name) {
        return switch (name) {
            case "local" -> Backend.LOCAL;
            case "docker" -> Backend.DOCKER;
            case "kubernetes" -> Backend.KUBERNETES;
            default -> throw new IllegalArgumentException("test-cluster.backend: \"" + name
                    + "\" is not a test cluster backend (expected local, docker or kubernetes)");
        };
    }
}
