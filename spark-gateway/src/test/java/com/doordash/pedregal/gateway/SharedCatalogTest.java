package com.doordash.pedregal.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.doordash.pedregal.gateway.docker.DockerBackend;
import com.doordash.pedregal.gateway.docker.DockerConfig;
import com.doordash.pedregal.gateway.local.LocalBackend;
import com.doordash.pedregal.gateway.local.LocalConfig;
import com.doordash.pedregal.gateway.testing.RequiresDocker;
import com.doordash.pedregal.gateway.testing.RuntimeImages;
import com.doordash.pedregal.gateway.testing.S3Server;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tables shared across machines: Iceberg's JDBC catalog on this machine's PostgreSQL (a database of its own per run)
 * with its warehouse on a real S3-compatible server (S3Proxy), written and read by drivers of the local and the docker
 * backends.
 */
@RequiresDocker
final class SharedCatalogTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/";
    private static final String BUCKET = "tables";

    @TempDir
    static Path dataDir;
    private static S3Server s3;
    private static String database;
    private static GatewayConfig config;
    private static SparkGateway gateway;
    private static LocalBackend local;
    private static DockerBackend docker;

    @BeforeAll
    static void start() throws Exception {
        RuntimeImages.build();
        TestDirs.reachable(dataDir);
        s3 = S3Server.start(Files.createDirectories(dataDir.resolve("s3")), "dcp-test-key", "dcp-test-secret", BUCKET);
        database = "dcp_catalog_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection connection = DriverManager.getConnection(POSTGRES + "test", "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        config = config(s3.secretKey());
        SparkRuntimes runtimes = SparkRuntimes.scan(config.runtimesDir());
        local = new LocalBackend(config, LocalConfig.withoutHotPools(), runtimes);
        docker = new DockerBackend(DockerConfig.from(new ConfigProperties(Map.of())), config, runtimes);
        gateway = new SparkGateway(List.of(local, docker), runtimes, new Router(List.of(), "local"));
        gateway.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
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

    private static GatewayConfig config(String secretKey) {
        return GatewayConfig.from(new ConfigProperties(Map.of(
                "gateway.cancel-grace", "2s",
                "gateway.catalog.type", "jdbc",
                "gateway.catalog.uri", POSTGRES + database,
                "gateway.catalog.jdbc.user", "postgres",
                "gateway.catalog.warehouse", "s3://" + BUCKET + "/warehouse",
                "gateway.s3.endpoint", s3.endpoint().toString(),
                "gateway.s3.path-style-access", "true",
                "gateway.s3.access-key-id", s3.accessKey(),
                "gateway.s3.secret-access-key", secretKey)), dataDir, Map.of());
    }

    @Test
    void driversOnTheLocalAndDockerBackendsWriteAndReadTheSameTablesThroughTheJdbcCatalogOnS3() {
        succeed("local", Application.platformTool(DriverClasses.DEMO_DATA_MAIN, List.of()));
        String fromLocal = table("from_local");
        String fromDocker = table("from_docker");

        succeed("local", Application.coreEtl(seedJob("raw", "events", fromLocal)));
        succeed("docker", Application.coreEtl(seedJob("derived", fromLocal, fromDocker)));

        assertThat(query("docker", "SELECT count(*) AS n FROM pedregal.derived." + fromLocal)).contains("ROW 0 {\"n\":5}");
        assertThat(query("local", "SELECT sum(events) AS n FROM pedregal.derived." + fromDocker))
                .contains("ROW 0 {\"n\":" + 10_000 + "}");
        // The data is in the bucket, the pointers in PostgreSQL: nothing of the tables on this machine's warehouse dir.
        try (Stream<Path> files = Files.walk(dataDir.resolve("s3").resolve("data").resolve(BUCKET))) {
            assertThat(files.map(Path::toString)).anyMatch(name -> name.contains(fromDocker) && name.endsWith(".parquet"));
        }
        catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(config.warehouseDir().resolve("derived")).doesNotExist();
    }

    @Test
    void twoDriversCommittingToOneTableAtOnceBothSucceed() {
        String shared = table("shared");
        succeed("local", Application.platformTool(DriverClasses.QUERY_MAIN,
                List.of("CREATE TABLE pedregal.derived." + shared + " (id BIGINT, writer STRING) USING iceberg")));

        BackendRun first = gateway.launch(new Placement("local", "3.5"), request(Application.platformTool(
                DriverClasses.QUERY_MAIN, List.of("INSERT INTO pedregal.derived." + shared
                        + " SELECT id, 'local' FROM range(1000)"))));
        BackendRun second = gateway.launch(new Placement("docker", "3.5"), request(Application.platformTool(
                DriverClasses.QUERY_MAIN, List.of("INSERT INTO pedregal.derived." + shared
                        + " SELECT id, 'docker' FROM range(500)"))));

        assertThat(gateway.awaitEnd(first, TIMEOUT).state()).as(gateway.logs(first, OptionalInt.of(40)))
                .isEqualTo(RunState.SUCCEEDED);
        assertThat(gateway.awaitEnd(second, TIMEOUT).state()).as(gateway.logs(second, OptionalInt.of(40)))
                .isEqualTo(RunState.SUCCEEDED);
        assertThat(query("local", "SELECT count(*) AS n, count(DISTINCT writer) AS writers FROM pedregal.derived." + shared))
                .contains("ROW 0 {\"n\":1500,\"writers\":2}");
    }

    @Test
    void wrongS3CredentialsFailTheJobWithAMessageNamingTheBucket() {
        GatewayConfig wrong = config("not-the-secret");
        LocalBackend backend = new LocalBackend(wrong, LocalConfig.withoutHotPools(), SparkRuntimes.scan(wrong.runtimesDir()));
        try {
            BackendRun run = backend.launch(request(Application.platformTool(DriverClasses.QUERY_MAIN,
                    List.of("CREATE TABLE pedregal.derived." + table("denied") + " (id BIGINT) USING iceberg"))));
            RunStatus status = awaitEnd(backend, run);

            assertThat(status.state()).isEqualTo(RunState.FAILED);
            assertThat(status.message()).contains(BUCKET).doesNotContain("not-the-secret");
        }
        finally {
            backend.close();
        }
    }

    private static RunStatus awaitEnd(SparkBackend backend, BackendRun run) {
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

    private static String seedJob(String database, String source, String sink) {
        return """
                {"sources": [{"type": "iceberg", "catalog": "pedregal", "database": "%s", "table": "%s"}],
                 "transformations": [{"type": "sql", "query": "%s"}],
                 "sinks": [{"type": "iceberg", "catalog": "pedregal", "database": "derived", "table": "%s"}]}"""
                .formatted(database, source, "raw".equals(database)
                        ? "SELECT event_type, count(*) AS events FROM source GROUP BY event_type"
                        : "SELECT * FROM source", sink);
    }

    private static String table(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    }

    private static void succeed(String backend, Application application) {
        BackendRun run = gateway.launch(new Placement(backend, "3.5"), request(application));
        RunStatus status = gateway.awaitEnd(run, TIMEOUT);
        assertThat(status.state()).as(gateway.logs(run, OptionalInt.of(60))).isEqualTo(RunState.SUCCEEDED);
    }

    private static String query(String backend, String sql) {
        BackendRun run = gateway.launch(new Placement(backend, "3.5"),
                request(Application.platformTool(DriverClasses.QUERY_MAIN, List.of(sql))));
        RunStatus status = gateway.awaitEnd(run, TIMEOUT);
        String log = gateway.logs(run, OptionalInt.empty());
        assertThat(status.state()).as(log).isEqualTo(RunState.SUCCEEDED);
        return log;
    }

    private static LaunchRequest request(Application application) {
        return new LaunchRequest("test-" + UUID.randomUUID(), "shared-catalog-test", "test",
                LaunchRequest.DEFAULT_NAMESPACE, "BATCH", "3.5", application, Map.of(), Map.of(), 1, 1L << 30);
    }
}
