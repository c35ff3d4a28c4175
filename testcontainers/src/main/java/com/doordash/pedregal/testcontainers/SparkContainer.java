package com.doordash.pedregal.testcontainers;

import static java.util.Objects.requireNonNull;

import com.github.dockerjava.api.exception.NotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.TestcontainersConfiguration;

/**
 * A Spark Connect server in a container of the platform's runtime image ({@code dcp-spark:<spark version>}, built by
 * {@code docker/build.sh}), for JUnit tests:
 *
 * <pre>{@code
 * @Container
 * SparkContainer spark = SparkContainer.builder()
 *     .withDriverMemory(2048)
 *     .withSparkConfig("spark.sql.shuffle.partitions", "4")
 *     .build();
 *
 * SparkSession session = SparkSession.builder().remote(spark.getSparkConnectUrl()).getOrCreate();
 * }</pre>
 *
 * <p>Or in Testcontainers' own style: {@code new SparkContainer(DockerImageName.parse("dcp-spark:4.0"))} with the
 * {@code withX} methods. The container is ready once it answered a real query over Spark Connect, not when its port
 * opened (the port opens before the server can answer).
 *
 * <p>Networking: the container's ports are mapped to free ports of the host, as usual; with host networking
 * ({@link #withHostNetwork()}, or {@code spark.network=host} in {@code ~/.testcontainers.properties}, or the variable
 * {@code TESTCONTAINERS_SPARK_NETWORK=host}) it listens on free ports of the host's loopback interface itself.
 */
public class SparkContainer extends GenericContainer<SparkContainer> implements SparkConnect {
    /**
     * The Spark versions whose images run a Spark Connect server. The platform's Spark 3.5 image has none: the Scala
     * 2.13 build of Spark 3.5's Connect server is not served by the Maven repository the platform is built from.
     */
    public static final List<String> SPARK_VERSIONS = List.of("4.0");
    public static final String DEFAULT_SPARK_VERSION = "4.0";
    public static final String IMAGE_REPOSITORY = "dcp-spark";
    /** Where the Spark Connect server listens in the container. */
    public static final int SPARK_CONNECT_PORT = 15002;
    public static final int SPARK_UI_PORT = 4040;
    /**
     * The smallest driver heap accepted, in MiB: Spark refuses to start below 450 MiB of system memory
     * ({@code UnifiedMemoryManager}), and a JVM's usable heap is a little below its {@code -Xmx}.
     */
    public static final int MIN_DRIVER_MEMORY_MB = 512;
    /** The label of every container of this class: what to remove after a test JVM that died. */
    public static final String LABEL = "com.doordash.pedregal.testcontainers";
    private static final String WAREHOUSE = "/data/warehouse";

    private final Map<String, String> sparkConfig = new LinkedHashMap<>();
    private String sparkVersion;
    /** The image's name as given: asking Testcontainers for it would pull a missing image first. */
    private String imageName;
    private boolean hostNetwork = "host".equalsIgnoreCase(
            TestcontainersConfiguration.getInstance().getEnvVarOrProperty("spark.network", ""));
    private int driverMemoryMb;
    private Integer connectPort;
    private Integer uiPort;
    private String token;

    /** The image of the default Spark version ({@value #DEFAULT_SPARK_VERSION}). */
    public SparkContainer() {
        this(image(DEFAULT_SPARK_VERSION));
    }

    public SparkContainer(DockerImageName image) {
        super(requireNonNull(image, "image is null"));
        this.imageName = image.asCanonicalNameString();
        this.sparkVersion = versionOf(image);
        withLabel(LABEL, "true");
        withCommand("connect");
        waitingFor(new SparkConnectWaitStrategy(this::getSparkConnectUrl).withStartupTimeout(Duration.ofMinutes(3)));
    }

    /** A builder in the seed's style: {@code SparkContainer.builder().withDriverMemory(2048).build()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The platform's image of {@code sparkVersion}: {@code dcp-spark:<version>}. */
    public static DockerImageName image(String sparkVersion) {
        return DockerImageName.parse(IMAGE_REPOSITORY + ":" + checkVersion(sparkVersion));
    }

    /** The image of another Spark version of the platform's ({@link #SPARK_VERSIONS}). */
    public SparkContainer withSparkVersion(String version) {
        this.imageName = image(version).asCanonicalNameString();
        setDockerImageName(imageName);
        this.sparkVersion = version;
        return self();
    }

    /** The driver's heap in MiB, at least {@value #MIN_DRIVER_MEMORY_MB}. */
    public SparkContainer withDriverMemory(int megabytes) {
        this.driverMemoryMb = checkDriverMemory(megabytes);
        return self();
    }

