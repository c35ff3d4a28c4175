package com.doordash.pedregal.server;

import static com.doordash.pedregal.server.TestPlatform.FINAL_STATES;
import static com.doordash.pedregal.server.TestPlatform.awaitStatus;
import static com.doordash.pedregal.server.TestPlatform.delete;
import static com.doordash.pedregal.server.TestPlatform.get;
import static com.doordash.pedregal.server.TestPlatform.post;
import static com.doordash.pedregal.server.TestPlatform.submit;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The REST API against a real server, running jobs on real Spark and Iceberg. */
final class JobsApiTest {
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    static Path dataDir;
    private static DcpServer server;

    @BeforeAll
    static void startServer() {
        server = TestPlatform.start(dataDir);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void readmeExampleJobSucceedsAndWritesExactlyTheOrderRows() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        TestPlatform.Response submitted = post(server, "/api/v1/jobs", TestPlatform.readmeSubmitBody());
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        JsonNode answer = submitted.json();
        assertThat(answer.get("execution_id").asText()).startsWith("exec-");
        assertThat(answer.get("status").asText()).isIn("PENDING", "SUBMITTED");
        String jobId = answer.get("job_id").asText();

        JsonNode running = awaitStatus(server, jobId, Set.of("RUNNING", "SUCCEEDED"), JOB_TIMEOUT);
        if (running.get("status").asText().equals("RUNNING")) {
            assertThat(running.get("spark_ui_url").asText()).startsWith("http://127.0.0.1:");
        }
        JsonNode status = awaitStatus(server, jobId, FINAL_STATES, JOB_TIMEOUT);

        assertThat(status.get("status").asText()).as(status.toString()).isEqualTo("SUCCEEDED");
        assertThat(status.has("error_message")).isFalse();
        assertThat(status.has("spark_ui_url")).isFalse();
        assertThat(status.get("logs_url").asText()).isEqualTo(server.url() + "/api/v1/jobs/" + jobId + "/logs");
        Instant start = Instant.parse(status.get("start_time").asText());
        Instant end = Instant.parse(status.get("end_time").asText());
        assertThat(start).isAfter(before).isBefore(end);
        assertThat(status.get("history").findValuesAsText("status"))
                .containsSubsequence("PENDING", "SUBMITTED", "SUCCEEDED");

        List<List<JsonNode>> results = TestPlatform.query(server,
                "SELECT count(*) AS n FROM pedregal.derived.orders",
                "SELECT count(*) AS n FROM pedregal.raw.events WHERE event_type = 'order'",
                "SELECT count(*) AS n FROM (SELECT * FROM pedregal.raw.events WHERE event_type = 'order'"
                        + " EXCEPT ALL SELECT * FROM pedregal.derived.orders)",
                "SELECT count(*) AS n FROM (SELECT * FROM pedregal.derived.orders"
                        + " EXCEPT ALL SELECT * FROM pedregal.raw.events WHERE event_type = 'order')");
        long orders = results.get(1).get(0).get("n").asLong();
        assertThat(orders).isPositive();
        assertThat(results.get(0).get(0).get("n").asLong()).isEqualTo(orders);
        assertThat(results.get(2).get(0).get("n").asLong()).isZero();
        assertThat(results.get(3).get(0).get("n").asLong()).isZero();

        JsonNode logs = get(server, "/api/v1/jobs/" + jobId + "/logs").json();
        assertThat(logs.get("logs").asText())
                .contains("=== dcp: execution " + answer.get("execution_id").asText())
                .contains("CoreETL SUCCEEDED: wrote " + orders + " rows to pedregal.derived.orders");
        assertThat(logs.get("logs_url").asText()).isEqualTo(status.get("logs_url").asText());

        TestPlatform.Response tail = get(server, "/api/v1/jobs/" + jobId + "/logs?tail=3", "text/plain");
        assertThat(tail.contentType()).startsWith("text/plain");
        assertThat(tail.body().lines().count()).isEqualTo(3);
        assertThat(logs.get("logs").asText()).endsWith(tail.body());
    }

