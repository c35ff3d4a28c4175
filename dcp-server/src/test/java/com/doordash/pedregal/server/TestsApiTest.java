package com.doordash.pedregal.server;

import static com.doordash.pedregal.server.TestPlatform.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.doordash.pedregal.gateway.connect.TestCluster;
import com.doordash.pedregal.server.grpc.v1.DCPSparkServiceGrpc;
import com.doordash.pedregal.server.grpc.v1.TestJobRequest;
import com.doordash.pedregal.server.grpc.v1.TestJobResponse;
import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** {@code test} through REST and gRPC on the real shared test cluster (Spark Connect 4.0.1, read-only). */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
final class TestsApiTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final String SEED_SPEC = """
            {"sources": [{"type": "iceberg", "catalog": "pedregal", "database": "raw", "table": "events"}],
             "transformations": [{"type": "sql", "query": "SELECT * FROM source WHERE event_type = 'order'"}],
             "sinks": [{"type": "iceberg", "catalog": "pedregal", "database": "derived", "table": "orders"}]}""";

    @TempDir
    static Path dataDir;
    private static DcpServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = TestPlatform.start(dataDir, Map.of("test-cluster.enabled", "true", "test-cluster.health-interval", "1s"));
        server.testCluster().orElseThrow().awaitUp(TIMEOUT);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Order(1)
    void seedSpecPassesWithSchemasLineagePreviewAndCost() {
        TestPlatform.Response response = test("{\"job_spec\": " + SEED_SPEC + ", \"options\": {\"preview_limit\": 5}}");

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode report = response.json();
        assertThat(report.path("status").asText()).as(report.toString()).isEqualTo("PASSED");
        assertThat(report.path("schemas").path("sinks").get(0).path("table").asText()).isEqualTo("pedregal.derived.orders");
        assertThat(report.path("schemas").path("sinks").get(0).path("columns")).extracting(column -> column.path("name").asText())
                .containsExactly("event_id", "event_type", "user_id", "amount", "event_time", "event_date");
        assertThat(report.path("lineage").path("tables").get(0).path("sources")).extracting(JsonNode::asText)
                .containsExactly("pedregal.raw.events");
        assertThat(report.path("preview").path("rows")).hasSize(5);
        assertThat(report.path("preview").path("rows")).allSatisfy(row -> assertThat(row.toString()).contains("\"order\""));
        assertThat(report.path("cost").get(0).path("files").asLong()).isPositive();
        assertThat(report.path("explain").asText()).contains("Scan");
        assertThat(report.path("timings_ms").path("end_to_end").asLong()).isPositive();
    }

    @Test
    @Order(2)
    void syntaxErrorFailsTheTestWithTheLineAndColumn() {
        String spec = SEED_SPEC.replace("SELECT * FROM source WHERE event_type = 'order'",
                "SELECT event_id,\\n  count(* FROM source");

        JsonNode report = test("{\"job_spec\": " + spec + "}").json();

        assertThat(report.path("status").asText()).isEqualTo("FAILED");
        JsonNode finding = report.path("findings").get(0);
        assertThat(finding.path("code").asText()).isEqualTo("SYNTAX_ERROR");
        assertThat(finding.path("transformation").asInt()).isZero();
        assertThat(finding.path("line").asInt()).isEqualTo(2);
        assertThat(finding.path("column").asInt()).isPositive();
    }

    @Test
    @Order(3)
    void grpcTestJobAnswersTheSameReport() throws Exception {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
        try {
            Metadata headers = new Metadata();
            headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + TestPlatform.DEMO_TOKEN);
            TestJobResponse response = DCPSparkServiceGrpc.newBlockingStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                    .withDeadlineAfter(60, TimeUnit.SECONDS)
                    .testJob(TestJobRequest.newBuilder().setJobSpecJson(SEED_SPEC)
                            .setOptionsJson("{\"sections\": {\"preview\": false}}").build());

            assertThat(response.getStatus()).isEqualTo("PASSED");
            JsonNode report = com.doordash.pedregal.model.json.Json.mapper().readTree(response.getReportJson());
            assertThat(report.has("preview")).isFalse();
            assertThat(report.has("lineage")).isTrue();
        }
        finally {
            channel.shutdownNow();
        }
    }

    @Test
    @Order(3)
    void aSpecThatReadsTheServersFilesOrReachesTheJvmIsRefusedWith403AndTheClusterStaysUp() throws Exception {
        TestCluster cluster = server.testCluster().orElseThrow();
        long pid = cluster.pid().orElseThrow();
        java.nio.file.Path tokens = server.gatewayConfig().runsDir().getParent().resolve("tokens.json");
        String store = server.gatewayConfig().runsDir().getParent().resolve("db").toString();
        java.util.List<String> attacks = java.util.List.of(
                "SELECT value FROM text.`" + tokens + "`",
                "SELECT * FROM source WHERE event_type IN (SELECT value FROM text.`" + tokens + "`)",
                "SELECT * FROM binaryFile.`" + store + "`",
                "SELECT reflect('java.lang.System', 'exit', 0) AS x",
                "SELECT java_method('java.lang.System', 'getenv', 'SPARK_CONNECT_AUTHENTICATE_TOKEN') AS x",
                "SELECT TRANSFORM(event_type) USING 'cat " + tokens + "' AS (line) FROM source");
        for (String query : attacks) {
            String spec = SEED_SPEC.replace("SELECT * FROM source WHERE event_type = 'order'", query);

            TestPlatform.Response response = test("{\"job_spec\": " + spec + "}");

            assertThat(response.status()).as(query + ": " + response.body()).isEqualTo(403);
            assertThat(response.json().at("/error/code").asText()).isEqualTo("PERMISSION_DENIED");
            assertThat(response.json().at("/error/field").asText()).isEqualTo("job_spec.transformations[0].query");
            assertThat(response.json().at("/error/message").asText()).as(query)
                    .startsWith("transformations[0]: the test cluster reads tables only: refused ");
            assertThat(response.body()).doesNotContain("sha256");
        }
        assertThat(cluster.pid()).as("reflect did not stop the cluster").hasValue(pid);
        assertThat(test("{\"job_spec\": " + SEED_SPEC + "}").json().path("status").asText()).isEqualTo("PASSED");
    }

    @Test
    @Order(4)
    void deadClusterGivesA503AndTheNextRequestSucceedsAfterTheRestart() throws Exception {
        TestCluster cluster = server.testCluster().orElseThrow();
        ProcessHandle process = ProcessHandle.of(cluster.pid().orElseThrow()).orElseThrow();
        process.destroyForcibly();
        process.onExit().get(30, TimeUnit.SECONDS);

        TestPlatform.Response during = test("{\"job_spec\": " + SEED_SPEC + "}");

        assertThat(during.status()).as(during.body()).isEqualTo(503);
        assertThat(during.retryAfter()).isEqualTo("5");
        assertThat(during.json().path("error").path("message").asText())
                .isEqualTo("the test cluster is starting or restarting; retry in a few seconds");
        cluster.awaitUp(TIMEOUT);
        TestPlatform.Response after = test("{\"job_spec\": " + SEED_SPEC + "}");
        assertThat(after.status()).as(after.body()).isEqualTo(200);
        assertThat(after.json().path("status").asText()).isEqualTo("PASSED");
    }

    private static TestPlatform.Response test(String body) {
        return post(server, "/api/v1/tests", body);
    }
}
