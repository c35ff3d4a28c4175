package com.doordash.pedregal.gateway;

import com.doordash.pedregal.model.error.InvalidRequestException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The Spark runtimes found in the runtimes folder, by version. */
public final class SparkRuntimes {
    private static final Pattern SPARK_CORE = Pattern.compile("spark-core_2\\.1[23]-([0-9][0-9.]*)\\.jar");

    private final Map<String, SparkRuntime> byVersion;

    private SparkRuntimes(Map<String, SparkRuntime> byVersion) {
        this.byVersion = Collections.unmodifiableMap(new TreeMap<>(byVersion));
    }

    /** Exactly {@code runtimes}; for backends that bring their own (and tests). */
    public static SparkRuntimes of(java.util.List<SparkRuntime> runtimes) {
        Map<String, SparkRuntime> byVersion = new TreeMap<>();
        runtimes.forEach(runtime -> byVersion.put(runtime.version(), runtime));
        return new SparkRuntimes(byVersion);
    }

    /**
     * Finds every runtime under {@code dir} (one folder per version with {@code jars/spark-core_*.jar} and
     * {@code app/coreetl.jar}); fails when there is none, saying how to build them.
     */
    public static SparkRuntimes scan(Path dir) {
        Map<String, SparkRuntime> found = new TreeMap<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> folders = Files.list(dir)) {
                folders.filter(Files::isDirectory).forEach(folder -> sparkVersionIn(folder).ifPresent(
                        sparkVersion -> found.put(folder.getFileName().toString(),
                                new SparkRuntime(folder.getFileName().toString(), sparkVersion, folder))));
            }
            catch (IOException e) {
                throw new UncheckedIOException("cannot list Spark runtimes in " + dir, e);
            }
        }
        if (found.isEmpty()) {
            throw new IllegalStateException("gateway.runtimes-dir: no Spark runtime in " + dir
                    + " (build them with: mvn -B -DskipTests package)");
        }
        return new SparkRuntimes(found);
    }

    private static Optional<String> sparkVersionIn(Path folder) {
        if (!Files.isRegularFile(folder.resolve("app/coreetl.jar")) || !Files.isDirectory(folder.resolve("jars"))) {
            return Optional.empty();
        }
        try (Stream<Path> jars = Files.list(folder.resolve("jars"))) {
            return jars.map(jar -> SPARK_CORE.matcher(jar.getFileName().toString()))
                    .filter(Matcher::matches)
                    .map(matcher -> matcher.group(1))
                    .findFirst();
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder.resolve("jars"), e);
        }
    }

    /** The versions jobs may ask for, in order. */
    public java.util.Set<String> versions() {
        return byVersion.keySet();
    }

    /** The runtime for {@code version}; an unknown version fails listing the supported ones. */
    public SparkRuntime runtime(String version) {
        SparkRuntime runtime = byVersion.get(version);
        if (runtime == null) {
            throw new InvalidRequestException("config.spark_version", "\"" + version
                    + "\" is not supported (supported: " + String.join(", ", byVersion.keySet()) + ")");
        }
        return runtime;
    }
}
