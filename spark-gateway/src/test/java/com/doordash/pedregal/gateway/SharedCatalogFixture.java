package com.doordash.pedregal.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.doordash.pedregal.gateway.docker.DockerBackend;
import com.doordash.pedregal.gateway.docker.DockerConfig;
import com.doordash.pedregal.gateway.local.LocalBackend;
import com.doordash.pedregal.gateway.local.LocalConfig;
import com.doordash.pedregal.gateway.testing.RequiresDocker;
import com.doordash.pedregal.gateway.testing.RuntimeImages;
import com.doordash.pedregal.gateway.testing.S3Server;
import com.doordash.pedregal.gateway.testing.Specs;
import com.doordash.pedregal.model.config.ConfigProperties;
import com.doordash.pedregal.model.driver.DriverClasses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the tests of tables shared across machines stand on, for each catalog type that is safe for them: a warehouse on
 * a real S3-compatible server (S3Proxy), the local and the docker backends, and a PostgreSQL database of this machine
 * made per class for the catalog's own pointers (directly for {@code jdbc}, behind the server for {@code rest}).
 */
@RequiresDocker
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SharedCatalogFixture {
    static final Duration TIMEOUT = Duration.ofMinutes(3);
    static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/";
    static final String BUCKET = "tables";

    /** One per test class (JUnit sets it before each class's {@code @BeforeAll}; the classes run one after another). */
    @TempDir
    static Path dataDir;
    S3Server s3;
    /** A PostgreSQL database of this run: {@link #POSTGRES} and this name is its JDBC URL. */
    String database;
    GatewayConfig config;
    SparkRuntimes runtimes;
    SparkGateway gateway;
    private LocalBackend local;
    private DockerBackend docker;

    /** The {@code gateway.catalog.type} and {@code gateway.catalog.uri} of the catalog under test. */
    abstract Map<String, String> catalogSettings();

    /** Starts what the catalog needs beside S3 and the database, before the first driver. */
    void startCatalog() {
    }

    /** Stops what {@link #startCatalog} started. */
    void stopCatalog() {
    }

    @BeforeAll
    void start() throws Exception {
        RuntimeImages.build();
        TestDirs.reachable(dataDir);
        s3 = S3Server.start(Files.createDirectories(dataDir.resolve("s3")), "dcp-test-key", "dcp-test-secret", BUCKET);
        database = "dcp_catalog_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection connection = DriverManager.getConnection(POSTGRES + "test", "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        startCatalog();
        config = config(s3.secretKey());
        CatalogCheck.verify(config.catalog(), Duration.ofSeconds(10));
        runtimes = SparkRuntimes.scan(config.runtimesDir());
        local = new LocalBackend(config, LocalConfig.withoutHotPools(), runtimes);
        docker = new DockerBackend(DockerConfig.from(new ConfigProperties(Map.of())), config, runtimes);
        gateway = new SparkGateway(List.of(local, docker), runtimes, new Router(List.of(), "local"));
        gateway.start();
    }

    @AfterAll
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        stopCatalog();
        if (s3 != null) {
            s3.close();
        }
        if (database != null) {
            try (Connection connection = DriverManager.getConnection(POSTGRES + "test", "postgres", "");
                 Statement statement = connection.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        }
    }

    GatewayConfig config(String secretKey) {
        Map<String, String> settings = new java.util.HashMap<>(Map.of(
                "gateway.cancel-grace", "2s",
                "gateway.catalog.warehouse", "s3://" + BUCKET + "/warehouse",
                "gateway.s3.endpoint", s3.endpoint().toString(),
                "gateway.s3.path-style-access", "true",
                "gateway.s3.access-key-id", s3.accessKey(),
                "gateway.s3.secret-access-key", secretKey));
        settings.putAll(catalogSettings());
        return GatewayConfig.from(new ConfigProperties(settings), dataDir, Map.of());
    }

    static RunStatus awaitEnd(SparkBackend backend, BackendRun run) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            RunStatus status = backend.status(run);
            if (status.state().isFinal()) {
                return status;
            }
            assertThat(System.nanoTime()).isLessThan(deadline);
            try {
                Thread.sleep(200);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    static String seedJob(String database, String source, String sink) {
        return "raw".equals(database) ? Specs.eventCounts(sink) : Specs.spec(database, source, "SELECT * FROM source", sink);
    }

    static String table(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    }

    void succeed(String backend, Application application) {
        BackendRun run = gateway.launch(new Placement(backend, "3.5"), request(application));
        RunStatus status = gateway.awaitEnd(run, TIMEOUT);
        assertThat(status.state()).as(gateway.logs(run, OptionalInt.of(60))).isEqualTo(RunState.SUCCEEDED);
    }

    String query(String backend, String sql) {
        return query(backend, "3.5", sql);
    }

    /** Runs {@code sql} with the platform's query tool on {@code backend} and {@code sparkVersion}; returns the log. */
    String query(String backend, String sparkVersion, String sql) {
        BackendRun run = gateway.launch(new Placement(backend, sparkVersion),
                request(Application.platformTool(DriverClasses.QUERY_MAIN, List.of(sql)), sparkVersion));
        RunStatus status = gateway.awaitEnd(run, TIMEOUT);
        String log = gateway.logs(run, OptionalInt.empty());
        assertThat(status.state()).as(log).isEqualTo(RunState.SUCCEEDED);
        return log;
    }

    static LaunchRequest request(Application application) {
        return request(application, "3.5");
    }

    static LaunchRequest request(Application application, String sparkVersion) {
        return new LaunchRequest("test-" + UUID.randomUUID(), "shared-catalog-test", "test",
                LaunchRequest.DEFAULT_NAMESPACE, "BATCH", sparkVersion, application, Map.of(), Map.of(), 1, 1L << 30);
    }
}
