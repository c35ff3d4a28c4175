package com.doordash.pedregal.pretzel;

import static com.doordash.pedregal.pretzel.CliRun.pretzel;
import static org.assertj.core.api.Assertions.assertThat;

import com.doordash.pedregal.model.json.Json;
import com.doordash.pedregal.server.DcpServer;
import com.doordash.pedregal.server.TestPlatform;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pretzel jobs} end to end, in this JVM, against a real platform: REST server, job store, and Spark drivers
 * running real CoreETL jobs on Iceberg. Every call authenticates with the development token of user@doordash.com.
 */
final class PretzelJobsTest {
    @TempDir
    static Path dataDir;
    @TempDir
    static Path work;
    private static DcpServer server;
    private static Map<String, String> env;

    @BeforeAll
    static void startServer() {
        server = TestPlatform.start(dataDir);
        env = Map.of("PRETZEL_SERVER", server.url(), "PRETZEL_TOKEN", "demo-token",
                "PRETZEL_CONFIG", work.resolve("config.properties").toString());
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void submitWaitOfTheReadmeJobShowsProgressAndTheRowsWritten() throws Exception {
        Path body = Files.writeString(work.resolve("readme-job.json"), readmeSubmitBody());

        CliRun run = pretzel(env, "jobs", "submit", body.toString(), "--wait");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        String jobId = firstMatch("submitted job (\\S+) \\(PENDING\\)", run.out());
        // Not a terminal: one progress line each time the state or the counts change, ending with the final state.
        assertThat(run.out()).containsPattern("(?m)^SUCCEEDED  \\d+:\\d\\d  stages \\d+  tasks \\d+  rows written 3000$");
        assertThat(run.out()).containsPattern("(?m)^SUCCEEDED in \\d+\\.\\ds: wrote 3000 rows to pedregal.derived.orders$");
        assertThat(run.out()).endsWith("job " + jobId + "\n");
        assertThat(run.out()).doesNotContain("\r");
        assertThat(run.err()).isEmpty();

        CliRun status = pretzel(env, "jobs", "status", jobId);
        assertThat(status.exitCode()).isZero();
        assertThat(status.out()).containsPattern("(?m)^job +" + jobId + "$").containsPattern("(?m)^status +SUCCEEDED$")
                .containsPattern("(?m)^team +data-infra$");

        CliRun json = pretzel(env, "jobs", "status", jobId, "--output", "json");
        assertThat(json.exitCode()).isZero();
        assertThat(json.out()).hasLineCount(1);
        JsonNode answer = Json.mapper().readTree(json.out());
        assertThat(answer.path("job_id").asText()).isEqualTo(jobId);
        assertThat(answer.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(answer.path("metrics").path("records_written").asLong()).isEqualTo(3000);
        assertThat(answer.has("history")).as("the server's own JSON, with what the client does not model").isTrue();

        CliRun tail = pretzel(env, "jobs", "logs", jobId, "--tail", "3");
        assertThat(tail.exitCode()).isZero();
        assertThat(tail.out().lines()).hasSize(3);

        CliRun logs = pretzel(env, "jobs", "logs", jobId);
        assertThat(logs.out()).contains("CoreETL SUCCEEDED: wrote 3000 rows to pedregal.derived.orders").endsWith(tail.out());

        CliRun list = pretzel(env, "jobs", "list", "--team", "data-infra", "--status", "SUCCEEDED", "--limit", "5");
        assertThat(list.exitCode()).isZero();
        assertThat(list.out()).startsWith("ID ").containsPattern("(?m)^" + jobId + " +my-job +data-infra +SUCCEEDED ");

        CliRun listJson = pretzel(env, "jobs", "list", "--limit", "1", "-o", "json");
        assertThat(Json.mapper().readTree(listJson.out()).path("jobs")).hasSize(1);
    }

    @Test
    void submitWaitOfAFailingJobOnATerminalRewritesOneProgressLineThenExits1WithTheErrorAndTheLogTail() throws Exception {
        Path body = Files.writeString(work.resolve("bad-sql.json"), job("bad-sql", "SELEC * FROM source", "never_written"));

        CliRun run = CliRun.onTerminal(env, "jobs", "submit", body.toString(), "--wait");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        // Each poll rewrites the line with \r; the last one, the final state, ends it.
        assertThat(run.out()).startsWith("submitted job ").contains("\rPENDING").containsPattern("\rFAILED  +\\d+:\\d\\d[^\r\n]*\n$");
        assertThat(run.err()).containsPattern("^pretzel: job \\S+ FAILED in \\d+\\.\\ds: transformations\\[0\\]: .*PARSE_SYNTAX_ERROR")
                .contains("last lines of its log (pretzel jobs logs ");
    }

    @Test
    void cancelStopsARunningJob() throws Exception {
        Path body = Files.writeString(work.resolve("sleeping.json"), job("sleeping",
                "SELECT java_method('java.lang.Thread', 'sleep', 120000L) AS slept", "slept_" + suffix()));
        CliRun submitted = pretzel(env, "jobs", "submit", body.toString(), "--output", "json");
        assertThat(submitted.exitCode()).as(submitted.toString()).isZero();
        String jobId = Json.mapper().readTree(submitted.out()).path("job_id").asText();

        CliRun cancel = pretzel(env, "jobs", "cancel", jobId, "--reason", "not needed");

        assertThat(cancel.exitCode()).as(cancel.toString()).isZero();
        assertThat(cancel.out()).startsWith("job " + jobId + " CANCELLED");
        JsonNode status = Json.mapper().readTree(pretzel(env, "jobs", "status", jobId, "-o", "json").out());
        assertThat(status.path("status").asText()).isEqualTo("CANCELLED");
        assertThat(status.path("history").toString()).contains("not needed");

        CliRun again = pretzel(env, "jobs", "cancel", jobId);
        assertThat(again.exitCode()).isEqualTo(3);
        assertThat(again.err()).startsWith("pretzel: job " + jobId + " already finished")
                .endsWith(" [JOB_ALREADY_FINISHED]\n").hasLineCount(1);
    }

    @Test
    void badTokenIsRefusedWithOneLineAndExitCode3WithoutShowingTheToken() {
        Map<String, String> badToken = Map.of("PRETZEL_SERVER", server.url(), "PRETZEL_TOKEN", "not-a-token-xyz",
                "PRETZEL_CONFIG", work.resolve("config.properties").toString());

        CliRun run = pretzel(badToken, "jobs", "list");

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.err()).hasLineCount(1).startsWith("pretzel: ")
                .contains("(set a valid token with --token, PRETZEL_TOKEN or token= in the config file) [UNAUTHENTICATED]")
                .doesNotContain("not-a-token-xyz");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void flagTokenWinsOverTheEnvironment() {
        Map<String, String> badToken = Map.of("PRETZEL_SERVER", server.url(), "PRETZEL_TOKEN", "not-a-token-xyz",
                "PRETZEL_CONFIG", work.resolve("config.properties").toString());

        CliRun run = pretzel(badToken, "jobs", "list", "--limit", "1", "--token", "demo-token");

        assertThat(run.exitCode()).as(run.toString()).isZero();
    }

    @Test
    void unknownJobIsRefusedWithExitCode3() {
        CliRun run = pretzel(env, "jobs", "status", "no-such-job");

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.err()).startsWith("pretzel: ").endsWith(" [JOB_NOT_FOUND]\n").contains("no-such-job").hasLineCount(1);
    }

    @Test
    void invalidSubmitBodyNamesTheField() throws Exception {
        Path body = Files.writeString(work.resolve("bad-version.json"),
                job("old-spark", "SELECT 1", "x").replace("\"spark_version\": \"3.5\"", "\"spark_version\": \"9.9\""));

        CliRun run = pretzel(env, "jobs", "submit", body.toString());

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.err()).startsWith("pretzel: config.spark_version: \"9.9\" is not supported (supported: 3.5, 4.0)")
                .endsWith(" [INVALID_REQUEST]\n");
    }

