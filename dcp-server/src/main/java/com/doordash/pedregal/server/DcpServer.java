package com.doordash.pedregal.server;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.gateway.CatalogCheck;
import com.doordash.pedregal.gateway.GatewayConfig;
import com.doordash.pedregal.gateway.Router;
import com.doordash.pedregal.gateway.SparkBackend;
import com.doordash.pedregal.gateway.SparkGateway;
import com.doordash.pedregal.gateway.SparkRuntimes;
import com.doordash.pedregal.gateway.connect.TestCluster;
import com.doordash.pedregal.gateway.connect.TestClusterConfig;
import com.doordash.pedregal.gateway.docker.DockerBackend;
import com.doordash.pedregal.gateway.docker.DockerConfig;
import com.doordash.pedregal.gateway.kubernetes.KubernetesBackend;
import com.doordash.pedregal.gateway.kubernetes.KubernetesConfig;
import com.doordash.pedregal.gateway.local.LocalBackend;
import com.doordash.pedregal.gateway.local.LocalConfig;
import com.doordash.pedregal.gateway.standalone.StandaloneBackend;
import com.doordash.pedregal.gateway.standalone.StandaloneConfig;
import com.doordash.pedregal.model.auth.AuthConfig;
import com.doordash.pedregal.model.config.ConfigProperties;
import com.doordash.pedregal.model.json.Json;
import com.doordash.pedregal.runner.Database;
import com.doordash.pedregal.runner.JdbcJobStore;
import com.doordash.pedregal.runner.JobRunner;
import com.doordash.pedregal.runner.RunnerConfig;
import com.doordash.pedregal.runner.StoreConfig;
import com.doordash.pedregal.runner.policy.PolicyConfig;
import com.doordash.pedregal.runner.policy.SubmitPolicy;
import com.doordash.pedregal.server.grpc.GrpcServer;
import com.doordash.pedregal.server.playground.PlaygroundConfig;
import com.doordash.pedregal.server.playground.Playgrounds;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform in one process: the composition root that wires store, gateway, runner and REST API from
 * configuration. Drivers run in child processes and outlive a stop of the server; the next start finds
 * them again.
 */
