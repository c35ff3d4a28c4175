package com.doordash.pedregal.testcontainers;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.testcontainers.internal.ParentBoundServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.testcontainers.lifecycle.Startable;

/**
 * A Spark Connect server in a child JVM, for the JUnit tests of machines without Docker: the same
 * {@link #getSparkConnectUrl()} as {@link SparkContainer}, Spark's jars resolved through Maven (the local repository,
 * else Maven Central), Iceberg's {@code pedregal} catalog on a local warehouse folder.
 *
 * <pre>{@code
 * @Container // Testcontainers' JUnit extension starts and stops any Startable
 * LocalSparkConnect spark = LocalSparkConnect.builder().withDriverMemory(1024).build();
 * }</pre>
 *
 * <p>The child JVM runs the current JVM's {@code java} (Spark 4.0 needs 17 or later), listens on the loopback
 * interface alone, and halts when the JVM that started it ends, even when that one is killed.
 */
public final class LocalSparkConnect implements Startable, SparkConnect {
    private static final Properties VERSIONS = versions();
    private static final String SCALA = VERSIONS.getProperty("scala");
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    /** The resolved jars of each Spark version, once per JVM: every test class may start a server of its own. */
    private static final Map<String, List<Path>> CLASS_PATHS = new ConcurrentHashMap<>();

    private final String sparkVersion;
    private final int driverMemoryMb;
    private final Map<String, String> sparkConfig;
    private final Path warehouse;
    private final String token;
    private final Integer fixedPort;
    private Process process;
    private Path logFile;
    private int port;

