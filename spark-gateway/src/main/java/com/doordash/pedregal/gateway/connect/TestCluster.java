package com.doordash.pedregal.gateway.connect;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.gateway.GatewayConfig;
import com.doordash.pedregal.gateway.SparkRuntime;
import com.doordash.pedregal.gateway.SparkRuntimes;
import com.doordash.pedregal.gateway.docker.DockerConfig;
import com.doordash.pedregal.gateway.internal.DockerEngine;
import com.doordash.pedregal.gateway.internal.Processes;
import com.doordash.pedregal.gateway.internal.Sandbox;
import com.doordash.pedregal.gateway.internal.SparkContainers;
import com.doordash.pedregal.gateway.internal.SparkSubmitCommand;
import com.doordash.pedregal.gateway.kubernetes.KubernetesConfig;
import com.doordash.pedregal.gateway.kubernetes.KubernetesTestCluster;
import com.doordash.pedregal.model.ByteSize;
import com.doordash.pedregal.model.driver.DriverClasses;
import com.doordash.pedregal.model.error.PlatformException;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared Spark Connect test cluster: a {@code SparkConnectServer} child JVM ({@code --master local[*]}) started
 * from a runtime of the gateway, reading the {@code pedregal} catalog of the gateway's warehouse, and kept alive by a
 * supervisor. The supervisor checks every {@code test-cluster.health-interval} that the server answers a real Spark
 * Connect call; when the process died or stopped answering, it restarts it, with a growing pause between failed
 * starts, and logs why.
 *
 * <p>The server listens on 127.0.0.1 only, and answers only calls that carry a secret of this supervisor (Spark
 * Connect's pre-shared token): users reach it through {@link SparkConnectProxy}, which authenticates them. Its
 * output goes to {@code <runs-dir>/test-cluster/server.log}.
 *
 * <p>With {@code test-cluster.backend=docker} the same server runs in a container of the runtime image (host network,
 * the reader's uid, the warehouse of a hadoop catalog mounted read-only), supervised the same way; a container of the
 * cluster left by a server that was killed is removed before the next one starts, so there is never a second one.
 *
 * <p>With {@code test-cluster.backend=kubernetes} it is the seed's {@code SparkApplication} {@code dcp-test-cluster}
 * ({@link KubernetesTestCluster}): supervised through the operator's status and the same health check, reached through
 * a relay on 127.0.0.1 to its Service, its token in a Secret; an application left by a killed server is replaced.
 */
public final class TestCluster implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TestCluster.class);
    private static final String HOST = "127.0.0.1";
    private static final String SERVER_CLASS = SparkRuntime.CONNECT_SERVER_CLASS;
    private static final String ICEBERG_EXTENSIONS = "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions";
    private static final String HEALTH_USER = "dcp-test-cluster-health";
    /** Label of the cluster's container: the folder of the platform that started it. */
    private static final String LABEL_CLUSTER = "com.doordash.pedregal.test-cluster";
    private static final int TEST_CLUSTER_NICENESS = 5;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final int FAILED_CHECKS_BEFORE_RESTART = 3;
    /** Everything at WARN: the server's INFO logging prints every plan. */
    private static final String LOG4J2 = """
            rootLogger.level = warn
            rootLogger.appenderRef.stderr.ref = console
            appender.console.type = Console
            appender.console.name = console
            appender.console.target = SYSTEM_ERR
            appender.console.layout.type = PatternLayout
            appender.console.layout.pattern = %d{yy/MM/dd HH:mm:ss.SSS} %p %c{1}: %m%n%ex
            logger.nativecode.name = org.apache.hadoop.util.NativeCodeLoader
            logger.nativecode.level = error
            """;

    /** What the supervisor is doing. */
    public enum State {
        /** First start, not answering yet. */
        STARTING,
        /** Answering calls at {@link #endpoint()}. */
        UP,
        /** The server died or stopped answering; a new one is being started. */
        RESTARTING,
        /** Not started yet, or closed. */
        STOPPED
    }

    /** Where the proxy forwards to while the cluster is up: one value per started server. */
    record Upstream(String target, long generation, String authorization) {
    }

    private final TestClusterConfig config;
    private final GatewayConfig gateway;
    private final SparkRuntime runtime;
    private final Path dir;
    private final String secret;
    private final Sandbox sandbox;
    private final DockerConfig docker;
    /** The cluster's SparkApplication, with {@code test-cluster.backend=kubernetes}; else null. */
    private final KubernetesTestCluster kubernetes;
    private final String healthSession = UUID.randomUUID().toString();
    private final Object lock = new Object();

    // Guarded by lock.
    private State state = State.STOPPED;
    private Upstream upstream;
    private Server process;
    private ManagedChannel channel;
    private long generation;
    private int restarts;
    private boolean closed;
    private Thread supervisor;
    /**
     * Whether the supervisor is starting a server: close() then lets it finish rather than interrupting it, since an
     * interrupted start may have started the server all the same (an API server that took the create, an engine that
     * took the container) where nothing would stop it; a start that finishes after close() stops what it started.
     */
    private boolean launching;
    private int port;
    private TcpRelay relay;
    private final Thread shutdownHook = new Thread(this::stopServer, "dcp-test-cluster-shutdown");

    /** A cluster run from {@code runtimes}' version {@code config.sparkVersion()}; {@link #start()} starts it. */
    public TestCluster(TestClusterConfig config, GatewayConfig gateway, SparkRuntimes runtimes) {
        this(config, gateway, runtimes, null);
    }

    /**
     * A cluster run from {@code runtimes}' version {@code config.sparkVersion()}, in a container of the engine and image of
     * {@code docker} when {@code config.backend()} is {@code DOCKER}; {@link #start()} starts it.
     */
    public TestCluster(TestClusterConfig config, GatewayConfig gateway, SparkRuntimes runtimes, DockerConfig docker) {
        this(config, gateway, runtimes, docker, null);
    }

    /**
     * A cluster run from {@code runtimes}' version {@code config.sparkVersion()}: in a container of the engine and image
     * of {@code docker} when {@code config.backend()} is {@code DOCKER}, as a {@code SparkApplication} on the cluster and
     * images of {@code kubernetes} when it is {@code KUBERNETES}; {@link #start()} starts it.
     */
    public TestCluster(TestClusterConfig config, GatewayConfig gateway, SparkRuntimes runtimes, DockerConfig docker,
            KubernetesConfig kubernetes) {
        if (config.backend() == TestClusterConfig.Backend.DOCKER && docker == null) {
            throw new IllegalArgumentException("test-cluster.backend: docker needs the engine of gateway.docker.*");
        }
        if (config.backend() == TestClusterConfig.Backend.KUBERNETES && kubernetes == null) {
            throw new IllegalArgumentException("test-cluster.backend: kubernetes needs the cluster of gateway.kubernetes.*");
        }
        this.docker = config.backend() == TestClusterConfig.Backend.DOCKER ? docker : null;
        this.kubernetes = config.backend() == TestClusterConfig.Backend.KUBERNETES
                ? new KubernetesTestCluster(kubernetes, config.kubernetes().namespace()) : null;
        this.config = requireNonNull(config, "config is null");
        this.gateway = requireNonNull(gateway, "gateway is null");
        this.runtime = requireNonNull(runtimes, "runtimes is null").runtime(config.sparkVersion());
        this.dir = gateway.runsDir().resolve("test-cluster");
        this.sandbox = Sandbox.of(gateway);
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        this.secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    /**
     * Starts the server and its supervisor, and returns at once; {@link #awaitUp} waits until it answers. Fails when
     * the runtime has no Spark Connect server or a configured extension class is not in its CoreETL jar.
     */
    public void start() {
        checkRuntime();
        if (kubernetes != null) {
            // A platform configured with the cluster on Kubernetes does not start without its API.
            kubernetes.check();
        }
        else {
            sandbox.prepare();
        }
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the test cluster is closed");
            }
            if (supervisor != null) {
                return;
            }
            port = config.port() == 0 ? freePort() : config.port();
            if (kubernetes != null) {
                relay = new TcpRelay(port, config.kubernetes().host(), config.kubernetes().port());
            }
            state = State.STARTING;
            supervisor = new Thread(this::supervise, "dcp-test-cluster-supervisor");
            supervisor.setDaemon(true);
            supervisor.start();
            // The server's JVM must not outlive this one, also when it ends without close().
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    /** What the supervisor is doing now. */
    public State state() {
        synchronized (lock) {
            return state;
        }
    }

    /**
     * How the platform's own Spark Connect client reaches the cluster while it is UP, as {@code userId}: a connection
     * string carrying the cluster's secret (to {@code localhost}, where the 4.0 client sends a token without TLS).
     * Never log it.
     */
    public Optional<String> platformConnection(String userId) {
        synchronized (lock) {
            return Optional.ofNullable(upstream).map(up -> "sc://localhost:"
                    + up.target().substring(up.target().lastIndexOf(':') + 1) + "/;token=" + secret + ";user_id=" + userId);
        }
    }

    /** {@code 127.0.0.1:<port>} of the Spark Connect server while it is {@link State#UP UP}. */
    public Optional<String> endpoint() {
        synchronized (lock) {
            return Optional.ofNullable(upstream).map(Upstream::target);
        }
    }

    /** The cluster's own port on 127.0.0.1 (only the proxy and the platform use it); 0 before {@link #start()}. */
    public int port() {
        synchronized (lock) {
            return port;
        }
    }

    /** The pid of the server's JVM (on this machine, also in a container), while it runs. */
    public OptionalLong pid() {
        Server current = currentProcess();
        return current == null ? OptionalLong.empty() : current.pid();
    }

    /** The id of the server's container, while it runs in one. */
    public Optional<String> containerId() {
        Server current = currentProcess();
        return current instanceof ContainerServer container ? Optional.of(container.id) : Optional.empty();
    }

    /** How many times the supervisor restarted the server. */
    public int restarts() {
        synchronized (lock) {
            return restarts;
        }
    }

    /** The server's log file. */
    public Path logFile() {
        return dir.resolve("server.log");
    }

    /**
     * Waits until the cluster is {@link State#UP UP}; returns its endpoint.
     *
     * @throws IllegalStateException when it is not up within {@code timeout}, or is closed
     */
    public String awaitUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (upstream == null) {
                long left = deadline - System.nanoTime();
                if (closed || supervisor == null) {
                    throw new IllegalStateException("the test cluster is not running (state " + state + ")");
                }
                if (left <= 0) {
                    throw new IllegalStateException("the test cluster is not up after " + timeout.toMillis()
                            + " ms (state " + state + "; see " + logFile() + ")");
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return upstream.target();
        }
    }

    /** Where to forward calls now, while the cluster is up. */
    Optional<Upstream> upstream() {
        synchronized (lock) {
            return Optional.ofNullable(upstream);
        }
    }

    /** Stops the supervisor and the server's JVM. */
    @Override
    public void close() {
        Thread thread;
        boolean interrupt;
        synchronized (lock) {
            closed = true;
            thread = supervisor;
            interrupt = !launching;
            lock.notifyAll();
        }
        if (thread != null) {
            if (interrupt) {
                thread.interrupt();
            }
            try {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        stopServer();
        if (kubernetes != null) {
            kubernetes.close();
            synchronized (lock) {
                if (relay != null) {
                    relay.close();
                }
            }
        }
        else {
            sandbox.seal(dir);
            sandbox.releaseReader();
        }
        setState(State.STOPPED, null);
        if (thread != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            }
            catch (IllegalStateException e) {
                // the JVM is shutting down: the hook runs anyway
            }
        }
    }

    private void supervise() {
        Duration backoff = FIRST_BACKOFF;
        while (!isClosed()) {
            String failure;
            try {
                long started = System.nanoTime();
                synchronized (lock) {
                    if (closed) {
                        break;
                    }
                    launching = true;
                }
                try {
                    launch();
                }
                finally {
                    synchronized (lock) {
                        launching = false;
                    }
                }
                failure = awaitAnswer();
                if (failure == null) {
                    log.info("Spark Connect test cluster is up at {}:{} after {} ms (process {}, Spark {})", HOST, port,
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), pid().orElse(-1),
                            runtime.sparkVersion());
                    synchronized (lock) {
                        generation++;
                        upstream = new Upstream(HOST + ":" + port, generation, "Bearer " + secret);
                        state = State.UP;
                        lock.notifyAll();
                    }
                    backoff = FIRST_BACKOFF;
                    failure = watch();
                }
            }
            catch (RuntimeException e) {
                failure = "could not be started: " + e;
            }
            catch (InterruptedException e) {
                failure = null;
            }
            if (isClosed() || failure == null) {
                break;
            }
            setState(State.RESTARTING, null);
            stopServer();
            log.warn("Spark Connect test cluster {}; restarting it in {} ms (log: {})", failure, backoff.toMillis(),
                    logFile());
            try {
                synchronized (lock) {
                    restarts++;
                    if (!closed) {
                        lock.wait(backoff.toMillis());
                    }
                }
            }
            catch (InterruptedException e) {
                break;
            }
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    /** Waits until the new server answers; returns null then, else why it failed. */
    private String awaitAnswer() throws InterruptedException {
        long deadline = System.nanoTime() + config.startTimeout().toNanos();
        String lastFailure = "no answer";
        while (System.nanoTime() < deadline) {
            Server current = currentProcess();
            if (current == null || isClosed()) {
                throw new InterruptedException();
            }
            OptionalInt exit = current.awaitExit(0);
            if (exit.isPresent()) {
                return "exited with code " + exit.getAsInt() + " while starting";
            }
            Optional<String> failure = healthCheck(Duration.ofSeconds(5));
            if (failure.isEmpty()) {
                return null;
            }
            lastFailure = failure.get();
            Thread.sleep(200);
        }
        return "did not answer within " + config.startTimeout().toMillis() + " ms of its start (" + lastFailure + ")";
    }

    /** Checks the server every interval while it is up; returns why it is no longer, or null when closed. */
    private String watch() throws InterruptedException {
        int failed = 0;
        while (!isClosed()) {
            Server current = currentProcess();
            if (current == null) {
                return null;
            }
            OptionalInt exit;
            try {
                exit = current.awaitExit(config.healthInterval().toMillis());
            }
            catch (RuntimeException e) {
                return "cannot be watched (" + e.getMessage() + ")";
            }
            if (exit.isPresent()) {
                return "died (exit code " + exit.getAsInt() + ")";
            }
            Optional<String> failure = healthCheck(max(config.healthInterval(), Duration.ofSeconds(5)));
            if (failure.isEmpty()) {
                failed = 0;
            }
            else if (++failed >= FAILED_CHECKS_BEFORE_RESTART) {
                return "stopped answering (" + failed + " health checks failed, last: " + failure.get() + ")";
            }
            else {
                log.info("Spark Connect test cluster health check failed ({} of {}): {}", failed,
                        FAILED_CHECKS_BEFORE_RESTART, failure.get());
            }
        }
        return null;
    }

    /** A real Spark Connect call: a {@code Config} request reading one option. Empty when it answered. */
    private Optional<String> healthCheck(Duration deadline) {
        ManagedChannel current;
        synchronized (lock) {
            current = channel;
        }
        if (current == null) {
            return Optional.of("no channel");
        }
        current.resetConnectBackoff();
        Metadata headers = new Metadata();
        headers.put(SparkConnectProxy.AUTHORIZATION, "Bearer " + secret);
        ClientCall<byte[], byte[]> call = io.grpc.ClientInterceptors.intercept(current,
                        io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(headers))
                .newCall(CONFIG_METHOD, CallOptions.DEFAULT.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS));
        try {
            ClientCalls.blockingUnaryCall(call, healthRequest());
            return Optional.empty();
        }
        catch (StatusRuntimeException e) {
            Status status = e.getStatus();
            return Optional.of(status.getCode() + (status.getDescription() == null ? "" : ": " + status.getDescription()));
        }
    }

    private static final MethodDescriptor<byte[], byte[]> CONFIG_METHOD = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(UserContexts.SERVICE + "/Config")
            .setRequestMarshaller(SparkConnectProxy.BYTES)
            .setResponseMarshaller(SparkConnectProxy.BYTES)
            .build();

    /** {@code ConfigRequest{session_id, user_context{user_id}, operation{get_option{keys: spark.app.name}}}}. */
    private byte[] healthRequest() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            out.writeString(1, healthSession);
            out.writeBytes(2, message(inner -> inner.writeString(1, HEALTH_USER)));
            out.writeBytes(3, message(operation -> operation.writeBytes(4,
                    message(getOption -> getOption.writeString(1, "spark.app.name")))));
            out.flush();
            return bytes.toByteArray();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private interface Writer {
        void write(CodedOutputStream out) throws IOException;
    }

    private static ByteString message(Writer writer) throws IOException {
        ByteString.Output bytes = ByteString.newOutput();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        writer.write(out);
        out.flush();
        return bytes.toByteString();
    }

    private void launch() {
        if (docker != null) {
            launchContainer();
            return;
        }
        if (kubernetes != null) {
            launchApplication();
            return;
        }
        try {
            Sandbox.RunUser reader = sandbox.reader();
            sandbox.seal(dir); // the folders of the cluster started before this one
            if (sandbox.holdReader()) {
                // A cluster left by a server that was killed still runs as the reader: stop it before starting another.
                Sandbox.killAll(reader.uid());
            }
            Sandbox.RunDirs dirs = sandbox.prepareRunDir(dir, reader);
            Path work = dirs.work();
            Path log4j = dir.resolve("log4j2.properties");
            Files.writeString(log4j, LOG4J2, StandardCharsets.UTF_8);
            SparkSubmitCommand server = SparkSubmitCommand.of(gateway.javaHome(), runtime)
                    .jvmOptions(sandbox.jvmOptions(dirs.scratch()))
                    .heap(config.driverMemory())
                    // Interactive work for every user: below the server, above the batch drivers.
                    .niceness(TEST_CLUSTER_NICENESS)
                    .log4j(log4j)
                    // The cluster dies with the server, even a killed one: a restarted server never finds a second one.
                    .boundToParent(DriverClasses.PARENT_BOUND_MAIN)
                    .application("dcp-test-cluster", SERVER_CLASS)
                    .conf(sparkConf(dirs.scratch()))
                    .jar(null, List.of()); // no application jar: the server class is on the class path
            Path argFile = dir.resolve("server.args");
            sandbox.writeUserFile(argFile, server.argFile(), reader);
            List<String> command = Processes.inSchedulingGroup(TEST_CLUSTER_NICENESS,
                    sandbox.command(reader, server.command(argFile)));
            Files.writeString(logFile(), "=== dcp: Spark Connect test cluster on " + HOST + ":" + port + ", Spark "
                            + runtime.sparkVersion() + ", started " + Instant.now() + "\n=== dcp: java "
                            + String.join(" ", server.redactedArguments()) + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            Files.setPosixFilePermissions(logFile(), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(work.toFile())
                    // A pipe the server holds and never writes: the cluster halts when it closes (ParentBoundMain).
                    .redirectInput(ProcessBuilder.Redirect.PIPE)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                    .redirectErrorStream(true);
            server.environment(builder.environment(), Map.of(), HOST);
            // In the environment, not on the command line or in the argument file, where other users could read it.
            builder.environment().put("SPARK_CONNECT_AUTHENTICATE_TOKEN", secret);
            sandbox.environment(builder.environment(), reader, dirs.scratch());
            adopt(new LocalServer(builder.start()));
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot start the Spark Connect test cluster", e);
        }
    }

    /**
     * Starts the server in a container of the runtime image, as the reader, seeing the warehouse read-only. A container
     * of this cluster left by a server that was killed is removed first: there is never a second one.
     */
    private void launchContainer() {
        DockerEngine engine = new DockerEngine(docker.host(), docker.requestTimeout());
        String image = docker.image(runtime.version());
        String started = null;
        try {
            for (var leftover : engine.withLabel(LABEL_CLUSTER)) {
                if (dir.toAbsolutePath().toString().equals(leftover.getLabels().get(LABEL_CLUSTER))) {
                    log.info("Removing container {} of a test cluster started before", leftover.getId());
                    engine.remove(leftover.getId());
                }
            }
            if (!engine.hasImage(image)) {
                throw new IllegalStateException("the Docker engine at " + docker.host() + " has no image " + image
                        + " (build it with docker/build.sh " + runtime.version() + ")");
            }
            Sandbox.RunUser reader = sandbox.reader();
            sandbox.seal(dir);
            Sandbox.RunDirs dirs = sandbox.prepareRunDir(dir, reader);
            Files.writeString(dir.resolve("log4j2.properties"), LOG4J2, StandardCharsets.UTF_8);
            SparkRuntime inImage = SparkContainers.inImage(runtime);
            SparkSubmitCommand server = SparkSubmitCommand.of(SparkContainers.SPARK_HOME, inImage)
                    .jvmOptions(SparkContainers.jvmOptions())
                    .heap(config.driverMemory())
                    .log4j(SparkContainers.RUN_DIR.resolve("log4j2.properties"))
                    .application("dcp-test-cluster", SERVER_CLASS)
                    .conf(sparkConf(SparkContainers.SCRATCH_DIR))
                    .jar(null, List.of());
            sandbox.writeUserFile(dir.resolve("server.args"), server.argFile(), reader);
            int[] ids = SparkContainers.ids(reader);
            Path passwd = SparkContainers.writePasswd(dir, ids);
            Files.writeString(logFile(), "=== dcp: Spark Connect test cluster on " + HOST + ":" + port + ", Spark "
                            + runtime.sparkVersion() + ", image " + image + ", started " + Instant.now()
                            + "\n=== dcp: java " + String.join(" ", server.redactedArguments()) + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            Files.setPosixFilePermissions(logFile(), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            List<DockerEngine.Mount> mounts = new ArrayList<>(List.of(
                    new DockerEngine.Mount(dir, SparkContainers.RUN_DIR, false),
                    new DockerEngine.Mount(dirs.scratch(), SparkContainers.SCRATCH_DIR, false),
                    new DockerEngine.Mount(passwd, Path.of("/etc/passwd"), true)));
            // The cluster reads tables; the warehouse of a hadoop catalog is mounted read-only.
            gateway.catalog().localWarehouse()
                    .ifPresent(warehouse -> mounts.add(new DockerEngine.Mount(warehouse, warehouse, true)));
            Map<String, String> env = SparkContainers.environment(Map.of(), true);
            env.put("SPARK_CONNECT_AUTHENTICATE_TOKEN", secret);
            started = engine.create(new DockerEngine.ContainerSpec(
                    "dcp-test-cluster-" + Long.toHexString(System.nanoTime()), image,
                    Map.of(LABEL_CLUSTER, dir.toAbsolutePath().toString()),
                    List.of("java", "@" + SparkContainers.RUN_DIR.resolve("server.args")),
                    SparkContainers.RUN_DIR.resolve(Sandbox.WORK_DIR), ids[0] + ":" + ids[1], env, mounts, "host", 0,
                    SparkContainers.memory(config.driverMemory())));
            engine.start(started);
        }
        catch (IOException | RuntimeException e) {
            // Nothing half-started stays behind: the container (when created) goes, and the client with it.
            if (started != null) {
                engine.remove(started);
            }
            engine.close();
            throw e instanceof IOException io ? new UncheckedIOException("cannot start the Spark Connect test cluster", io)
                    : (RuntimeException) e;
        }
        // From here the container and the engine's client are the ContainerServer's: its stop() removes and closes them.
        adopt(new ContainerServer(engine, started, logFile()));
    }

    /**
     * Starts the server as the seed's {@code SparkApplication} (replacing one left behind), of the runtime's image, with
     * the cluster's settings less credentials; the platform reaches it through the relay on 127.0.0.1.
     */
    private void launchApplication() {
        try {
            Files.createDirectories(dir);
            Files.writeString(logFile(), "=== dcp: Spark Connect test cluster as " + kubernetes.describe() + ", Spark "
                            + runtime.sparkVersion() + ", reached at " + config.kubernetes().address() + " through "
                            + HOST + ":" + port + ", started " + Instant.now() + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot write " + logFile(), e);
        }
        TestClusterConfig.OnKubernetes on = config.kubernetes();
        kubernetes.launch(runtime, secret, sharedConf(), new KubernetesTestCluster.Resources(on.driverCores(),
                config.driverMemory(), on.executors(), on.executorCores(), on.executorMemory()));
        adopt(new ApplicationServer(kubernetes, logFile()));
    }

    /** Makes {@code started} the current server, with a new channel to it; stops it when the cluster was closed meanwhile. */
    private void adopt(Server started) {
        ManagedChannel newChannel = NettyChannelBuilder.forAddress(HOST, port).usePlaintext().build();
        synchronized (lock) {
            if (closed) {
                started.stop();
                newChannel.shutdownNow();
                throw new IllegalStateException("closed");
            }
            process = started;
            channel = newChannel;
        }
    }

    /** One started server: a child JVM, or a container. */
    private interface Server {
        /** Waits up to {@code millis} for the server to end: its exit code, or empty while it runs. */
        OptionalInt awaitExit(long millis) throws InterruptedException;

        /** Its JVM's pid on this machine, while it runs. */
        OptionalLong pid();

        /** Stops it (asks, then forces after 10 s) and waits until it is gone. */
        void stop();
    }

    /**
     * Asks {@code exit} every {@code intervalMillis} until it answers or {@code millis} passed: a server's exit code, or
     * empty while it runs.
     */
    private static OptionalInt poll(long millis, long intervalMillis, java.util.function.Supplier<OptionalInt> exit)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (true) {
            OptionalInt code = exit.get();
            long left = deadline - System.nanoTime();
            if (code.isPresent() || left <= 0) {
                return code;
            }
            Thread.sleep(Math.min(intervalMillis, TimeUnit.NANOSECONDS.toMillis(left) + 1));
        }
    }

    /** The server as a child JVM of this one. */
    private static final class LocalServer implements Server {
        private final Process process;

        LocalServer(Process process) {
            this.process = process;
        }

        @Override
        public OptionalInt awaitExit(long millis) throws InterruptedException {
            return process.waitFor(millis, TimeUnit.MILLISECONDS) ? OptionalInt.of(process.exitValue()) : OptionalInt.empty();
        }

        @Override
        public OptionalLong pid() {
            return process.isAlive() ? OptionalLong.of(process.pid()) : OptionalLong.empty();
        }

        @Override
        public void stop() {
            if (!process.isAlive()) {
                return;
            }
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    log.info("Spark Connect test cluster (process {}) did not stop within 10 s; killing it", process.pid());
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            }
            catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The server as a {@code SparkApplication}: it ended when the operator says so or it was deleted (the operator
     * restarts a failed driver itself meanwhile; the health check sees that); stopping deletes it after keeping the
     * driver's log.
     */
    private static final class ApplicationServer implements Server {
        private final KubernetesTestCluster application;
        private final Path logFile;

        ApplicationServer(KubernetesTestCluster application, Path logFile) {
            this.application = application;
            this.logFile = logFile;
        }

        @Override
        public OptionalInt awaitExit(long millis) throws InterruptedException {
            return poll(millis, 1_000, () -> {
                try {
                    Optional<String> ended = application.ended();
                    if (ended.isPresent()) {
                        log.warn("Spark Connect test cluster {}", ended.get());
                        return OptionalInt.of(1);
                    }
                }
                catch (PlatformException e) {
                    // The API server did not answer: the health check tells whether the cluster still does.
                    log.info("Spark Connect test cluster: cannot read its state: {}", e.getMessage());
                }
                return OptionalInt.empty();
            });
        }

        @Override
        public OptionalLong pid() {
            return OptionalLong.empty();
        }

        @Override
        public void stop() {
            try {
                application.delete(logFile);
            }
            catch (RuntimeException e) {
                log.warn("Cannot delete the test cluster's {}: {}", application.describe(), e.toString());
            }
        }
    }

    /** The server in a container; its output is kept in the cluster's log when it is removed. */
    private static final class ContainerServer implements Server {
        private final DockerEngine engine;
        private final String id;
        private final Path logFile;

        ContainerServer(DockerEngine engine, String id, Path logFile) {
            this.engine = engine;
            this.id = id;
            this.logFile = logFile;
        }

        @Override
        public OptionalInt awaitExit(long millis) throws InterruptedException {
            return poll(millis, 250, () -> {
                Optional<com.github.dockerjava.api.command.InspectContainerResponse> container = engine.inspect(id);
                if (container.isEmpty()) {
                    return OptionalInt.of(-1);
                }
                var state = container.get().getState();
                if (!Boolean.TRUE.equals(state.getRunning()) && !"created".equals(state.getStatus())) {
                    return OptionalInt.of(state.getExitCodeLong() == null ? -1 : state.getExitCodeLong().intValue());
                }
                return OptionalInt.empty();
            });
        }

        @Override
        public OptionalLong pid() {
            try {
                return engine.inspect(id)
                        .map(container -> container.getState().getPidLong())
                        .filter(pid -> pid != null && pid > 0)
                        .map(OptionalLong::of)
                        .orElse(OptionalLong.empty());
            }
            catch (RuntimeException e) {
                return OptionalLong.empty();
            }
        }

        @Override
        public void stop() {
            try {
                engine.stop(id, Duration.ofSeconds(10));
                try {
                    engine.copyLogs(id, logFile, 16L << 20);
                }
                catch (IOException | RuntimeException e) {
                    log.warn("Cannot keep the log of test cluster container {}: {}", id, e.toString());
                }
                engine.remove(id);
            }
            catch (RuntimeException e) {
                log.warn("Cannot stop test cluster container {}: {}", id, e.toString());
            }
            finally {
                engine.close();
            }
        }
    }

    /** The cluster's settings wherever it runs: its extensions and catalog, few partitions, no UI, authentication. */
    private Map<String, String> sharedConf() {
        Map<String, String> conf = new LinkedHashMap<>();
        List<String> extensions = new ArrayList<>();
        extensions.add(ICEBERG_EXTENSIONS);
        extensions.addAll(config.extensions());
        conf.put("spark.sql.extensions", String.join(",", extensions));
        conf.putAll(gateway.catalog().sparkConf());
        // The cluster analyzes specs and previews a few rows: few partitions keep its small queries fast.
        conf.put("spark.sql.shuffle.partitions", "4");
        conf.put("spark.ui.enabled", "false");
        conf.put("spark.authenticate", "true");
        conf.put("spark.log.level", "WARN");
        return conf;
    }

    /** The settings of the cluster on this machine (a child JVM or a container): on 127.0.0.1, {@code scratch} for files. */
    private Map<String, String> sparkConf(Path scratch) {
        Map<String, String> conf = sharedConf();
        conf.put("spark.connect.grpc.binding.address", HOST);
        conf.put("spark.connect.grpc.binding.port", Integer.toString(port));
        conf.put("spark.driver.host", HOST);
        conf.put("spark.driver.bindAddress", HOST);
        conf.put("spark.driver.memory", ByteSize.toMebibytes(config.driverMemory()));
        conf.put("spark.local.dir", scratch.toString());
        return conf;
    }

    private void checkRuntime() {
        if (!runtime.hasConnectServer()) {
            throw new IllegalStateException("test-cluster.spark-version: runtime " + runtime.version()
                    + " has no Spark Connect server (spark-connect_*.jar) in " + runtime.jars());
        }
        if (kubernetes != null && !runtime.runsOnKubernetes()) {
            throw new IllegalStateException("test-cluster.spark-version: runtime " + runtime.version()
                    + " has no Spark on Kubernetes (spark-kubernetes_*.jar) in " + runtime.jars()
                    + ", nor has its image: test-cluster.backend=kubernetes needs a runtime that has it (4.0)");
        }
        if (config.extensions().isEmpty()) {
            return;
        }
        try (ZipFile jar = new ZipFile(runtime.coreEtlJar().toFile())) {
            for (String extension : config.extensions()) {
                if (jar.getEntry(extension.replace('.', '/') + ".class") == null) {
                    throw new IllegalStateException("test-cluster.extensions: class " + extension + " is not in "
                            + runtime.coreEtlJar());
                }
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read " + runtime.coreEtlJar(), e);
        }
    }

    private void stopServer() {
        Server current;
        ManagedChannel currentChannel;
        synchronized (lock) {
            current = process;
            currentChannel = channel;
            process = null;
            channel = null;
            upstream = null;
        }
        if (currentChannel != null) {
            currentChannel.shutdownNow();
        }
        if (current != null) {
            current.stop();
        }
    }

    private Server currentProcess() {
        synchronized (lock) {
            return process;
        }
    }

    private boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    private void setState(State newState, Upstream newUpstream) {
        synchronized (lock) {
            state = newState;
            upstream = newUpstream;
            lock.notifyAll();
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on " + HOST, e);
        }
    }
}
