package com.doordash.pedregal.pretzel;

import static com.doordash.pedregal.pretzel.CliRun.pretzel;
import static org.assertj.core.api.Assertions.assertThat;

import com.doordash.pedregal.model.json.Json;
import com.doordash.pedregal.server.DcpServer;
import com.doordash.pedregal.server.TestPlatform;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's flow end to end against a real platform — {@code pretzel playground create}, then
 * {@code pretzel derived-dataset plan|apply|test|run B.yaml} — written against the issue 6 REST contract
 * (playgrounds and manifests). It needs the server side of that contract.
 */
final class PretzelPlaygroundFlowTest {
    /** The README walkthrough's manifest, as shipped. */
    private static final String MANIFEST = readExample();


    @TempDir
    static Path dataDir;
    @TempDir
    static Path work;
    private static DcpServer server;
    private static Map<String, String> env;
    private static Path config;

    @BeforeAll
    static void startServer() {
        // The test cluster too: 'test' runs on it.
        server = TestPlatform.start(dataDir, Map.of("test-cluster.enabled", "true"));
        config = work.resolve("config.properties");
        env = Map.of("PRETZEL_SERVER", server.url(), "PRETZEL_TOKEN", "demo-token", "PRETZEL_CONFIG", config.toString());
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void createApplyTestRunInAPlayground() throws Exception {
        CliRun created = pretzel(env, "playground", "create", "demo", "--ttl", "2d");
        assertThat(created.exitCode()).as(created.toString()).isZero();
        assertThat(created.out()).startsWith("created playground demo (pg-").contains("of team data-infra")
                .contains("it is now the current playground");
        assertThat(Files.readString(config)).contains("playground=demo");

        CliRun shown = pretzel(env, "playground", "show", "-o", "json");
        JsonNode playground = Json.mapper().readTree(shown.out());
        assertThat(playground.path("name").asText()).isEqualTo("demo");
        Instant expires = Instant.parse(playground.path("expires_at").asText());
        assertThat(Duration.between(Instant.now(), expires)).isBetween(Duration.ofHours(47), Duration.ofHours(48));
        String namespace = playground.path("namespace").asText();
        String table = "pedregal." + namespace + ".order_counts";

        CliRun list = pretzel(env, "playground", "list");
        assertThat(list.out()).containsPattern("(?m)^\\* +demo +pg-");

        Path manifest = Files.writeString(work.resolve("B.yaml"), MANIFEST);
        CliRun plan = pretzel(env, "derived-dataset", "plan", manifest.toString());
        assertThat(plan.exitCode()).as(plan.toString()).isZero();
        assertThat(plan.out()).startsWith("DerivedDataset order-counts in playground demo: create\n")
                .contains("  table " + table + "\n");

        CliRun apply = pretzel(env, "derived-dataset", "apply", manifest.toString());
        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        assertThat(apply.out()).startsWith("DerivedDataset order-counts in playground demo: created\n")
                .contains("  table " + table + ": created\n")
                .containsPattern("(?m)^    event_type +string$");

        CliRun test = awaitTestCluster(() -> pretzel(env, "derived-dataset", "test", manifest.toString(), "--preview-limit", "5"));
        assertThat(test.exitCode()).as(test.toString()).isZero();
        assertThat(test.out()).containsPattern("(?m)^PASSED in \\d+ ms")
                .contains("Preview (5 rows, limit 5):")
                .containsPattern("(?m)^  event_type +events +last_seen$")
                .containsPattern("(?m)^  order +3000 +")
                .contains("Lineage:");

        CliRun run = pretzel(env, "derived-dataset", "run", manifest.toString());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).startsWith("running DerivedDataset order-counts in playground demo as job ")
                .containsPattern("(?m)^RUNNING +\\d+:\\d\\d")
                .containsPattern("(?m)^SUCCEEDED in \\d+\\.\\ds: wrote 5 rows to " + table.replace(".", "\\.") + "$");

        assertThat(server.gatewayConfig().warehouseDir().resolve("derived").resolve("order_counts"))
                .as("the production table is never written from a playground").doesNotExist();

        Path writer = Files.writeString(work.resolve("writer.yaml"), MANIFEST.replace(
                "query: SELECT event_type, count(*) AS events, max(event_time) AS last_seen FROM source GROUP BY event_type",
                "query: INSERT INTO pedregal.raw.events SELECT * FROM source"));
        CliRun refused = pretzel(env, "derived-dataset", "run", writer.toString());
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(3);
        assertThat(refused.err()).hasLineCount(1).startsWith(writer + ":27:")
                .contains("spec.coreEtl.jobSpec.transformations[0].query: a playground run may write only to its sinks");

        CliRun again = pretzel(env, "derived-dataset", "plan", manifest.toString(), "-o", "json");
        assertThat(Json.mapper().readTree(again.out()).path("action").asText()).isEqualTo("unchanged");

        CliRun extended = pretzel(env, "playground", "extend", "--ttl", "3d");
        assertThat(extended.exitCode()).as(extended.toString()).isZero();
        assertThat(extended.out()).startsWith("playground demo; expires ");

        CliRun deleted = pretzel(env, "playground", "delete");
        assertThat(deleted.exitCode()).as(deleted.toString()).isZero();
        assertThat(deleted.out()).contains("dropped tables: " + table);
        assertThat(Files.readString(config)).doesNotContain("playground=");
    }

    @Test
    void badManifestIsOneLineNamingFileLineAndColumn() throws Exception {
        Path bad = Files.writeString(work.resolve("bad.yaml"), MANIFEST.replace("          table: events\n", ""));

        CliRun run = pretzel(env, "test", "-f", bad.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
        assertThat(run.err()).isEqualTo(bad + ":21:11: spec.coreEtl.jobSpec.sources[0].table: is required\n");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void unknownPlaygroundIsRefusedWithExitCode3() {
        CliRun run = pretzel(env, "playground", "use", "no-such-playground");

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.err()).startsWith("pretzel: ").endsWith(" [PLAYGROUND_NOT_FOUND]\n").hasLineCount(1);
    }

    private static String readExample() {
        try {
            return Files.readString(Path.of("..", "examples", "order-counts.yaml"));
        }
        catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Runs {@code command} until the test cluster has started (exit code 4: 503 while it starts), for up to 3 minutes. */
    private static CliRun awaitTestCluster(java.util.function.Supplier<CliRun> command) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        CliRun run = command.get();
        while (run.exitCode() == 4 && System.nanoTime() < deadline) {
            Thread.sleep(2000);
            run = command.get();
        }
        return run;
    }
}