    @Test
    void readmeExampleRunsOnSpark40AndWritesTheSameRows() throws Exception {
        String body = TestPlatform.readmeSubmitBody()
                .replace("\"spark_version\": \"3.5\"", "\"spark_version\": \"4.0\"")
                .replace("\"table\": \"orders\"", "\"table\": \"orders_spark40\"");
        assertThat(body).contains("\"4.0\"").contains("orders_spark40");

        String jobId = TestPlatform.submit(server, body);

        JsonNode status = awaitStatus(server, jobId, FINAL_STATES, JOB_TIMEOUT);
        assertThat(status.get("status").asText()).as(status.toString()).isEqualTo("SUCCEEDED");
        assertThat(status.get("spark_version").asText()).isEqualTo("4.0");
        assertThat(get(server, "/api/v1/jobs/" + jobId + "/logs").json().get("logs").asText()).contains("Spark 4.0.1");
        List<List<JsonNode>> results = TestPlatform.query(server,
                "SELECT count(*) AS n FROM pedregal.derived.orders_spark40",
                "SELECT count(*) AS n FROM (SELECT * FROM pedregal.raw.events WHERE event_type = 'order'"
                        + " EXCEPT ALL SELECT * FROM pedregal.derived.orders_spark40)");
        assertThat(results.get(0).get(0).get("n").asLong()).isEqualTo(3000);
        assertThat(results.get(1).get(0).get("n").asLong()).isZero();
    }

    @Test
    void jobWithWrongSqlFailsWithTheSparkErrorInErrorMessage() {
        String jobId = submit(server, TestPlatform.job("bad-sql", "data-infra", "SELEC * FROM source", "never_written"));

        JsonNode status = awaitStatus(server, jobId, FINAL_STATES, JOB_TIMEOUT);

        assertThat(status.get("status").asText()).isEqualTo("FAILED");
        assertThat(status.get("error_message").asText())
                .startsWith("transformations[0]: ")
                .contains("PARSE_SYNTAX_ERROR");
        assertThat(status.get("end_time").asText()).isNotBlank();
    }

    @Test
    void jobReadingAMissingTableFailsNamingTheSource() {
        String body = TestPlatform.job("missing-table", "data-infra", "SELECT * FROM source", "never_written_2")
                .replace("\"table\": \"events\"", "\"table\": \"no_such_table\"");
        String jobId = submit(server, body);

        JsonNode status = awaitStatus(server, jobId, FINAL_STATES, JOB_TIMEOUT);

        assertThat(status.get("status").asText()).isEqualTo("FAILED");
        assertThat(status.get("error_message").asText()).contains("pedregal.raw.no_such_table");
    }

    @Test
    void cancelledLongJobEndsCancelledAndLeavesNoProcess() throws Exception {
        String jobId = submit(server, TestPlatform.sleepingJob("long-job", 120));
        JsonNode running = awaitStatus(server, jobId, Set.of("RUNNING"), JOB_TIMEOUT);
        String executionId = running.get("execution_id").asText();
        List<ProcessHandle> driver = TestPlatform.driverProcesses(server, executionId);
        assertThat(driver).hasSizeGreaterThanOrEqualTo(2).allMatch(ProcessHandle::isAlive);

        TestPlatform.Response cancelled = delete(server, "/api/v1/jobs/" + jobId);

        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.json().get("success").asBoolean()).isTrue();
        assertThat(cancelled.json().get("message").asText()).isEqualTo("job " + jobId + " cancelled");
        assertThat(cancelled.json().get("status").asText()).isEqualTo("CANCELLED");
        assertThat(driver).noneMatch(ProcessHandle::isAlive);
        assertThat(TestPlatform.processesMentioning(executionId)).isEmpty();
        JsonNode status = get(server, "/api/v1/jobs/" + jobId).json();
        assertThat(status.get("status").asText()).isEqualTo("CANCELLED");
        assertThat(status.get("history").findValuesAsText("status")).containsSubsequence("RUNNING", "CANCELLED");

