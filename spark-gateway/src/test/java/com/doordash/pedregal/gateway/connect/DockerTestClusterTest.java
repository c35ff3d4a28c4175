package com.doordash.pedregal.gateway.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.doordash.pedregal.gateway.Application;
import com.doordash.pedregal.gateway.BackendRun;
import com.doordash.pedregal.gateway.GatewayConfig;
import com.doordash.pedregal.gateway.LaunchRequest;
import com.doordash.pedregal.gateway.Router;
import com.doordash.pedregal.gateway.RunState;
import com.doordash.pedregal.gateway.SparkGateway;
import com.doordash.pedregal.gateway.SparkRuntimes;
import com.doordash.pedregal.gateway.TestDirs;
import com.doordash.pedregal.gateway.docker.DockerConfig;
import com.doordash.pedregal.gateway.local.LocalBackend;
import com.doordash.pedregal.gateway.testing.ChildServers;
import com.doordash.pedregal.gateway.testing.RequiresDocker;
import com.doordash.pedregal.gateway.testing.RuntimeImages;
import com.doordash.pedregal.model.auth.TokenFile;
import com.doordash.pedregal.model.config.ConfigProperties;
import com.doordash.pedregal.model.driver.DriverClasses;
import com.doordash.pedregal.model.json.Json;
import com.github.dockerjava.api.DockerClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import org.apache.spark.sql.connect.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared test cluster in a container of the Spark 4.0 runtime image, behind the same proxy and read-only guard. */
@RequiresDocker
final class DockerTestClusterTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final String TOKEN = "carol-token-0987";

    @TempDir
    static Path dataDir;
    private static GatewayConfig gateway;
    private static SparkRuntimes runtimes;
    private static TestClusterConfig config;
    private static TestCluster cluster;
    private static SparkConnectProxy proxy;
    private static DockerClient docker;

    @BeforeAll
    static void start() throws Exception {
        RuntimeImages.build();
        TestDirs.reachable(dataDir);
        gateway = GatewayConfig.from(new ConfigProperties(Map.of()), dataDir, Map.of());
        runtimes = SparkRuntimes.scan(gateway.runtimesDir());
        LocalBackend local = new LocalBackend(gateway, runtimes);
        SparkGateway sparkGateway = new SparkGateway(List.of(local), runtimes, new Router(List.of(), "local"));
        BackendRun table = sparkGateway.launch(new LaunchRequest("test-" + UUID.randomUUID(), "docker-cluster-table", "test",
                LaunchRequest.DEFAULT_NAMESPACE, "BATCH", "4.0", Application.platformTool(DriverClasses.QUERY_MAIN, List.of(
                        "CREATE NAMESPACE IF NOT EXISTS pedregal.connect_test",
                        "CREATE TABLE pedregal.connect_test.cubes USING iceberg AS SELECT id, id * id * id AS cube"
                                + " FROM range(1, 4)")), Map.of(), Map.of(), 1, 512L << 20));
        assertThat(sparkGateway.awaitEnd(table, TIMEOUT).state()).as(local.logs(table, OptionalInt.of(40)))
                .isEqualTo(RunState.SUCCEEDED);
        sparkGateway.close();

        Path tokens = dataDir.resolve("tokens.json");
        Files.writeString(tokens, Json.write(new TokenFile.Content(List.of(
                new TokenFile.Entry("carol", TokenFile.sha256(TOKEN), "carol@doordash.com", List.of("t"), false)))));
        config = TestClusterConfig.from(new ConfigProperties(Map.of("test-cluster.backend", "docker",
                "test-cluster.driver-memory", "1g", "test-cluster.health-interval", "1s")));
        cluster = new TestCluster(config, gateway, runtimes, DockerConfig.from(new ConfigProperties(Map.of())));
        cluster.start();
        cluster.awaitUp(TIMEOUT);
        proxy = new SparkConnectProxy("127.0.0.1", 0, cluster, TokenFile.load(tokens)).start();
        docker = ChildServers.docker();
    }

    @AfterAll
    static void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (docker != null) {
            assertThat(clusterContainers()).as("no container of the cluster is left").isEmpty();
            docker.close();
        }
    }

    @Test
    void theClusterInAContainerReadsTablesThroughTheProxyRefusesWritesAndComesBackAfterItsContainerIsKilled()
            throws Exception {
        String first = cluster.containerId().orElseThrow();
        assertThat(docker.inspectContainerCmd(first).exec().getConfig().getUser()).doesNotStartWith("0:");
        try (SparkSession spark = connect()) {
            assertThat(spark.sql("SELECT sum(cube) AS total FROM pedregal.connect_test.cubes").collectAsList())
                    .extracting(row -> row.getLong(0)).containsExactly(36L);
            assertThatThrownBy(() -> spark.sql("INSERT INTO pedregal.connect_test.cubes VALUES (9, 729)").collectAsList())
                    .hasMessageContaining("read-only");
        }

        docker.killContainerCmd(first).exec();

        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while ((cluster.containerId().isEmpty() || cluster.containerId().get().equals(first)
                || cluster.state() != TestCluster.State.UP) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(cluster.state()).isEqualTo(TestCluster.State.UP);
        assertThat(cluster.restarts()).isGreaterThanOrEqualTo(1);
        assertThat(clusterContainers()).hasSize(1);
        try (SparkSession spark = connect()) {
            assertThat(spark.sql("SELECT count(*) FROM pedregal.connect_test.cubes").collectAsList())
                    .extracting(row -> row.getLong(0)).containsExactly(3L);
        }
        assertThat(Files.readString(cluster.logFile())).contains("image dcp-spark:4.0");
    }

    @Test
    void aClusterStartedAfterAKilledServerReplacesTheContainerThatServerLeft(@TempDir Path otherDataDir) throws Exception {
        TestDirs.reachable(otherDataDir);
        GatewayConfig other = GatewayConfig.from(new ConfigProperties(Map.of()), otherDataDir, Map.of());
        String label = other.runsDir().resolve("test-cluster").toAbsolutePath().toString();
        // What a killed server leaves: its cluster's container, still running.
        String leftover = docker.createContainerCmd("dcp-spark:4.0").withEntrypoint("sleep", "600")
                .withLabels(Map.of("com.doordash.pedregal.test-cluster", label)).exec().getId();
        docker.startContainerCmd(leftover).exec();

        TestCluster next = new TestCluster(config, other, runtimes, DockerConfig.from(new ConfigProperties(Map.of())));
        try {
            next.start();
            next.awaitUp(TIMEOUT);
            assertThat(containersLabelled(label)).extracting(container -> container.getId())
                    .containsExactly(next.containerId().orElseThrow());
        }
        finally {
            next.close();
        }
        assertThat(containersLabelled(label)).isEmpty();
    }

    private static SparkSession connect() {
        return SparkSession.builder().remote("sc://localhost:" + proxy.port() + "/;token=" + TOKEN).create();
    }

    private static List<com.github.dockerjava.api.model.Container> clusterContainers() {
        return containersLabelled(gateway.runsDir().resolve("test-cluster").toAbsolutePath().toString());
    }

    private static List<com.github.dockerjava.api.model.Container> containersLabelled(String cluster) {
        return docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of("com.doordash.pedregal.test-cluster", cluster))
                .exec();
    }
}
