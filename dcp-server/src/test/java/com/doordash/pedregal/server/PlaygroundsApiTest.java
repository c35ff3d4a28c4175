package com.doordash.pedregal.server;

import static com.doordash.pedregal.server.TestPlatform.FINAL_STATES;
import static com.doordash.pedregal.server.TestPlatform.awaitStatus;
import static com.doordash.pedregal.server.TestPlatform.get;
import static com.doordash.pedregal.server.TestPlatform.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.doordash.pedregal.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Playgrounds and manifest commands through the REST API of a real server, on real Spark and Iceberg. */
final class PlaygroundsApiTest {
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(3);
    static final String ORDER_COUNTS = """
            apiVersion: dcp.pedregal.doordash.com/v1
            kind: DerivedDataset
            metadata:
              name: order-counts
              team: data-infra
            spec:
              engine:
                version: "3.5"
              table: pedregal.derived.order_counts
              coreEtl:
                version: "2.7.0"
                jobSpec:
                  sources:
                    - {type: iceberg, catalog: pedregal, database: raw, table: events}
                  transformations:
                    - type: sql
                      query: SELECT event_type, count(*) AS events FROM source GROUP BY event_type
            """;

    @TempDir
    static Path dataDir;
    private static DcpServer server;
    private static String adminToken;

