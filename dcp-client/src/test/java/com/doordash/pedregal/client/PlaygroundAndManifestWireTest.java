package com.doordash.pedregal.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.doordash.pedregal.client.StubServer.Reply;
import com.doordash.pedregal.model.json.Json;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The playground, manifest and test calls on the wire (issue 6 contract): what is sent, how answers and errors are
 * read. The end-to-end flow against the real server is pretzel-cli's PretzelPlaygroundFlowTest.
 */
final class PlaygroundAndManifestWireTest {
    private static final String PLAYGROUND = """
            {"id": "pg-1a2b3c4d", "name": "demo", "team": "data-infra", "user": "user@doordash.com",
             "catalog": "pedregal", "namespace": "pg_data_infra_user_demo",
             "created_at": "2026-11-21T12:00:00Z", "expires_at": "2026-11-28T12:00:00Z",
             "resources": [{"kind": "DerivedDataset", "name": "order-counts",
                            "tables": ["pedregal.pg_data_infra_user_demo.order_counts"], "applied_at": "2026-11-21T12:05:00Z"}],
             "labels": {"x": "y"}}
            """;

    @Test
    void createSendsNameTeamAndTtlInItsLargestWholeUnitAndReadsThePlayground() throws Exception {
        try (StubServer server = StubServer.scripted(Reply.json(201, PLAYGROUND));
                DCPSparkClient client = client(server)) {
            Playground playground = client.createPlayground(PlaygroundRequest.builder()
                    .name("demo").team("data-infra").ttl(Duration.ofMinutes(90)).build());

            StubServer.Request request = server.requests().get(0);
            assertThat(request.method() + " " + request.uri()).isEqualTo("POST /api/v1/playgrounds");
            assertThat(Json.mapper().readTree(request.body()))
                    .isEqualTo(Json.mapper().readTree("{\"name\": \"demo\", \"team\": \"data-infra\", \"ttl\": \"90m\"}"));
            assertThat(playground.id()).isEqualTo("pg-1a2b3c4d");
            assertThat(playground.namespace()).isEqualTo("pg_data_infra_user_demo");
            assertThat(playground.expiresAt()).isEqualTo(Instant.parse("2026-11-28T12:00:00Z"));
            assertThat(playground.resources()).singleElement().satisfies(resource -> {
                assertThat(resource.kind()).isEqualTo("DerivedDataset");
                assertThat(resource.tables()).containsExactly("pedregal.pg_data_infra_user_demo.order_counts");
            });
            assertThat(playground.json().path("labels").path("x").asText()).isEqualTo("y");
        }
    }

    @Test
    void ttlIsWrittenInTheLargestUnitThatDividesIt() {
        assertThat(PlaygroundRequest.wireTtl(Duration.ofDays(7))).isEqualTo("7d");
        assertThat(PlaygroundRequest.wireTtl(Duration.ofHours(36))).isEqualTo("36h");
        assertThat(PlaygroundRequest.wireTtl(Duration.ofMinutes(90))).isEqualTo("90m");
        assertThat(PlaygroundRequest.wireTtl(Duration.ofSeconds(61))).isEqualTo("61s");
        assertThatThrownBy(() -> PlaygroundRequest.builder().ttl(Duration.ZERO))
                .hasMessage("ttl: PT0S (expected: a positive duration)");
        assertThatThrownBy(() -> PlaygroundRequest.builder().ttl(Duration.ofMillis(1500)))
                .hasMessage("ttl: PT1.5S (expected: whole seconds)");
    }

    @Test
    void extendAndDeleteAddressThePlaygroundByName() throws Exception {
        try (StubServer server = StubServer.start(request -> request.method().equals("DELETE")
                ? Reply.json(200, "{\"playground\": " + PLAYGROUND + ", \"dropped_tables\": [\"pedregal.pg_x.t\"], "
                        + "\"cancelled_jobs\": [\"j1\"]}")
                : Reply.json(200, PLAYGROUND));
                DCPSparkClient client = client(server)) {
            client.extendPlayground("my demo", Duration.ofDays(3));
            DeletedPlayground deleted = client.deletePlayground("demo");

            assertThat(server.requests().get(0).uri()).isEqualTo("/api/v1/playgrounds/my%20demo/extend");
            assertThat(server.requests().get(0).body()).isEqualTo("{\"ttl\":\"3d\"}");
            assertThat(server.requests().get(1).uri()).isEqualTo("/api/v1/playgrounds/demo");
            assertThat(deleted.playground().name()).isEqualTo("demo");
            assertThat(deleted.droppedTables()).containsExactly("pedregal.pg_x.t");
            assertThat(deleted.cancelledJobs()).containsExactly("j1");
        }
    }

