package com.doordash.pedregal.server;

import static com.doordash.pedregal.server.TestPlatform.awaitStatus;
import static com.doordash.pedregal.server.TestPlatform.get;
import static com.doordash.pedregal.server.TestPlatform.submit;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A platform keeping one warm driver: jobs run on it through the REST API, and survive a restart of the server. */
final class HotPoolApiTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final Map<String, String> ONE_WARM_DRIVER = Map.of("gateway.hot-pool.pools", "3.5/default=1",
            "gateway.hot-pool.max-size", "1");

    @TempDir
    static Path dataDir;
    private static DcpServer server;

    @BeforeAll
    static void startServer() {
        server = TestPlatform.start(dataDir, ONE_WARM_DRIVER);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void readmeExampleRunsOnTheWarmDriverAndWritesItsSink() throws Exception {
        awaitIdleDriver(server);
        JsonNode before = get(server, "/api/v1/pools").json().path("pools").get(0);
        long handOffs = before.path("hand_offs").asLong();
        long coldStarts = before.path("cold_starts").asLong();

        String jobId = submit(server, TestPlatform.readmeSubmitBody());

        JsonNode status = awaitStatus(server, jobId, TestPlatform.FINAL_STATES, TIMEOUT);
        assertThat(status.path("status").asText()).as(status.toString()).isEqualTo("SUCCEEDED");
        assertThat(status.path("metrics").path("records_written").asLong()).isEqualTo(3000);
        assertThat(get(server, "/api/v1/jobs/" + jobId + "/logs?tail=100000", "text/plain").body())
                .contains("handed to warm driver");
        JsonNode pool = get(server, "/api/v1/pools").json().path("pools").get(0);
        assertThat(pool.path("hand_offs").asLong()).isEqualTo(handOffs + 1);
        assertThat(pool.path("cold_starts").asLong()).isEqualTo(coldStarts);
        assertThat(get(server, "/metrics").body())
                .contains("dcp_hot_pool_hand_offs_total{backend=\"local\",namespace=\"default\",spark_version=\"3.5\"} "
                        + (handOffs + 1) + ".0")
                .contains("dcp_hot_pool_cold_starts_total{backend=\"local\",namespace=\"default\",spark_version=\"3.5\"} "
                        + coldStarts + ".0")
                .contains("dcp_hot_pool_size{backend=\"local\",namespace=\"default\",spark_version=\"3.5\"} 1.0");
        assertThat(TestPlatform.query(server, "SELECT count(*) AS n, min(event_type) AS t FROM pedregal.derived.orders"))
                .extracting(rows -> rows.get(0).toString())
                .containsExactly("{\"n\":3000,\"t\":\"order\"}");
    }

    @Test
    void playgroundRunTakesTheDefaultPoolsWarmDriverWithItsWallArmed() throws Exception {
        TestPlatform.post(server, "/api/v1/playgrounds", "{\"name\": \"warm\"}");
        String body = com.doordash.pedregal.model.json.Json.write(Map.of("manifest", PlaygroundsApiTest.ORDER_COUNTS,
                "file", "B.yaml", "playground", "warm"));
        TestPlatform.Response applied = TestPlatform.post(server, "/api/v1/manifests/apply", body);
        assertThat(applied.status()).as(applied.body()).isEqualTo(200);
        awaitIdleDriver(server);

        TestPlatform.Response run = TestPlatform.post(server, "/api/v1/manifests/run", body);
        assertThat(run.status()).as(run.body()).isEqualTo(202);
        String jobId = run.json().path("job_id").asText();

        JsonNode status = awaitStatus(server, jobId, TestPlatform.FINAL_STATES, TIMEOUT);
        assertThat(status.path("status").asText()).as(status.toString()).isEqualTo("SUCCEEDED");
        assertThat(status.path("metrics").path("records_written").asLong()).isEqualTo(5);
        assertThat(get(server, "/api/v1/jobs/" + jobId + "/logs?tail=100000", "text/plain").body())
                .contains("handed to warm driver")
                .contains("playground write wall armed: this run writes only to tables of pedregal.pg_data_infra_user_warm");
    }

    @Test
    void poolsAndRuntimesAreListed() throws Exception {
        awaitIdleDriver(server);
        JsonNode pools = get(server, "/api/v1/pools").json().path("pools");
        assertThat(pools).hasSize(1);
        assertThat(pools.get(0).path("backend").asText()).isEqualTo("local");
        assertThat(pools.get(0).path("spark_version").asText()).isEqualTo("3.5");
        assertThat(pools.get(0).path("namespace").asText()).isEqualTo("default");
        assertThat(pools.get(0).path("size").asInt()).isEqualTo(1);
        assertThat(pools.get(0).path("idle").asInt()).isEqualTo(1);

        JsonNode runtime35 = get(server, "/api/v1/runtimes").json().path("runtimes").get(0);
        assertThat(runtime35.path("spark_version").asText()).isEqualTo("3.5");
        assertThat(runtime35.path("spark_release").asText()).isEqualTo("3.5.9");
        assertThat(runtime35.path("backends")).extracting(JsonNode::asText).containsExactly("local");
        assertThat(runtime35.path("hot_pools")).extracting(JsonNode::asText).containsExactly("local/default");
    }

    @Test
    void warmJobRunningDuringARestartIsFollowedToItsEnd() throws Exception {
        awaitIdleDriver(server);
        String jobId = submit(server, TestPlatform.sleepingJob("warm-restart", 8));
        awaitStatus(server, jobId, Set.of("RUNNING"), Duration.ofSeconds(10));

        server.close();
        server = TestPlatform.start(dataDir, ONE_WARM_DRIVER);

        JsonNode status = awaitStatus(server, jobId, TestPlatform.FINAL_STATES, TIMEOUT);
        assertThat(status.path("status").asText()).as(status.toString()).isEqualTo("SUCCEEDED");
        assertThat(status.path("history")).extracting(change -> change.path("status").asText())
                .containsExactly("PENDING", "SUBMITTED", "RUNNING", "SUCCEEDED");
        assertThat(get(server, "/api/v1/jobs/" + jobId + "/logs?tail=100000", "text/plain").body())
                .contains("handed to warm driver");
    }

    private static void awaitIdleDriver(DcpServer server) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (get(server, "/api/v1/pools").json().path("pools").get(0).path("idle").asInt() < 1) {
            assertThat(System.nanoTime()).as("a warm driver is idle within " + TIMEOUT).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

}