    @BeforeAll
    static void startServer() {
        server = TestPlatform.start(dataDir, Map.of("playgrounds.janitor-interval", "500ms", "playgrounds.max-ttl", "10d"));
        adminToken = server.newAdminToken().orElseThrow();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void playgroundIsCreatedListedExtendedAndSeenOnlyByItsTeam() {
        TestPlatform.Response created = post(server, "/api/v1/playgrounds", "{\"name\": \"life\", \"ttl\": \"2d\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode playground = created.json();
        assertThat(playground.get("team").asText()).isEqualTo("data-infra");
        assertThat(playground.get("user").asText()).isEqualTo("user@doordash.com");
        assertThat(playground.get("namespace").asText()).isEqualTo("pg_data_infra_user_life");
        Instant createdAt = Instant.parse(playground.get("created_at").asText());
        assertThat(Duration.between(createdAt, Instant.parse(playground.get("expires_at").asText()))).isEqualTo(Duration.ofDays(2));

        TestPlatform.Response again = post(server, "/api/v1/playgrounds", "{\"name\": \"life\"}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().at("/error/code").asText()).isEqualTo("PLAYGROUND_EXISTS");
        TestPlatform.Response tooLong = post(server, "/api/v1/playgrounds", "{\"name\": \"long\", \"ttl\": \"40d\"}");
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.json().at("/error/field").asText()).isEqualTo("ttl");
        assertThat(tooLong.json().at("/error/message").asText()).contains("10d (playgrounds.max-ttl)");

        assertThat(get(server, "/api/v1/playgrounds/life").json().get("id").asText()).isEqualTo(playground.get("id").asText());
        JsonNode extended = post(server, "/api/v1/playgrounds/life/extend", "{\"ttl\": \"5d\"}").json();
        assertThat(Instant.parse(extended.get("expires_at").asText())).isAfter(createdAt.plus(Duration.ofDays(4)));

        TestPlatform.Response others = TestPlatform.post(server, "/api/v1/playgrounds",
                "{\"name\": \"theirs\", \"team\": \"other-team\"}", adminToken);
        assertThat(others.status()).as(others.body()).isEqualTo(201);
        JsonNode mine = get(server, "/api/v1/playgrounds").json().get("playgrounds");
        assertThat(mine.findValuesAsText("name")).contains("life").doesNotContain("theirs");
        assertThat(get(server, "/api/v1/playgrounds/" + others.json().get("id").asText()).status()).isEqualTo(404);
    }

    @Test
    void derivedDatasetIsAppliedRunIntoThePlaygroundAndDeletedWhileProductionIsUntouched() {
        post(server, "/api/v1/playgrounds", "{\"name\": \"flow\"}");
        String table = "pedregal.pg_data_infra_user_flow.order_counts";

        JsonNode plan = manifest("plan", ORDER_COUNTS, "flow").json();
        assertThat(plan.get("action").asText()).isEqualTo("create");
        assertThat(plan.get("tables").get(0).asText()).isEqualTo(table);

        TestPlatform.Response applied = manifest("apply", ORDER_COUNTS, "flow");
        assertThat(applied.status()).as(applied.body()).isEqualTo(200);
        assertThat(applied.json().get("action").asText()).isEqualTo("created");
        JsonNode created = applied.json().get("tables").get(0);
        assertThat(created.get("table").asText()).isEqualTo(table);
        assertThat(created.get("action").asText()).isEqualTo("created");
        assertThat(created.get("schema").findValuesAsText("name")).containsExactly("event_type", "events");
        assertThat(manifest("plan", ORDER_COUNTS, "flow").json().get("action").asText()).isEqualTo("unchanged");
        assertThat(get(server, "/api/v1/playgrounds/flow").json().at("/resources/0/name").asText()).isEqualTo("order-counts");

        TestPlatform.Response run = manifest("run", ORDER_COUNTS, "flow");
        assertThat(run.status()).as(run.body()).isEqualTo(202);
        assertThat(run.json().get("tables").get(0).asText()).isEqualTo(table);
        JsonNode status = awaitStatus(server, run.json().get("job_id").asText(), FINAL_STATES, JOB_TIMEOUT);
        assertThat(status.get("status").asText()).as(status.toString()).isEqualTo("SUCCEEDED");
        assertThat(status.get("namespace").asText()).isEqualTo("pg_data_infra_user_flow");

        List<List<JsonNode>> rows = TestPlatform.query(server,
                "SELECT event_type, events FROM " + table + " ORDER BY event_type",
                "SELECT count(*) AS n FROM pedregal.raw.events WHERE event_type = 'order'");
        assertThat(rows.get(0)).extracting(row -> row.get("event_type").asText())
                .containsExactly("click", "order", "refund", "signup", "view");
        long orders = rows.get(1).get(0).get("n").asLong();
        assertThat(rows.get(0).stream().filter(row -> row.get("event_type").asText().equals("order")).findFirst().orElseThrow()
                .get("events").asLong()).isEqualTo(orders);
        Path warehouse = server.gatewayConfig().warehouseDir();
        assertThat(warehouse.resolve("derived").resolve("order_counts")).doesNotExist();

        String changed = ORDER_COUNTS.replace("count(*) AS events", "count(*) AS events, max(event_time) AS last_seen");
        TestPlatform.Response stale = manifest("run", changed, "flow");
        assertThat(stale.status()).isEqualTo(400);
        assertThat(stale.json().at("/error/message").asText()).contains("differs from what is applied");
        JsonNode update = manifest("plan", changed, "flow").json();
        assertThat(update.get("action").asText()).isEqualTo("update");
        assertThat(update.get("diff").asText())
                .contains("-        query: \"SELECT event_type, count(*) AS events FROM source GROUP BY event_type\"")
                .contains("+        query: \"SELECT event_type, count(*) AS events, max(event_time) AS last_seen FROM source GROUP BY event_type\"")
                .doesNotContain("sinks");

        TestPlatform.Response deleted = manifest("delete", ORDER_COUNTS, "flow");
        assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
        assertThat(deleted.json().get("dropped_tables").get(0).asText()).isEqualTo(table);
        assertThat(warehouse.resolve("pg_data_infra_user_flow").resolve("order_counts")).doesNotExist();
        assertThat(get(server, "/api/v1/playgrounds/flow").json().get("resources")).isEmpty();
    }

    @Test
    void manifestThatWritesToProductionFromAPlaygroundIsRefusedBeforeLaunch() {
        post(server, "/api/v1/playgrounds", "{\"name\": \"walls\"}");
        int jobsBefore = get(server, "/api/v1/jobs?limit=500").json().get("jobs").size();
        // The plain write, and two that a text scan misses: a \r ends a -- comment in Spark, and a backslash inside
        // back-quotes escapes nothing, so the INSERT after each is a statement Spark would run.
        for (String query : List.of("INSERT INTO pedregal.raw.events SELECT * FROM source",
                "\"SELECT event_type FROM source -- harmless\\rINSERT INTO pedregal.raw.events SELECT * FROM source\"",
                "\"SELECT `a\\\\` FROM source; INSERT INTO pedregal.raw.events SELECT * FROM source --`\"")) {
            String writer = ORDER_COUNTS.replace(
                    "query: SELECT event_type, count(*) AS events FROM source GROUP BY event_type", "query: " + query);
            for (String command : List.of("apply", "run")) {
                TestPlatform.Response refused = manifest(command, writer, "walls");
                assertThat(refused.status()).as(refused.body()).isEqualTo(400);
                assertThat(refused.json().at("/error/field").asText()).isEqualTo("spec.coreEtl.jobSpec.transformations[0].query");
                assertThat(refused.json().at("/error/message").asText()).as(query).startsWith("B.yaml:17:")
                        .contains("may write only to its sinks, which go to pedregal.pg_data_infra_user_walls");
            }
        }
        String hacker = ORDER_COUNTS.replace("  table: pedregal.derived.order_counts\n",
                "  table: pedregal.derived.order_counts\n  sparkConfig:\n    spark.sql.catalog.pedregal.warehouse: /tmp/elsewhere\n");
        TestPlatform.Response conf = manifest("apply", hacker, "walls");
        assertThat(conf.status()).isEqualTo(400);
        assertThat(conf.json().at("/error/field").asText()).isEqualTo("spec.sparkConfig[\"spark.sql.catalog.pedregal.warehouse\"]");
        assertThat(get(server, "/api/v1/jobs?limit=500").json().get("jobs").size()).isEqualTo(jobsBefore);
    }

    @Test
    void sparkJobManifestIsRegisteredInProductionPlannedAndForgotten() throws Exception {
        String seed = java.nio.file.Files.readString(Path.of("..", "examples", "dcp-example", "manifest.yaml"));

        assertThat(manifest("plan", seed, null).json().get("action").asText()).isEqualTo("create");
        JsonNode applied = manifest("apply", seed, null).json();
        assertThat(applied.get("action").asText()).isEqualTo("created");
        assertThat(applied.at("/tables/0/table").asText()).isEqualTo("pedregal.derived.processed_events");
        assertThat(applied.at("/tables/0/action").asText()).isEqualTo("created by its first run");
        assertThat(manifest("plan", seed, null).json().get("action").asText()).isEqualTo("unchanged");
        JsonNode update = manifest("plan", seed.replace("SELECT * FROM source", "SELECT event_id FROM source"), null).json();
        assertThat(update.get("action").asText()).isEqualTo("update");
        assertThat(update.get("diff").asText()).contains("-        query: SELECT * FROM source\n")
                .contains("+        query: SELECT event_id FROM source\n");

        assertThat(manifest("delete", seed, null).json().get("deleted").asBoolean()).isTrue();
        assertThat(manifest("plan", seed, null).json().get("action").asText()).isEqualTo("create");
        assertThat(manifest("delete", seed, null).status()).isEqualTo(400);
    }

    @Test
    void badManifestsNameTheFileLineAndField() {
        TestPlatform.Response wrongKind = manifest("plan", ORDER_COUNTS.replace("kind: DerivedDataset", "kind: Dataset"), "x");
        assertThat(wrongKind.status()).isEqualTo(400);
        assertThat(wrongKind.json().at("/error/code").asText()).isEqualTo("INVALID_MANIFEST");
        assertThat(wrongKind.json().at("/error/message").asText())
                .isEqualTo("B.yaml:2:1: kind: \"Dataset\" is not a known kind (expected one of: DerivedDataset, SparkJob)");
        TestPlatform.Response badYaml = manifest("test", ORDER_COUNTS.replace("  team: data-infra", "  team: [data-infra"), null);
        assertThat(badYaml.json().at("/error/message").asText()).startsWith("B.yaml:").contains("malformed YAML");
        TestPlatform.Response noTable = manifest("test", ORDER_COUNTS.replace("  table: pedregal.derived.order_counts\n", ""), null);
        assertThat(noTable.json().at("/error/message").asText()).isEqualTo("B.yaml:6:1: spec.table: is required");
    }

    @Test
    void janitorDropsAnExpiredPlaygroundsTablesNamespaceAndManifests() {
        post(server, "/api/v1/playgrounds", "{\"name\": \"short\"}");
        TestPlatform.Response applied = manifest("apply", ORDER_COUNTS, "short");
        assertThat(applied.status()).as(applied.body()).isEqualTo(200);
        Path namespace = server.gatewayConfig().warehouseDir().resolve("pg_data_infra_user_short");
        assertThat(namespace.resolve("order_counts").resolve("metadata")).isDirectory();

        post(server, "/api/v1/playgrounds/short/extend", "{\"ttl\": \"1s\"}");

        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (get(server, "/api/v1/playgrounds/short").status() != 404 && System.nanoTime() < deadline) {
            TestPlatform.sleep(250);
        }
        assertThat(get(server, "/api/v1/playgrounds/short").status()).isEqualTo(404);
        assertThat(Files.exists(namespace)).as("namespace directory " + namespace).isFalse();
        assertThat(get(server, "/api/v1/playgrounds").json().get("playgrounds").findValuesAsText("name")).doesNotContain("short");
    }

    private static TestPlatform.Response manifest(String command, String yaml, String playground) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("manifest", yaml);
        body.put("file", "B.yaml");
        if (playground != null) {
            body.put("playground", playground);
        }
        return post(server, "/api/v1/manifests/" + command, Json.write(body));
    }
}