    @Test
    void unknownPlaygroundIsPlaygroundNotFound() {
        try (StubServer server = StubServer.scripted(Reply.error(404, "PLAYGROUND_NOT_FOUND", "no playground nope"));
                DCPSparkClient client = client(server)) {
            assertThatThrownBy(() -> client.getPlayground("nope"))
                    .isInstanceOfSatisfying(PlaygroundNotFoundException.class, e -> {
                        assertThat(e.getServerMessage()).hasValue("no playground nope");
                        assertThat(e.getErrorCode()).isEqualTo("PLAYGROUND_NOT_FOUND");
                    })
                    .hasMessage("no playground nope (HTTP 404 PLAYGROUND_NOT_FOUND on GET /api/v1/playgrounds/nope)");
        }
    }

    @Test
    void manifestIsSentAsTextWithFilePlaygroundKindAndOptions() throws Exception {
        try (StubServer server = StubServer.scripted(Reply.json(200, """
                {"kind": "DerivedDataset", "name": "order-counts", "playground": "demo",
                 "report": {"status": "FAILED", "findings": [{"severity": "error", "code": "SYNTAX_ERROR"}]}}
                """));
                DCPSparkClient client = client(server)) {
            ManifestResult result = client.manifest(ManifestCommand.TEST, ManifestRequest.builder()
                    .manifest("kind: DerivedDataset\n").file("B.yaml").playground("demo").kind("DerivedDataset")
                    .options("{\"preview_limit\": 5}").build());

            StubServer.Request request = server.requests().get(0);
            assertThat(request.uri()).isEqualTo("/api/v1/manifests/test");
            assertThat(Json.mapper().readTree(request.body())).isEqualTo(Json.mapper().readTree("""
                    {"manifest": "kind: DerivedDataset\\n", "file": "B.yaml", "playground": "demo",
                     "kind": "DerivedDataset", "options": {"preview_limit": 5}}
                    """));
            assertThat(result.name()).isEqualTo("order-counts");
            assertThat(result.report()).hasValueSatisfying(report -> assertThat(report.passed()).isFalse());
        }
    }

    @Test
    void badManifestKeepsTheServersFileLineColumnMessage() {
        try (StubServer server = StubServer.scripted(Reply.json(400, """
                {"error": {"code": "INVALID_MANIFEST", "message": "B.yaml:7:5: spec.coreEtl.version: is required",
                           "field": "spec.coreEtl.version"}}
                """));
                DCPSparkClient client = client(server)) {
            assertThatThrownBy(() -> client.manifest(ManifestCommand.APPLY, ManifestRequest.builder().manifest("x: 1").build()))
                    .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                        assertThat(e.getServerMessage()).hasValue("B.yaml:7:5: spec.coreEtl.version: is required");
                        assertThat(e.getField()).hasValue("spec.coreEtl.version");
                    });
        }
    }

    @Test
    void runAnswerCarriesTheJobAndTables() {
        try (StubServer server = StubServer.scripted(Reply.json(202, """
                {"kind": "DerivedDataset", "name": "order-counts", "playground": "demo", "job_id": "j9",
                 "execution_id": "exec-9", "status": "PENDING", "tables": ["pedregal.pg_x.order_counts"]}
                """));
                DCPSparkClient client = client(server)) {
            ManifestResult result = client.manifest(ManifestCommand.RUN, ManifestRequest.builder().manifest("x: 1").build());

            assertThat(result.jobId()).hasValue("j9");
            assertThat(result.tables()).containsExactly("pedregal.pg_x.order_counts");
        }
    }

    @Test
    void rawSubmitSendsTheBodyAsWritten() throws Exception {
        try (StubServer server = StubServer.scripted(Reply.json(202,
                "{\"job_id\": \"j1\", \"execution_id\": \"exec-1\", \"status\": \"PENDING\"}"));
                DCPSparkClient client = client(server)) {
            SubmitJobResponse response = client.submitJobJson("{\"name\": \"x\", \"extra\": [1]}");

            assertThat(Json.mapper().readTree(server.requests().get(0).body()))
                    .isEqualTo(Json.mapper().readTree("{\"name\": \"x\", \"extra\": [1]}"));
            assertThat(response.getJobId()).isEqualTo("j1");
            assertThat(response.getJson().path("execution_id").asText()).isEqualTo("exec-1");
            assertThatThrownBy(() -> client.submitJobJson("[1]"))
                    .hasMessage("requestJson: \"[1]\" (expected: a JSON object)");
        }
    }

    private static DCPSparkClient client(StubServer server) {
        return DCPSparkClient.builder().baseUrl(server.url()).token("t").maxRetries(0).build();
    }
}