    private LocalSparkConnect(Builder builder) {
        this.sparkVersion = builder.sparkVersion;
        this.driverMemoryMb = builder.driverMemoryMb;
        this.sparkConfig = new LinkedHashMap<>(builder.sparkConfig);
        this.warehouse = builder.warehouse;
        this.token = builder.token;
        this.fixedPort = builder.connectPort;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Resolves Spark's jars (downloads them the first time), starts the server and waits until it answers a query. */
    @Override
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        try {
            Path dir = Files.createTempDirectory("local-spark-connect-");
            Path scratch = Files.createDirectories(dir.resolve("tmp"));
            Path tables = warehouse != null ? warehouse : Files.createDirectories(dir.resolve("warehouse"));
            logFile = dir.resolve("server.log");
            port = fixedPort != null ? Ports.checkFree(fixedPort) : Ports.free();
            List<Path> jars = CLASS_PATHS.computeIfAbsent(sparkVersion, version -> MavenJars.resolve(List.of(
                    "org.apache.spark:spark-sql_" + SCALA + ":" + VERSIONS.getProperty("spark." + version),
                    "org.apache.spark:spark-connect_" + SCALA + ":" + VERSIONS.getProperty("spark." + version),
                    // The Connect server's session handling reaches into Spark ML (its model cache).
                    "org.apache.spark:spark-mllib_" + SCALA + ":" + VERSIONS.getProperty("spark." + version),
                    "org.apache.iceberg:iceberg-spark-runtime-" + version + "_" + SCALA + ":"
                            + VERSIONS.getProperty("iceberg." + version))));

            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(moduleOptions(jars));
            command.add("-Xmx" + driverMemoryMb + "m");
            command.add("-Djava.io.tmpdir=" + scratch);
            command.add("-XX:-UsePerfData");
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("spark.master", "local[*]");
            settings.put("spark.app.name", "local-spark-connect");
            settings.put("spark.local.dir", scratch.toString());
            settings.put("spark.ui.enabled", "false");
            settings.put("spark.connect.grpc.binding.address", "127.0.0.1");
            settings.put("spark.connect.grpc.binding.port", Integer.toString(port));
            settings.put("spark.sql.extensions", "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions");
            settings.put("spark.sql.catalog.pedregal", "org.apache.iceberg.spark.SparkCatalog");
            settings.put("spark.sql.catalog.pedregal.type", "hadoop");
            settings.put("spark.sql.catalog.pedregal.warehouse", tables.toUri().toString());
            settings.put("spark.sql.warehouse.dir", dir.resolve("spark-warehouse").toUri().toString());
            settings.putAll(sparkConfig);
            settings.forEach((key, value) -> command.add("-D" + key + "=" + value));
            command.add("-cp");
            command.add(Stream.concat(Stream.of(codeLocation()), jars.stream()).map(Path::toString)
                    .collect(Collectors.joining(java.io.File.pathSeparator)));
            command.add(ParentBoundServer.class.getName());

            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile());
            builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
            if (token != null) {
                builder.environment().put("SPARK_CONNECT_AUTHENTICATE_TOKEN", token);
            }
            process = builder.start(); // its standard input is a pipe this JVM holds until it ends
            Process started = process;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(started), "stop-local-spark-connect"));
            Readiness.await(this::getSparkConnectUrl, START_TIMEOUT, started::isAlive, this::log);
        }
        catch (IOException e) {
            stop();
            throw new UncheckedIOException("cannot start a local Spark Connect server", e);
        }
        catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    /** Stops the server's JVM (and everything it started); nothing when it is not running. */
    @Override
    public synchronized void stop() {
        if (process != null) {
            stop(process);
        }
    }

    @Override
    public String getSparkConnectUrl() {
        if (port == 0) {
            throw new IllegalStateException("the local Spark Connect server is not started");
        }
        return "sc://localhost:" + port + "/" + (token == null ? "" : ";token=" + token);
    }

    public int getSparkConnectPort() {
        return port;
    }

    /** The server's log: Spark's output, kept after it stopped. */
    public Path getLogFile() {
        return logFile;
    }

    public String getSparkVersion() {
        return sparkVersion;
    }

    /** The server's JVM while it runs. */
    public Optional<ProcessHandle> getProcess() {
        return Optional.ofNullable(process).map(Process::toHandle);
    }

    private String log() {
        try {
            return logFile != null && Files.exists(logFile) ? Files.readString(logFile, StandardCharsets.UTF_8) : "";
        }
        catch (IOException e) {
            return "(cannot read " + logFile + ": " + e.getMessage() + ")";
        }
    }

    private static void stop(Process process) {
        List<ProcessHandle> tree = Stream.concat(process.descendants(), Stream.of(process.toHandle())).toList();
        tree.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                tree.forEach(ProcessHandle::destroyForcibly);
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            tree.forEach(ProcessHandle::destroyForcibly);
        }
    }

    /** The JVM options Spark itself adds on Java 17 and later ({@code JavaModuleOptions} of its launcher). */
    private static List<String> moduleOptions(List<Path> jars) {
        Path launcher = jars.stream().filter(jar -> jar.getFileName().toString().startsWith("spark-launcher_"))
                .findFirst().orElseThrow(() -> new IllegalStateException("Spark's launcher jar was not resolved"));
        try (URLClassLoader loader = new URLClassLoader(new URL[] {launcher.toUri().toURL()}, null)) {
            String options = (String) loader.loadClass("org.apache.spark.launcher.JavaModuleOptions")
                    .getMethod("defaultModuleOptions").invoke(null);
            return List.of(options.trim().split("\\s+"));
        }
        catch (IOException | ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read Spark's JVM options from " + launcher, e);
        }
    }

    /** This module's classes, for {@link ParentBoundServer} on the child's class path. */
    private static Path codeLocation() {
        try {
            return Path.of(LocalSparkConnect.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        }
        catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the dcp-testcontainers classes", e);
        }
    }

    private static Properties versions() {
        Properties properties = new Properties();
        try (InputStream in = LocalSparkConnect.class.getResourceAsStream("versions.properties")) {
            properties.load(requireNonNull(in, "versions.properties is missing"));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }



    /** The settings of a {@link LocalSparkConnect}, checked as they are given. */
    public static final class Builder {
        private String sparkVersion = SparkContainer.DEFAULT_SPARK_VERSION;
        private int driverMemoryMb = 1024;
        private final Map<String, String> sparkConfig = new LinkedHashMap<>();
        private Path warehouse;
        private String token;
        private Integer connectPort;

        private Builder() {
        }

        public Builder withSparkVersion(String version) {
            this.sparkVersion = SparkContainer.checkVersion(version);
            return this;
        }

        public Builder withDriverMemory(int megabytes) {
            this.driverMemoryMb = SparkContainer.checkDriverMemory(megabytes);
            return this;
        }

        public Builder withSparkConfig(String key, String value) {
            sparkConfig.put(SparkContainer.checkSparkKey(key), requireNonNull(value, "value is null"));
            return this;
        }

        /** The folder of the {@code pedregal} Iceberg catalog's tables; a new temporary one when not set. */
        public Builder withWarehouse(Path folder) {
            requireNonNull(folder, "folder is null");
            if (!Files.isDirectory(folder)) {
                throw new IllegalArgumentException("warehouse " + folder + ": not a folder");
            }
            this.warehouse = folder.toAbsolutePath();
            return this;
        }

        public Builder withToken(String token) {
            this.token = SparkContainer.checkToken(token);
            return this;
        }

        public Builder withSparkConnectPort(int port) {
            this.connectPort = SparkContainer.checkPort(port);
            return this;
        }

        public LocalSparkConnect build() {
            return new LocalSparkConnect(this);
        }
    }
}