        TestPlatform.Response again = delete(server, "/api/v1/jobs/" + jobId);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().at("/error/code").asText()).isEqualTo("JOB_ALREADY_FINISHED");
        assertThat(again.json().at("/error/message").asText())
                .isEqualTo("job " + jobId + " already finished as CANCELLED and cannot be cancelled");
    }

    @Test
    void listPagesThroughATeamsJobsNewestFirst() {
        List<String> ids = Stream.of("one", "two", "three")
                .map(name -> submit(server, TestPlatform.job("list-" + name, "data-infra", "SELECT * FROM source", "l_" + name)))
                .toList();
        ids.forEach(id -> delete(server, "/api/v1/jobs/" + id));

        JsonNode first = get(server, "/api/v1/jobs?team=data-infra&name_prefix=list-&limit=2").json();
        JsonNode second = get(server, "/api/v1/jobs?team=data-infra&name_prefix=list-&limit=2&page_token="
                + first.get("next_page_token").asText()).json();

        assertThat(first.get("jobs").findValuesAsText("job_id")).containsExactly(ids.get(2), ids.get(1));
        assertThat(second.get("jobs").findValuesAsText("job_id")).containsExactly(ids.get(0));
        assertThat(second.has("next_page_token")).isFalse();
        assertThat(get(server, "/api/v1/jobs?name_prefix=list-&status=cancelled").json().get("jobs").findValuesAsText("job_id"))
                .containsExactlyInAnyOrderElementsOf(ids);
        assertThat(get(server, "/api/v1/jobs?name_prefix=list-&status=RUNNING").json().get("jobs")).isEmpty();
    }

    static Stream<Arguments> invalidRequests() {
        String valid = TestPlatform.job("valid", "data-infra", "SELECT * FROM source", "x");
        return Stream.of(
                Arguments.of("{\"name\": ", "", "malformed JSON at line 1"),
                Arguments.of(valid.replace("\"name\": \"valid\",", "\"name\": \"valid\", \"colour\": \"red\","),
                        "colour", "unknown field"),
                Arguments.of(valid.replace("\"team\": \"data-infra\",", ""), "team", "is required"),
                Arguments.of(valid.replace("\"memory\": \"1g\"}, \"executor\"", "\"memory\": \"8x\"}, \"executor\""),
                        "config.resources.driver.memory", "\"8x\" is not a size like 512m or 8g"),
                Arguments.of(valid.replace("\"instances\": 1", "\"instances\": -2"),
                        "config.resources.executor.instances", "-2 is less than 0"),
                Arguments.of(valid.replace("\"spark_version\": \"3.5\"", "\"spark_version\": \"9.9\""),
                        "config.spark_version", "\"9.9\" is not supported (supported: 3.5, 4.0)"),
                Arguments.of(valid.replace("\"cores\": 1, \"memory\": \"1g\"}, \"executor\"", "\"cores\": \"one\", \"memory\": \"1g\"}, \"executor\""),
                        "config.resources.driver.cores", "expected an integer"),
                Arguments.of(valid.replace("\"type\": \"sql\", ", ""),
                        "config.core_etl.job_spec.transformations[0].type", "is required"));
    }

    @ParameterizedTest
    @MethodSource("invalidRequests")
    void invalidRequestIsRejectedWith400NamingTheField(String body, String field, String message) {
        TestPlatform.Response response = post(server, "/api/v1/jobs", body);

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        JsonNode error = response.json().get("error");
        assertThat(error.get("code").asText()).isEqualTo("INVALID_REQUEST");
        assertThat(error.path("field").asText()).isEqualTo(field);
        assertThat(error.get("message").asText()).contains(message);
    }

    @Test
    void badQueryParametersAreRejectedNamingTheParameter() {
        assertThat(get(server, "/api/v1/jobs?limit=0").json().at("/error/field").asText()).isEqualTo("limit");
        assertThat(get(server, "/api/v1/jobs?status=DONE").json().at("/error/message").asText())
                .isEqualTo("status: \"DONE\" is not a job status (expected one of: PENDING, SUBMITTED, RUNNING, "
                        + "SUCCEEDED, FAILED, CANCELLED, TIMEOUT)");
        assertThat(get(server, "/api/v1/jobs?page_token=garbage!").status()).isEqualTo(400);
    }

    @Test
    void unknownJobIs404WithJsonError() {
        for (TestPlatform.Response response : List.of(get(server, "/api/v1/jobs/nope"),
                delete(server, "/api/v1/jobs/nope"), get(server, "/api/v1/jobs/nope/logs"))) {
            assertThat(response.status()).isEqualTo(404);
            assertThat(response.json().at("/error/code").asText()).isEqualTo("JOB_NOT_FOUND");
            assertThat(response.json().at("/error/message").asText()).isEqualTo("job nope does not exist");
        }
    }

    @Test
    void unknownEndpointIs404WithJsonError() {
        TestPlatform.Response response = get(server, "/api/v2/nothing");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json().at("/error/code").asText()).isEqualTo("NOT_FOUND");
    }

    @Test
    void healthzReportsStoreAndSparkVersions() {
        JsonNode health = get(server, "/healthz").json();

        assertThat(health.get("status").asText()).isEqualTo("ok");
        assertThat(health.get("spark_versions").get(0).asText()).isEqualTo("3.5");
    }
}
