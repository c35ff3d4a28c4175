package com.doordash.pedregal.gateway;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * One runnable Spark runtime assembled by {@code spark-dist}.
 *
 * @param version the version jobs ask for, for example {@code 3.5}
 * @param sparkVersion the exact Spark release, for example {@code 3.5.9}
 * @param home the runtime folder, holding {@code jars/}, {@code connectors/}, {@code conf/} and {@code app/coreetl.jar}
 */
public record SparkRuntime(String version, String sparkVersion, Path home) {
    /** The main class of Spark Connect's server, in a runtime that has it ({@code spark-connect_*.jar}). */
    public static final String CONNECT_SERVER_CLASS = "org.apache.spark.sql.connect.service.SparkConnectServer";

    public SparkRuntime {
        requireNonNull(version, "version is null");
        requireNonNull(sparkVersion, "sparkVersion is null");
        requireNonNull(home, "home is null");
    }

    /** The folder of Spark's and Iceberg's jars. */
    public Path jars() {
        return home.resolve("jars");
    }

    /** The folder of connectors beside Spark's jars: Iceberg's AWS bundle ({@code S3FileIO}), JDBC drivers. */
    public Path connectors() {
        return home.resolve("connectors");
    }

    /** The folder of {@code spark-defaults.conf} and {@code log4j2.properties}. */
    public Path conf() {
        return home.resolve("conf");
    }

    /** The platform's CoreETL application jar. */
    public Path coreEtlJar() {
        return home.resolve("app").resolve("coreetl.jar");
    }

    /** Whether its Spark has the jars of Spark on Kubernetes ({@code spark-kubernetes_*.jar}), as its image then has. */
    public boolean runsOnKubernetes() {
        return hasJar("spark-kubernetes_");
    }

    /** Whether it has Spark Connect's server ({@code spark-connect_*.jar}). */
    public boolean hasConnectServer() {
        return hasJar("spark-connect_");
    }

    private boolean hasJar(String prefix) {
        try (Stream<Path> jars = Files.list(jars())) {
            return jars.anyMatch(jar -> jar.getFileName().toString().startsWith(prefix));
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot list " + jars(), e);
        }
    }
}