    /** A Spark setting of the server ({@code --conf key=value}). */
    public SparkContainer withSparkConfig(String key, String value) {
        sparkConfig.put(checkSparkKey(key), requireNonNull(value, "value is null"));
        return self();
    }

    /**
     * Keeps the tables of the {@code pedregal} Iceberg catalog in {@code hostFolder}, which the container's user (uid
     * 185) must be able to write.
     */
    public SparkContainer withWarehouse(Path hostFolder) {
        requireNonNull(hostFolder, "hostFolder is null");
        if (!Files.isDirectory(hostFolder)) {
            throw new IllegalArgumentException("warehouse " + hostFolder + ": not a folder");
        }
        withFileSystemBind(hostFolder.toAbsolutePath().toString(), WAREHOUSE, BindMode.READ_WRITE);
        return self();
    }

    /** Clients must send {@code token} ({@link #getSparkConnectUrl()} includes it); Spark 4.0 and later. */
    public SparkContainer withToken(String token) {
        this.token = checkToken(token);
        return self();
    }

    /** Host networking: the server listens on the host's loopback interface, on free ports (no port mapping). */
    public SparkContainer withHostNetwork() {
        this.hostNetwork = true;
        return self();
    }

    /** The host's port for Spark Connect; a free one when not set. Taken ports are refused at start. */
    public SparkContainer withSparkConnectPort(int port) {
        this.connectPort = checkPort(port);
        return self();
    }

    /** {@code sc://localhost:<port>}, with the token when there is one. */
    public String getSparkConnectUrl() {
        return "sc://" + getHost() + ":" + getSparkConnectPort() + "/" + (token == null ? "" : ";token=" + token);
    }

    /** The Spark UI of the server: {@code http://localhost:<port>}. */
    public String getSparkUiUrl() {
        return "http://" + getHost() + ":" + (hostNetwork ? uiPort : getMappedPort(SPARK_UI_PORT));
    }

    /** The host's port of the Spark Connect server. */
    public int getSparkConnectPort() {
        return hostNetwork ? connectPort : getMappedPort(SPARK_CONNECT_PORT);
    }

    public String getSparkVersion() {
        return sparkVersion;
    }

    @Override
    public String getHost() {
        return hostNetwork ? "localhost" : super.getHost();
    }

    /**
     * Starts the container and waits until Spark Connect answers. A missing image, or a taken port asked for, fails
     * here with the reason, before Testcontainers would try to pull the image from a registry.
     */
    @Override
    public void start() {
        checkImagePresent();
        if (connectPort != null) {
            Ports.checkFree(connectPort);
        }
        super.start();
    }

    @Override
    protected void configure() {
        if (hostNetwork) {
            withNetworkMode("host");
            connectPort = connectPort == null ? Ports.free() : connectPort;
            uiPort = Ports.free();
            withEnv("SPARK_CONNECT_PORT", Integer.toString(connectPort));
            withEnv("SPARK_CONNECT_HOST", "127.0.0.1");
            withEnv("SPARK_LOCAL_IP", "127.0.0.1"); // the driver and its UI too: nothing on the host's other addresses
            withEnv("SPARK_UI_PORT", Integer.toString(uiPort));
        }
        else {
            withExposedPorts(SPARK_CONNECT_PORT, SPARK_UI_PORT);
            if (connectPort != null) {
                addFixedExposedPort(connectPort, SPARK_CONNECT_PORT);
            }
        }
        if (driverMemoryMb > 0) {
            withEnv("SPARK_DRIVER_MEMORY", driverMemoryMb + "m");
        }
        if (token != null) {
            withEnv("SPARK_CONNECT_TOKEN", token);
        }
        sparkConfig.forEach((key, value) -> withEnv(envName(key), value));
    }

    /** {@code SPARK_CONF_<key>}, as the image's entrypoint reads it: '.' as '_', '_' as '__'. */
    static String envName(String key) {
        return "SPARK_CONF_" + key.replace("_", "__").replace('.', '_');
    }

    private void checkImagePresent() {
        String name = imageName;
        try {
            DockerClientFactory.instance().client().inspectImageCmd(name).exec();
        }
        catch (NotFoundException e) {
            String version = Optional.ofNullable(sparkVersion).orElse("<spark version>");
            throw new IllegalStateException("image " + name + " is not there: build it with docker/build.sh " + version
                    + " (after mvn -B -DskipTests package; where no registry is reachable, BASE_IMAGE=debian"
                    + " docker/build.sh " + version + "); see docker/README.md");
        }
    }

