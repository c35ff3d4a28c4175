package com.doordash.pedregal.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.doordash.pedregal.gateway.connect.TestCluster;
import com.doordash.pedregal.gateway.connect.TestClusterConfig;
import com.doordash.pedregal.gateway.local.LocalBackend;
import com.doordash.pedregal.gateway.local.LocalConfig;
import com.doordash.pedregal.gateway.standalone.StandaloneBackend;
import com.doordash.pedregal.gateway.standalone.StandaloneCluster;
import com.doordash.pedregal.gateway.standalone.StandaloneConfig;
import com.doordash.pedregal.model.config.ConfigProperties;
import com.doordash.pedregal.model.driver.DriverClasses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.apache.spark.sql.connect.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * Iceberg's JDBC catalog on this machine's PostgreSQL with its warehouse on S3, as machines that share no disk use it:
 * drivers on the local, standalone and docker backends write and read the same tables, the test cluster reads them, and
 * two drivers commit to one table at once.
 */
final class JdbcCatalogOnS3Test extends SharedCatalogFixture {
    @Override
    Map<String, String> catalogSettings() {
        return Map.of(
                "gateway.catalog.type", "jdbc",
                "gateway.catalog.uri", POSTGRES + database,
                "gateway.catalog.jdbc.user", "postgres");
    }

    @Test
    void driversOnTheStandaloneAndDockerBackendsWriteWhatTheTestClusterReads() throws Exception {
        succeed("local", Application.platformTool(DriverClasses.DEMO_DATA_MAIN, List.of()));
        String fromStandalone = table("from_standalone");
        String fromDocker = table("from_docker");

        try (StandaloneCluster cluster = StandaloneCluster.start(runtimes.runtime("3.5"), dataDir.resolve("cluster"))) {
            StandaloneBackend standalone = new StandaloneBackend(
                    StandaloneConfig.from(new ConfigProperties(cluster.backendProperties())), config, runtimes);
            BackendRun run = standalone.launch(request(Application.coreEtl(seedJob("raw", "events", fromStandalone))));
            RunStatus status = awaitEnd(standalone, run);
            assertThat(status.state()).as(standalone.logs(run, OptionalInt.of(60))).isEqualTo(RunState.SUCCEEDED);
        }
        succeed("docker", Application.coreEtl(seedJob("derived", fromStandalone, fromDocker)));

        TestCluster testCluster = new TestCluster(TestClusterConfig.from(new ConfigProperties(Map.of(
                "test-cluster.driver-memory", "1g"))), config, runtimes);
        try {
            testCluster.start();
            testCluster.awaitUp(TIMEOUT);
            try (SparkSession spark = SparkSession.builder()
                    .remote(testCluster.platformConnection("shared-catalog-test").orElseThrow()).create()) {
                assertThat(spark.sql("SELECT count(*), sum(events) FROM pedregal.derived." + fromStandalone).collectAsList())
                        .extracting(row -> row.getLong(0) + "/" + row.getLong(1)).containsExactly("5/10000");
                assertThat(spark.sql("SELECT count(*), sum(events) FROM pedregal.derived." + fromDocker).collectAsList())
                        .extracting(row -> row.getLong(0) + "/" + row.getLong(1)).containsExactly("5/10000");
            }
        }
        finally {
            testCluster.close();
        }
        // The data is in the bucket, the pointers in PostgreSQL: nothing of the tables in this machine's warehouse dir.
        try (Stream<Path> files = Files.walk(dataDir.resolve("s3").resolve("data").resolve(BUCKET))) {
            assertThat(files.map(Path::toString)).anyMatch(name -> name.contains(fromDocker) && name.endsWith(".parquet"));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
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
    void filesOutsideTablesAreWrittenAndReadThroughS3aAndS3PathsOnBothRuntimes() {
        // What a custom jar does with landing files: Hadoop's S3A on the platform's S3, in a driver of this machine, in
        // a container, and on Spark 4.0 (whose S3A speaks AWS SDK v2, where 3.5's speaks v1).
        String landing = "s3a://" + BUCKET + "/landing/" + table("events");
        query("local", "INSERT OVERWRITE DIRECTORY '" + landing + "' USING parquet SELECT id, id % 3 AS kind FROM range(100)");

        assertThat(query("docker", "SELECT count(*) AS n, sum(kind) AS kinds FROM parquet.`"
                + landing.replace("s3a://", "s3://") + "`")).contains("ROW 0 {\"n\":100,\"kinds\":99}");
        assertThat(query("local", "4.0", "SELECT count(*) AS n FROM parquet.`" + landing + "` WHERE kind = 2"))
                .contains("ROW 0 {\"n\":33}");
    }

    @Test
    void wrongS3CredentialsFailTheJobWithAMessageNamingTheBucket() {
        GatewayConfig wrong = config("not-the-secret");
        LocalBackend backend = new LocalBackend(wrong, LocalConfig.withoutHotPools(), runtimes);
        try {
            BackendRun run = backend.launch(request(Application.platformTool(DriverClasses.QUERY_MAIN,
                    List.of("CREATE TABLE pedregal.derived." + table("denied") + " (id BIGINT) USING iceberg"))));
            RunStatus status = awaitEnd(backend, run);

            assertThat(status.state()).isEqualTo(RunState.FAILED);
            assertThat(status.message()).contains("Status Code: 403")
                    .contains("S3 bucket " + BUCKET + " of the catalog's warehouse s3://" + BUCKET + "/warehouse")
                    .doesNotContain("not-the-secret");
        }
        finally {
            backend.close();
        }
    }
}
