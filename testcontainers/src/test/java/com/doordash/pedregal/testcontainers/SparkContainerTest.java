package com.doordash.pedregal.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.utility.DockerImageName;

/** One container for the class, in Testcontainers' own style: a warehouse on the host and a token. */
@RequiresDocker
class SparkContainerTest {
    private static final String TOKEN = "test-token-0123456789abcdef";
    @TempDir
    static Path warehouse;
    private static SparkContainer spark;

    @BeforeAll
    static void start() throws Exception {
        RuntimeImages.build();
        // The container's user (uid 185) writes the tables.
        Files.setPosixFilePermissions(warehouse, PosixFilePermissions.fromString("rwxrwxrwx"));
        spark = new SparkContainer(DockerImageName.parse("dcp-spark:4.0"))
                .withWarehouse(warehouse)
                .withToken(TOKEN)
                .withSparkConfig("spark.sql.shuffle.partitions", "2")
                .withSparkConfig("spark.dcp.under_score", "kept");
        spark.start();
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void icebergTableIsCreatedWrittenAndReadThroughSparkConnectIntoTheHostsWarehouse() throws Exception {
        try (SparkSession session = SparkSession.builder().remote(spark.getSparkConnectUrl()).create()) {
            session.sql("CREATE NAMESPACE IF NOT EXISTS pedregal.tc").collectAsList();
            session.sql("CREATE TABLE pedregal.tc.orders (id BIGINT, amount DOUBLE) USING iceberg").collectAsList();
            session.sql("INSERT INTO pedregal.tc.orders VALUES (1, 9.5), (2, 20.0), (3, 0.5)").collectAsList();

            List<Row> rows = session.sql("SELECT count(*), sum(amount) FROM pedregal.tc.orders").collectAsList();

            assertThat(rows.get(0).getLong(0)).isEqualTo(3);
            assertThat(rows.get(0).getDouble(1)).isEqualTo(30.0);
        }
        try (Stream<Path> files = Files.walk(warehouse.resolve("tc/orders"))) {
            assertThat(files.map(path -> path.getFileName().toString()))
                    .anyMatch(name -> name.endsWith(".metadata.json"))
                    .anyMatch(name -> name.endsWith(".parquet"));
        }
    }

    @Test
    void clientWithoutTheTokenIsRefused() throws Exception {
        String withoutToken = "sc://localhost:" + spark.getSparkConnectPort() + "/";
        assertThat(spark.getSparkConnectUrl()).isEqualTo(withoutToken + ";token=" + TOKEN);

        assertThatThrownBy(() -> {
            try (SparkSession session = SparkSession.builder().remote(withoutToken).create()) {
                session.sql("SELECT 1 AS one").schema();
            }
        }).hasMessageContaining("UNAUTHENTICATED");
    }

    @Test
    void settingsReachTheServerAndTheUiAnswers() throws Exception {
        try (SparkSession session = SparkSession.builder().remote(spark.getSparkConnectUrl()).create()) {
            assertThat(session.conf().get("spark.sql.shuffle.partitions")).isEqualTo("2");
            assertThat(session.conf().get("spark.dcp.under_score")).isEqualTo("kept");
            assertThat(session.version()).startsWith("4.0.");
        }
        HttpResponse<String> ui = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(spark.getSparkUiUrl() + "/api/v1/applications")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ui.statusCode()).isEqualTo(200);
        assertThat(ui.body()).contains("dcp-spark-connect");
    }

    @Test
    void unknownSparkVersionIsRefusedWithTheKnownOnes() {
        assertThatThrownBy(() -> SparkContainer.builder().withSparkVersion("9.9"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Spark version 9.9 has no Spark Connect image; the platform's are 4.0");
        assertThatThrownBy(() -> new SparkContainer().withSparkVersion("3.5"))
                .hasMessageContaining("the platform's Spark 3.5 image has no Spark Connect server; use 4.0");
    }

    @Test
    void driverMemoryBelowSparksMinimumIsRefused() {
        assertThatThrownBy(() -> SparkContainer.builder().withDriverMemory(256))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("driver memory 256 MiB: Spark needs at least 450 MiB of heap for a driver; give it 512 MiB"
                        + " or more");
    }

    @Test
    void badSettingKeyAndShortTokenAreRefused() {
        assertThatThrownBy(() -> SparkContainer.builder().withSparkConfig("sql.shuffle.partitions", "4"))
                .hasMessageContaining("expected a key such as spark.sql.shuffle.partitions");
        assertThatThrownBy(() -> SparkContainer.builder().withToken("short"))
                .hasMessageContaining("expected at least 16 characters");
    }

    @Test
    void portTakenOnTheHostIsRefusedAtStart() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            SparkContainer container = SparkContainer.builder().withSparkConnectPort(taken.getLocalPort()).build();

            assertThatThrownBy(container::start).isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("Spark Connect port " + taken.getLocalPort() + " is taken on this machine");
            assertThat(container.getContainerId()).isNull();
        }
    }

    @Test
    void missingImageSaysHowToBuildIt() {
        SparkContainer container = new SparkContainer(DockerImageName.parse("dcp-spark:4.0-not-built"));

        assertThatThrownBy(container::start).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("image dcp-spark:4.0-not-built is not there: build it with docker/build.sh 4.0");
        assertThat(container.getContainerId()).isNull();
    }
}
