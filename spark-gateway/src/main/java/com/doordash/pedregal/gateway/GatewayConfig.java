package com.doordash.pedregal.gateway;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.model.config.ConfigProperties;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Configuration the gateway's backends share; each backend has its own besides ({@code LocalConfig},
 * {@code StandaloneConfig}).
 *
 * @param runtimesDir folder with one Spark runtime per version ({@code 3.5/jars}, {@code 3.5/conf}, {@code 3.5/app}) — key {@code gateway.runtimes-dir}
 * @param runsDir where each run gets its working directory and driver log — {@code gateway.runs-dir}
 * @param warehouseDir the warehouse of the {@code pedregal} Iceberg catalog — {@code gateway.warehouse-dir}
 * @param javaHome the JDK that runs drivers; must be 17 — {@code gateway.java-home}
 * @param cancelGrace how long a driver may shut down after SIGTERM before it is killed — {@code gateway.cancel-grace}
 * @param sandbox which operating-system users run Spark JVMs on this machine — {@code gateway.sandbox.*}
 * @param catalog the {@code pedregal} Iceberg catalog of every driver and the test cluster — {@code gateway.catalog.*},
 *     {@code gateway.s3.*}
 */
public record GatewayConfig(
        Path runtimesDir,
        Path runsDir,
        Path warehouseDir,
        Path javaHome,
        Duration cancelGrace,
        SandboxConfig sandbox,
        CatalogConfig catalog) {
    public GatewayConfig {
        requireNonNull(runtimesDir, "runtimesDir is null");
        requireNonNull(runsDir, "runsDir is null");
        requireNonNull(warehouseDir, "warehouseDir is null");
        requireNonNull(javaHome, "javaHome is null");
        requireNonNull(cancelGrace, "cancelGrace is null");
        requireNonNull(sandbox, "sandbox is null");
        requireNonNull(catalog, "catalog is null");
    }

    /** Reads the {@code gateway.*} keys; paths not given default to folders of {@code dataDir}. */
    public static GatewayConfig from(ConfigProperties properties, Path dataDir) {
        return from(properties, dataDir, System.getenv());
    }

    /** Reads the {@code gateway.*} keys, with the S3 credentials of {@code environment} as fallback. */
    public static GatewayConfig from(ConfigProperties properties, Path dataDir, java.util.Map<String, String> environment) {
        Path warehouseDir = properties.path("gateway.warehouse-dir", dataDir.resolve("warehouse"));
        return new GatewayConfig(
                properties.path("gateway.runtimes-dir", defaultRuntimesDir()),
                properties.path("gateway.runs-dir", dataDir.resolve("runs")),
                warehouseDir,
                properties.path("gateway.java-home", Path.of(System.getProperty("java.home"))),
                properties.duration("gateway.cancel-grace", Duration.ofSeconds(5)),
                SandboxConfig.from(properties),
                CatalogConfig.from(properties, warehouseDir, environment));
    }

    /** {@code dcp.runtimes-dir} when set (builds and tests set it), else {@code spark-dist/target/runtimes}. */
    static Path defaultRuntimesDir() {
        return Path.of(System.getProperty("dcp.runtimes-dir", "spark-dist/target/runtimes"));
    }

    /** This machine's memory in bytes (read once: each submit asks, through the local backend's capabilities). */
    public static long physicalMemory() {
        return PhysicalMemory.BYTES;
    }

    private static final class PhysicalMemory {
        static final long BYTES = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
    }
}