    /** The JSON body of the README's curl submit example, so that the README stays true. */
    static String readmeSubmitBody() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        Matcher matcher = Pattern.compile("curl -X POST http://localhost:8080/api/v1/jobs .*?<<'EOF'\\n(.*?)\\nEOF\\n",
                Pattern.DOTALL).matcher(readme);
        assertThat(matcher.find()).as("README has a curl submit example").isTrue();
        return matcher.group(1);
    }

    static String job(String name, String query, String sink) {
        return """
                {"name": "%s", "team": "data-infra", "user": "user@doordash.com",
                 "config": {"spark_version": "3.5", "job_type": "BATCH",
                  "core_etl": {"version": "2.7.0", "job_spec": {
                   "sources": [{"type": "iceberg", "catalog": "pedregal", "database": "raw", "table": "events"}],
                   "transformations": [{"type": "sql", "query": "%s"}],
                   "sinks": [{"type": "iceberg", "catalog": "pedregal", "database": "derived", "table": "%s"}]}},
                  "resources": {"driver": {"cores": 1, "memory": "1g"}, "executor": {"instances": 1, "cores": 1, "memory": "1g"}}}}
                """.formatted(name, query, sink);
    }

    private static String suffix() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    }

    private static String firstMatch(String regex, String text) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        assertThat(matcher.find()).as("%s in:%n%s", regex, text).isTrue();
        return matcher.group(1);
    }
}