    static String checkSparkKey(String key) {
        requireNonNull(key, "key is null");
        if (!key.matches("spark\\.[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("Spark setting " + key + ": expected a key such as"
                    + " spark.sql.shuffle.partitions (letters, digits, '.', '_' and '-', starting with spark.)");
        }
        return key;
    }

    static String checkToken(String token) {
        requireNonNull(token, "token is null");
        if (!token.matches("[A-Za-z0-9._~-]{16,}")) {
            throw new IllegalArgumentException("token: expected at least 16 characters of letters, digits, '.', '_',"
                    + " '~' and '-' (it travels in the Spark Connect URL)");
        }
        return token;
    }

    static int checkPort(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("Spark Connect port " + port + ": expected 1 to 65535");
        }
        return port;
    }

    static int checkDriverMemory(int megabytes) {
        if (megabytes < MIN_DRIVER_MEMORY_MB) {
            throw new IllegalArgumentException("driver memory " + megabytes + " MiB: Spark needs at least 450 MiB of"
                    + " heap for a driver; give it " + MIN_DRIVER_MEMORY_MB + " MiB or more");
        }
        return megabytes;
    }

    @Override
    protected void containerIsStarted(com.github.dockerjava.api.command.InspectContainerResponse info) {
        // Without Testcontainers' reaper (Ryuk), nothing else removes the container of a JVM that exits unexpectedly.
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "stop-" + info.getId().substring(0, 12)));
    }

    private static String versionOf(DockerImageName image) {
        if (!image.getRepository().equals(IMAGE_REPOSITORY)) {
            return null; // another image: its version is its own business
        }
        String tag = image.getVersionPart();
        return SPARK_VERSIONS.stream().filter(version -> tag.equals(version) || tag.startsWith(version + "-"))
                .findFirst().orElse(null);
    }

    static String checkVersion(String version) {
        requireNonNull(version, "sparkVersion is null");
        if (version.equals("3.5")) {
            throw new IllegalArgumentException("Spark version 3.5: the platform's Spark 3.5 image has no Spark Connect"
                    + " server; use " + String.join(" or ", SPARK_VERSIONS));
        }
        if (!SPARK_VERSIONS.contains(version)) {
            throw new IllegalArgumentException("Spark version " + version + " has no Spark Connect image; the"
                    + " platform's are " + String.join(", ", SPARK_VERSIONS));
        }
        return version;
    }



    /** The seed's builder: every setting of {@link SparkContainer}, then {@link #build()}. */
    public static final class Builder {
        private String sparkVersion = DEFAULT_SPARK_VERSION;
        private DockerImageName image;
        private final Map<String, String> sparkConfig = new LinkedHashMap<>();
        private int driverMemoryMb;
        private Path warehouse;
        private String token;
        private Integer connectPort;
        private boolean hostNetwork;

        private Builder() {
        }

        public Builder withSparkVersion(String version) {
            this.sparkVersion = checkVersion(version);
            return this;
        }

        /** Another image than the platform's of the Spark version. */
        public Builder withImage(DockerImageName image) {
            this.image = requireNonNull(image, "image is null");
            return this;
        }

        public Builder withDriverMemory(int megabytes) {
            this.driverMemoryMb = checkDriverMemory(megabytes);
            return this;
        }

        public Builder withSparkConfig(String key, String value) {
            sparkConfig.put(checkSparkKey(key), requireNonNull(value, "value is null"));
            return this;
        }

        public Builder withWarehouse(Path hostFolder) {
            this.warehouse = requireNonNull(hostFolder, "hostFolder is null");
            return this;
        }

        public Builder withToken(String token) {
            this.token = checkToken(token);
            return this;
        }

        public Builder withSparkConnectPort(int port) {
            this.connectPort = checkPort(port);
            return this;
        }

        public Builder withHostNetwork() {
            this.hostNetwork = true;
            return this;
        }

        public SparkContainer build() {
            SparkContainer container = new SparkContainer(image != null ? image : image(sparkVersion));
            if (image == null) {
                container.sparkVersion = sparkVersion;
            }
            sparkConfig.forEach(container::withSparkConfig);
            if (driverMemoryMb > 0) {
                container.withDriverMemory(driverMemoryMb);
            }
            if (warehouse != null) {
                container.withWarehouse(warehouse);
            }
            if (token != null) {
                container.withToken(token);
            }
            if (connectPort != null) {
                container.withSparkConnectPort(connectPort);
            }
            if (hostNetwork) {
                container.withHostNetwork();
            }
            return container;
        }
    }
}
