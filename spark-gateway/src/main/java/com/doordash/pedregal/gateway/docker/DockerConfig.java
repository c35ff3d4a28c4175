package com.doordash.pedregal.gateway.docker;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.model.config.ConfigProperties;
import java.net.URI;
import java.time.Duration;

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
 */
public record DockerConfig(URI host, String image, String network, int shufflePartitions, Duration requestTimeout) {
    /** Where the image name takes the job's Spark version. */
    public static final String VERSION = "{version}";

    public DockerConfig {
        requireNonNull(host, "host is null");
        requireNonNull(image, "image is null");
        requireNonNull(network, "network is null");
        requireNonNull(requestTimeout, "requestTimeout is null");
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
                properties.duration("gateway.docker.request-timeout", Duration.ofSeconds(30)));
    }

    /** The image of runtime {@code sparkVersion}. */
    public String image(String sparkVersion) {
        return image.replace(VERSION, sparkVersion);
    }
}