public final class DcpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DcpServer.class);

    private final ServerConfig config;
    private final GatewayConfig gatewayConfig;
    private final Optional<String> newAdminToken;
    private final Database database;
    private final JobRunner runner;
    private final SparkGateway gateway;
    private final Javalin app;
    private final GrpcServer grpc;
    private final TestPath testPath;
    private final Playgrounds playgrounds;
    private final boolean sandboxed;

    private DcpServer(ServerConfig config, GatewayConfig gatewayConfig, Database database, SparkGateway gateway,
            JobRunner runner, Javalin app, GrpcServer grpc, TestPath testPath, Playgrounds playgrounds, Optional<String> newAdminToken,
            boolean sandboxed) {
        this.sandboxed = sandboxed;
        this.config = config;
        this.newAdminToken = newAdminToken;
        this.gatewayConfig = gatewayConfig;
        this.database = database;
        this.gateway = gateway;
        this.runner = runner;
        this.app = app;
        this.grpc = grpc;
        this.testPath = testPath;
        this.playgrounds = playgrounds;
    }

    /** Builds and starts the platform from {@code properties}; fails on unknown keys or bad values. */
    public static DcpServer start(ConfigProperties properties) {
        requireNonNull(properties, "properties is null");
        ServerConfig config = ServerConfig.from(properties);
        GatewayConfig gatewayConfig = GatewayConfig.from(properties, config.dataDir());
        StoreConfig storeConfig = StoreConfig.from(properties, config.dataDir());
        RunnerConfig runnerConfig = RunnerConfig.from(properties);
        AuthConfig authConfig = AuthConfig.from(properties, config.dataDir());
        LocalConfig localConfig = LocalConfig.from(properties);
        Router router = Router.from(properties);
        TestClusterConfig testClusterConfig = TestClusterConfig.from(properties);
        PlaygroundConfig playgroundConfig = PlaygroundConfig.from(properties);
        SubmitPolicy policy = new SubmitPolicy(PolicyConfig.from(properties));
        // The standalone backend exists once its master is configured.
        Optional<StandaloneConfig> standaloneConfig = properties.string("gateway.standalone.master", null) == null
                ? Optional.empty()
                : Optional.of(StandaloneConfig.from(properties));
        // The docker backend exists once enabled (its engine must answer at start); the test cluster may run on the
        // same engine.
        DockerConfig docker = DockerConfig.from(properties);
        Optional<DockerConfig> dockerConfig = DockerConfig.enabled(properties) ? Optional.of(docker) : Optional.empty();
        // The kubernetes backend exists once enabled (its API server must answer at start).
        KubernetesConfig kubernetes = KubernetesConfig.from(properties);
        Optional<KubernetesConfig> kubernetesConfig = KubernetesConfig.enabled(properties) ? Optional.of(kubernetes)
                : Optional.empty();
        Set<String> unknown = properties.unknownKeys();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown configuration key(s): " + String.join(", ", unknown));
        }
        createDirectories(config, gatewayConfig);

        // Drivers that could not reach their tables: refuse to start, naming what does not answer.
        CatalogCheck.verify(gatewayConfig.catalog(), Duration.ofSeconds(10));
        log.info("Catalog pedregal: {}", gatewayConfig.catalog().describe());
        SparkRuntimes runtimes = SparkRuntimes.scan(gatewayConfig.runtimesDir());
        LocalBackend local = new LocalBackend(gatewayConfig, localConfig, runtimes);
        List<SparkBackend> backends = new ArrayList<>(List.of(local));
        standaloneConfig.ifPresent(standalone -> backends.add(new StandaloneBackend(standalone, gatewayConfig, runtimes)));
        dockerConfig.ifPresent(engine -> backends.add(new DockerBackend(engine, gatewayConfig, runtimes)));
        kubernetesConfig.ifPresent(cluster -> backends.add(new KubernetesBackend(cluster, gatewayConfig, runtimes)));
        SparkGateway gateway = new SparkGateway(backends, runtimes, router);
        if (config.demoData()) {
            DemoData.ensure(gateway, gatewayConfig.catalog().localWarehouse());
        }
        gateway.start();
        AuthConfig.Setup auth = authConfig.authenticator(Clock.systemUTC());
        int[] port = new int[1];
        JobViews views = new JobViews(() -> config.publicUrl(port[0]));
        // The server composes the platform: it owns the database and every module's migrations in it.
        Database database = Database.open(storeConfig, List.of(JdbcJobStore.MIGRATIONS, Playgrounds.MIGRATIONS));
        JdbcJobStore store = new JdbcJobStore(database);
        JobRunner runner = new JobRunner(store, gateway, policy, runnerConfig, Clock.systemUTC(), views::status);
        List<AutoCloseable> opened = new ArrayList<>(List.of(database, runner, gateway));
        try {
            TestPath testPath = TestPath.start(testClusterConfig, config.host(), gatewayConfig, runtimes, docker,
                    kubernetes, auth.authenticator());
            opened.add(0, testPath);
            SpecTester tester = testPath.tester();
            runner.start();
            Playgrounds playgrounds = Playgrounds.start(playgroundConfig, database, runner, gateway, tester, Clock.systemUTC());
            opened.add(0, playgrounds);
            Javalin app = Javalin.create(javalin -> {
                javalin.showJavalinBanner = false;
                javalin.jsonMapper(new JavalinJackson(Json.mapper(), false));
                RequestLimits.install(javalin);
            });
            HttpErrors.install(app);
            RestAuth.install(app, auth.authenticator());
            new JobsApi(runner, views).install(app);
            new GatewayApi(gateway).install(app);
            new TestsApi(tester).install(app);
            new PlaygroundsApi(playgrounds).install(app);
            new PlatformMetrics(gateway).install(app);
            GrpcServer grpc = GrpcServer.start(config.host(), config.grpcPort(), runner, views, tester,
                    auth.authenticator());
            opened.add(0, grpc);
            // GET /health is where the seed prototype's server answered (its clients and probes use it).
            io.javalin.http.Handler health = ctx -> {
                boolean healthy = runner.isHealthy();
                ctx.status(healthy ? 200 : 503).json(Map.of(
                        "status", healthy ? "ok" : "unavailable",
                        "store", healthy ? "ok" : "unreachable",
                        "spark_versions", gateway.sparkVersions()));
            };
            app.get("/healthz", health);
            app.get("/health", health);
            app.start(config.host(), config.port());
            port[0] = app.port();
            List<Integer> platformPorts = new ArrayList<>(List.of(app.port(), grpc.port()));
            testPath.proxyPort().ifPresent(platformPorts::add);
            testPath.cluster().ifPresent(cluster -> platformPorts.add(cluster.port()));
            policy.callbacks().reservePlatformPorts(platformPorts);
            log.info("DCP server listening on {}, gRPC on port {} (data dir {}, store {}, Spark {})", config.publicUrl(port[0]),
                    grpc.port(), config.dataDir(), storeConfig.jdbcUrl(), gateway.sparkVersions());
            return new DcpServer(config, gatewayConfig, database, gateway, runner, app, grpc, testPath, playgrounds,
                    auth.newAdminToken(), local.sandboxed());
        }
        catch (RuntimeException e) {
            closeAll(opened);
            throw e;
        }
    }

    /** The port REST listens on. */
    public int port() {
        return app.port();
    }

    /** The port gRPC listens on, on the same host as REST. */
    public int grpcPort() {
        return grpc.port();
    }

    /** The base URL of the REST API, for example {@code http://localhost:8080}. */
    public String url() {
        return config.publicUrl(app.port());
    }

    /** The admin token, when this start created the tokens file; to be shown once, never logged. */
    public Optional<String> newAdminToken() {
        return newAdminToken;
    }

    /** The port of the Spark Connect proxy ({@code sc://host:port}), when the test cluster is enabled. */
    public Optional<Integer> sparkConnectPort() {
        return testPath.proxyPort();
    }

    /** The shared test cluster, when enabled. */
    public Optional<TestCluster> testCluster() {
        return testPath.cluster();
    }

    /** Whether Spark JVMs on this machine run as unprivileged users of their own (the server runs as root). */
    public boolean sandboxed() {
        return sandboxed;
    }

    /** The gateway, for tools and tests that run platform tasks on Spark. */
    public SparkGateway gateway() {
        return gateway;
    }

    /** Playgrounds and manifest commands, for tests that drive the janitor. */
    public Playgrounds playgrounds() {
        return playgrounds;
    }

    /** The gateway's configuration as resolved at start. */
    public GatewayConfig gatewayConfig() {
        return gatewayConfig;
    }

    /** Stops serving; running drivers keep running and are found again by the next start. */
    @Override
    public void close() {
        app.stop();
        closeAll(List.of(grpc, playgrounds, testPath, runner, database, gateway));
        log.info("DCP server stopped");
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            }
            catch (Exception e) {
                log.warn("Cannot close {}", resource, e);
            }
        }
    }

    /**
     * Creates the data directory: searchable but not listable by others ({@code 0711}: drivers reach the warehouse and
     * their own run folders in it), with the embedded job store readable by the server alone ({@code db}, {@code 0700}).
     * The tokens file is written {@code 0600}.
     */
    private static void createDirectories(ServerConfig config, GatewayConfig gatewayConfig) {
        try {
            Files.createDirectories(config.dataDir());
            Files.setPosixFilePermissions(config.dataDir(), PosixFilePermissions.fromString("rwx--x--x"));
            Path db = config.dataDir().resolve("db");
            Files.createDirectories(db);
            Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rwx------"));
            Files.createDirectories(gatewayConfig.runsDir());
            Files.createDirectories(gatewayConfig.warehouseDir());
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + config.dataDir(), e);
        }
    }
}
