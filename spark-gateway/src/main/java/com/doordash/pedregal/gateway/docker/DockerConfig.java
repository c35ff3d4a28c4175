package com.doordash.pedregal.gateway.docker;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.gateway.local.HotPoolConfig;
import com.doordash.pedregal.model.ByteSize;
import com.doordash.pedregal.model.config.ConfigProperties;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Configuration of the docker backend: one container per job, from the runtime image of its {@code spark_version}.
 *
 * @param host the Docker engine's API — key {@code gateway.docker.host}, default {@code DOCKER_HOST} or
 *     {@code unix:///var/run/docker.sock}
 * @param image the image of a runtime, {@code {version}} standing for the job's {@code spark_version} —
 *     {@code gateway.docker.image}, default {@code dcp-spark:{version}} (built by {@code docker/build.sh})
 * @param network the containers' network — {@code gateway.docker.network}, default {@code host}: a driver listens on
 *     127.0.0.1 of the engine's machine, where its Spark UI is
 * @param shufflePartitions {@code spark.sql.shuffle.partitions} unless the job sets it —
 *     {@code gateway.docker.shuffle-partitions}, default 4
 * @param requestTimeout how long one call to the engine may take — {@code gateway.docker.request-timeout}, default 30 s
 * @param hotPool the warm driver containers — {@code gateway.docker.hot-pool.*}, none by default
 */
public record DockerConfig(URI host, String image, String network, int shufflePartitions, Duration requestTimeout,
        HotPool hotPool) {
    /** Where the image name takes the job's Spark version. */
    public static final String VERSION = "{version}";

    public DockerConfig {
        requireNonNull(host, "host is null");
        requireNonNull(image, "image is null");
        requireNonNull(network, "network is null");
        requireNonNull(requestTimeout, "requestTimeout is null");
        requireNonNull(hotPool, "hotPool is null");
        if (!("unix".equals(host.getScheme()) || "tcp".equals(host.getScheme()))) {
            throw new IllegalArgumentException("gateway.docker.host: \"" + host
                    + "\" is not a Docker engine address (expected unix:///var/run/docker.sock or tcp://host:2375)");
        }
        if (!image.contains(VERSION)) {
            throw new IllegalArgumentException("gateway.docker.image: \"" + image + "\" does not name the runtime's version"
                    + " (expected a name with " + VERSION + ", e.g. dcp-spark:" + VERSION + ")");
        }
    }

    /** Whether {@code gateway.docker.enabled} is set: the docker backend exists only then. */
    public static boolean enabled(ConfigProperties properties) {
        return properties.bool("gateway.docker.enabled", false);
    }

    /** Reads the {@code gateway.docker.*} keys. */
    public static DockerConfig from(ConfigProperties properties) {
        String host = properties.string("gateway.docker.host",
                System.getenv().getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock"));
        URI uri;
        try {
            uri = URI.create(host);
        }
        catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("gateway.docker.host: \"" + host
                    + "\" is not a Docker engine address (expected unix:///var/run/docker.sock or tcp://host:2375)");
        }
        return new DockerConfig(uri,
                properties.string("gateway.docker.image", "dcp-spark:" + VERSION),
                properties.string("gateway.docker.network", "host"),
                properties.integer("gateway.docker.shuffle-partitions", 4, 1, 100_000),
                properties.duration("gateway.docker.request-timeout", Duration.ofSeconds(30)),
                HotPool.from(properties));
    }

    /**
     * Warm driver containers: started ahead of jobs from the runtime image, warmed up, each handed one job of its
     * runtime and namespace. A job starts cold when it asks more memory or cores than a warm container has, or needs a
     * driver of its own (custom jar, environment variables, settings read at start).
     *
     * @param pools the pools — {@code gateway.docker.hot-pool.pools}, as {@code gateway.hot-pool.pools}
     *     ({@code <spark_version>/<namespace>[=<size>]}, comma-separated); empty (the default) for none
     * @param defaultSize the size of a pool listed without one — {@code gateway.docker.hot-pool.size}, default 1
     * @param driverMemory a warm container's driver heap — {@code gateway.docker.hot-pool.driver-memory}, default 4g
     * @param driverCores a warm container's cores; at hand-off its CPU limit drops to what the job asked —
     *     {@code gateway.docker.hot-pool.driver-cores}, default 2
     * @param maxSize how far a pool grows with jobs that start cold for want of an idle container —
     *     {@code gateway.docker.hot-pool.max-size}, default 3
     * @param idleTimeout a grown pool gives one container back after none was handed off for this long —
     *     {@code gateway.docker.hot-pool.idle-timeout}, default 10 min
     * @param startTimeout how long a warm container may take to warm up before it is replaced —
     *     {@code gateway.docker.hot-pool.start-timeout}, default 3 min
     */
    public record HotPool(List<HotPoolConfig.Pool> pools, int defaultSize, long driverMemory, int driverCores, int maxSize,
            Duration idleTimeout, Duration startTimeout) {
        public HotPool {
            pools = List.copyOf(requireNonNull(pools, "pools is null"));
            requireNonNull(idleTimeout, "idleTimeout is null");
            requireNonNull(startTimeout, "startTimeout is null");
        }

        static HotPool from(ConfigProperties properties) {
            int defaultSize = properties.integer("gateway.docker.hot-pool.size", 1, 0, 64);
            return new HotPool(HotPoolConfig.parsePools("gateway.docker.hot-pool.pools",
                    properties.string("gateway.docker.hot-pool.pools", ""), defaultSize),
                    defaultSize,
                    properties.bytes("gateway.docker.hot-pool.driver-memory", ByteSize.bytes("4g")),
                    properties.integer("gateway.docker.hot-pool.driver-cores", 2, 1, 1024),
                    properties.integer("gateway.docker.hot-pool.max-size", 3, 0, 64),
                    properties.duration("gateway.docker.hot-pool.idle-timeout", Duration.ofMinutes(10)),
                    properties.duration("gateway.docker.hot-pool.start-timeout", Duration.ofMinutes(3)));
        }
    }

    /** The image of runtime {@code sparkVersion}. */
    public String image(String sparkVersion) {
        return image.replace(VERSION, sparkVersion);
    }
}
