package com.doordash.pedregal.server;

import static com.doordash.pedregal.server.TestPlatform.awaitStatus;
import static com.doordash.pedregal.server.TestPlatform.get;
import static com.doordash.pedregal.server.TestPlatform.submit;
import static org.assertj.core.api.Assertions.assertThat;

import com.doordash.pedregal.gateway.SparkRuntimes;
import com.doordash.pedregal.gateway.standalone.StandaloneCluster;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A routing rule sends a team's jobs to a real Spark standalone cluster; the server follows them across a restart. */
final class StandaloneRoutingTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(4);

    @TempDir
    static Path dataDir;
    private static StandaloneCluster cluster;
    private static Map<String, String> properties;
    private static DcpServer server;

    @BeforeAll
    static void startClusterAndServer() {
        SparkRuntimes runtimes = SparkRuntimes.scan(Path.of(System.getProperty("dcp.runtimes-dir")));
        cluster = StandaloneCluster.start(runtimes.runtime("3.5"), dataDir.resolve("cluster"));
        properties = new HashMap<>(cluster.backendProperties());
        properties.put("gateway.routes", "data-infra-on-cluster");
        properties.put("gateway.route.data-infra-on-cluster.team", "data-infra");
        properties.put("gateway.route.data-infra-on-cluster.backend", "standalone");
        server = TestPlatform.start(dataDir.resolve("platform"), properties);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void teamsJobRunsOnTheClusterAndIsFollowedAcrossARestartToItsSink() {
        String jobId = submit(server, TestPlatform.job("on-cluster", "data-infra",
                "SELECT event_type, count(*) AS n FROM source GROUP BY event_type", "cluster_counts"));
        JsonNode running = awaitStatus(server, jobId, Set.of("SUBMITTED", "RUNNING"), TIMEOUT);
        assertThat(running.path("backend").asText()).isEqualTo("standalone");

        server.close();
        server = TestPlatform.start(dataDir.resolve("platform"), properties);

        JsonNode status = awaitStatus(server, jobId, TestPlatform.FINAL_STATES, TIMEOUT);
        assertThat(status.path("status").asText()).as(status.toString()).isEqualTo("SUCCEEDED");
        assertThat(get(server, "/api/v1/jobs/" + jobId + "/logs?tail=200", "text/plain").body()).contains("driver-");
        assertThat(TestPlatform.query(server,
                "SELECT event_type, n FROM pedregal.derived.cluster_counts ORDER BY event_type"))
                .extracting(rows -> rows.toString())
                .containsExactly("[{\"event_type\":\"click\",\"n\":2500}, {\"event_type\":\"order\",\"n\":3000},"
                        + " {\"event_type\":\"refund\",\"n\":1000}, {\"event_type\":\"signup\",\"n\":1000},"
                        + " {\"event_type\":\"view\",\"n\":2500}]");
    }
}
