package com.doordash.pedregal.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.doordash.pedregal.client.StubServer.Reply;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

final class DCPSparkClientAnswersTest {
    @Test
    void statusIsReadLenientlyIgnoringUnknownFields() {
        try (StubServer server = StubServer.scripted(Reply.json(200, """
                {"job_id": "j1", "execution_id": "exec-1", "name": "my-etl-job", "team": "data-infra",
                 "user": "user@doordash.com", "status": "SUCCEEDED", "spark_version": "3.5", "backend": "local",
                 "submit_time": "2026-11-21T12:40:01.120Z", "start_time": "2026-11-21T12:40:01.180Z",
                 "end_time": "2026-11-21T14:40:10.952+02:00",
                 "logs_url": "http://localhost:8080/api/v1/jobs/j1/logs",
                 "history": [{"status": "PENDING", "time": "2026-11-21T12:40:01.120Z", "reason": "accepted"}],
                 "metrics": {"records_read": 10000, "records_written": 2013, "bytes_read": 123456, "bytes_written": 45678,
                             "stages_completed": 3, "tasks_completed": 12, "executor_cpu_time_ms": 987, "gpu_seconds": 1},
                 "cost_usd": 0.12, "labels": {"tier": "gold"}}
                """));
                DCPSparkClient client = client(server)) {
            JobStatus status = client.getJob("j1");

            assertThat(status.getJobId()).isEqualTo("j1");
            assertThat(status.getExecutionId()).isEqualTo("exec-1");
            assertThat(status.getName()).isEqualTo("my-etl-job");
            assertThat(status.getTeam()).isEqualTo("data-infra");
            assertThat(status.getUser()).isEqualTo("user@doordash.com");
            assertThat(status.getStatus()).isEqualTo(JobState.SUCCEEDED);
            assertThat(status.isFinished()).isTrue();
            assertThat(status.getSparkVersion()).isEqualTo("3.5");
            assertThat(status.getBackend()).isEqualTo("local");
            assertThat(status.getSubmitTime()).hasValue(Instant.parse("2026-11-21T12:40:01.120Z"));
            assertThat(status.getStartTime()).hasValue(Instant.parse("2026-11-21T12:40:01.180Z"));
            assertThat(status.getEndTime()).hasValue(Instant.parse("2026-11-21T12:40:10.952Z"));
            assertThat(status.getSparkUiUrl()).isEmpty();
            assertThat(status.getLogsUrl()).hasValue("http://localhost:8080/api/v1/jobs/j1/logs");
            assertThat(status.getErrorMessage()).isEmpty();
            JobMetrics metrics = status.getMetrics().orElseThrow();
            assertThat(List.of(metrics.getRecordsRead(), metrics.getRecordsWritten(), metrics.getBytesRead(),
                    metrics.getBytesWritten(), metrics.getStagesCompleted(), metrics.getTasksCompleted(),
                    metrics.getExecutorCpuTimeMs()))
                    .containsExactly(10_000L, 2_013L, 123_456L, 45_678L, 3L, 12L, 987L);
            assertThat(server.requests().get(0).uri()).isEqualTo("/api/v1/jobs/j1");
            assertThat(server.requests().get(0).accept()).isEqualTo("application/json");
        }
    }

    @Test
    void stateOfANewerServerIsUnknownAndNotFinished() {
        try (StubServer server = StubServer.scripted(Reply.json(200, """
                {"job_id": "j1", "status": "QUEUED_ON_CLUSTER", "submit_time": "not a time"}
                """));
                DCPSparkClient client = client(server)) {
            JobStatus status = client.getJob("j1");

            assertThat(status.getStatus()).isEqualTo(JobState.UNKNOWN);
            assertThat(status.isFinished()).isFalse();
            assertThat(status.getName()).isEmpty();
            assertThat(status.getSubmitTime()).isEmpty();
            assertThat(status.getMetrics()).isEmpty();
        }
    }

    @Test
    void answerWithoutJobIdIsMalformed() {
        try (StubServer server = StubServer.scripted(Reply.json(200, "{\"status\": \"RUNNING\"}"));
                DCPSparkClient client = client(server)) {
            assertThatThrownBy(() -> client.getJob("j1"))
                    .isExactlyInstanceOf(DCPClientException.class)
                    .hasMessage("the server's answer to GET /api/v1/jobs/j1 cannot be read: it has no \"job_id\" (HTTP 200)")
                    .extracting(e -> ((DCPClientException) e).getErrorCode()).isEqualTo("MALFORMED_RESPONSE");
        }
    }

    @Test
    void errorAnswersAreTypedByStatusAndCode() {
        assertError(401, "UNAUTHENTICATED", "no token", UnauthenticatedException.class);
        assertError(403, "PERMISSION_DENIED", "user u may not act for team t", PermissionDeniedException.class);
        assertError(404, "JOB_NOT_FOUND", "job j1 does not exist", JobNotFoundException.class);
        assertError(404, "NOT_FOUND", "no such endpoint: GET /api/v1/jobs/j1", DCPClientException.class);
        assertError(409, "JOB_ALREADY_FINISHED", "job j1 already finished", ConflictException.class);
        assertError(409, "IDEMPOTENCY_CONFLICT", "key k was used for another request", ConflictException.class);
        assertError(429, "RESOURCE_EXHAUSTED", "too many jobs", DCPClientException.class);
        assertError(500, "INTERNAL", "internal error", ServerException.class);
    }

    @Test
    void errorAnswerThatIsNotJsonKeepsTheStatus() {
        try (StubServer server = StubServer.scripted(new Reply(502, "text/html", "<html>Bad Gateway</html>", 0));
                DCPSparkClient client = client(server)) {
            assertThatThrownBy(() -> client.getJob("j1"))
                    .isInstanceOfSatisfying(ServerException.class, e -> {
                        assertThat(e.getHttpStatus()).isEqualTo(502);
                        assertThat(e.getErrorCode()).isEqualTo("HTTP_502");
                        assertThat(e.getField()).isEmpty();
                        assertThat(e.getDetails()).isEmpty();
                    })
                    .hasMessage("<html>Bad Gateway</html> (HTTP 502 HTTP_502 on GET /api/v1/jobs/j1)");
        }
    }

    @Test
    void listFetchesPagesLazilyThroughPageTokens() {
        String query = "/api/v1/jobs?team=data-infra&status=FAILED&limit=2";
        try (StubServer server = StubServer.start(request -> Reply.json(200, switch (request.uri().replace(query, "")) {
            case "" -> page("t+1", "j5", "j4");
            case "&page_token=t%2B1" -> page("t 2");
            case "&page_token=t%202" -> page("t3", "j3", "j2");
            case "&page_token=t3" -> page(null, "j1");
            default -> throw new AssertionError("unexpected request " + request.uri());
        }));
                DCPSparkClient client = client(server)) {
            ListJobsRequest request = ListJobsRequest.builder().team("data-infra").status(JobState.FAILED).pageSize(2).build();

            Stream<JobStatus> jobs = client.listJobs(request);
            assertThat(server.requests()).isEmpty();
            assertThat(jobs.limit(2).map(JobStatus::getJobId)).containsExactly("j5", "j4");
            assertThat(server.requests()).hasSize(1);

            assertThat(client.listJobs(request).map(JobStatus::getJobId)).containsExactly("j5", "j4", "j3", "j2", "j1");
            assertThat(server.requests()).hasSize(5);
        }
    }

    @Test
    void listOfATeamAsksForThatTeamOnly() {
        try (StubServer server = StubServer.scripted(Reply.json(200, page(null, "j1")));
                DCPSparkClient client = client(server)) {
            assertThat(client.listJobs("data-infra").map(JobStatus::getJobId)).containsExactly("j1");
            assertThat(server.requests()).extracting(StubServer.Request::uri).containsExactly("/api/v1/jobs?team=data-infra");
        }
    }

    @Test
    void logsAreReadAsText() {
        try (StubServer server = StubServer.scripted(
                new Reply(200, "text/plain; charset=utf-8", "line 1\nCoreETL SUCCEEDED\n", 0),
                Reply.json(200, "{\"logs\": \"last line\\n\", \"logs_url\": \"http://x/logs\"}"));
                DCPSparkClient client = client(server)) {
            assertThat(client.logs("j1")).isEqualTo("line 1\nCoreETL SUCCEEDED\n");
            // A server that ignores Accept answers JSON; the text is taken from it.
            assertThat(client.logs("j1", 1)).isEqualTo("last line\n");
            assertThat(server.requests()).extracting(StubServer.Request::uri)
                    .containsExactly("/api/v1/jobs/j1/logs", "/api/v1/jobs/j1/logs?tail=1");
            assertThat(server.requests()).extracting(StubServer.Request::accept).containsOnly("text/plain");
            assertThatThrownBy(() -> client.logs("j1", 0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("tailLines: 0 (expected: >= 1)");
        }
    }

    @Test
    void cancelSendsTheReason() {
        try (StubServer server = StubServer.scripted(Reply.json(200, """
                {"success": true, "message": "job j/1 cancelled", "job_id": "j/1", "status": "CANCELLED"}
                """));
                DCPSparkClient client = client(server)) {
            CancelJobResponse response = client.cancelJob("j/1", "wrong input & retry");

            assertThat(response.isSuccess()).isTrue();
            assertThat(response.getMessage()).isEqualTo("job j/1 cancelled");
            assertThat(response.getJobId()).isEqualTo("j/1");
            assertThat(response.getStatus()).isEqualTo(JobState.CANCELLED);
            assertThat(server.requests()).extracting(StubServer.Request::method, StubServer.Request::uri)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("DELETE", "/api/v1/jobs/j%2F1?reason=wrong%20input%20%26%20retry"));
        }
    }

    @Test
    void waitForCompletionPollsWithAGrowingIntervalUntilTheJobFinishes() {
        AtomicInteger polls = new AtomicInteger();
        try (StubServer server = StubServer.start(request -> Reply.json(200,
                "{\"job_id\": \"j1\", \"status\": \"" + (polls.incrementAndGet() < 5 ? "RUNNING" : "FAILED")
                        + "\", \"error_message\": \"boom\"}"));
                DCPSparkClient client = client(server)) {
            long start = System.nanoTime();

            JobStatus status = client.waitForCompletion("j1", Duration.ofSeconds(30));

            assertThat(status.getStatus()).isEqualTo(JobState.FAILED);
            assertThat(status.getErrorMessage()).hasValue("boom");
            assertThat(server.requests()).hasSize(5);
            // Waits of 200, 300, 450 and 675 ms between the five polls.
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(1_600), Duration.ofSeconds(10));
        }
    }

    @Test
    void waitForCompletionGivesUpAfterTheTimeout() {
        try (StubServer server = StubServer.scripted(Reply.json(200, "{\"job_id\": \"j1\", \"status\": \"RUNNING\"}"));
                DCPSparkClient client = client(server)) {
            long start = System.nanoTime();

            assertThatThrownBy(() -> client.waitForCompletion("j1", Duration.ofMillis(700)))
                    .isInstanceOfSatisfying(DCPTimeoutException.class, e -> {
                        assertThat(e.getErrorCode()).isEqualTo("TIMEOUT");
                        assertThat(e.getLastStatus().orElseThrow().getStatus()).isEqualTo(JobState.RUNNING);
                    })
                    .hasMessage("job j1 did not finish within 700 ms; it is RUNNING and keeps running");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(700), Duration.ofSeconds(5));
        }
    }

    @Test
    void closedClientRefusesCalls() {
        DCPSparkClient client = DCPSparkClient.builder().baseUrl("http://127.0.0.1:1").build();
        client.close();

        assertThatThrownBy(() -> client.getJob("j1")).isInstanceOf(IllegalStateException.class).hasMessage("the client is closed");
        assertThat(client).hasToString("DCPSparkClient{baseUrl=http://127.0.0.1:1, token=(none), connectTimeout=PT10S,"
                + " requestTimeout=PT1M, maxRetries=3, initialBackoff=PT0.2S, closed}");
    }

    private static void assertError(int status, String code, String message, Class<? extends DCPClientException> type) {
        try (StubServer server = StubServer.scripted(Reply.error(status, code, message));
                DCPSparkClient client = client(server)) {
            assertThatThrownBy(() -> client.getJob("j1"))
                    .isExactlyInstanceOf(type)
                    .hasMessage(message + " (HTTP " + status + " " + code + " on GET /api/v1/jobs/j1)")
                    .satisfies(e -> {
                        assertThat(((DCPClientException) e).getHttpStatus()).isEqualTo(status);
                        assertThat(((DCPClientException) e).getErrorCode()).isEqualTo(code);
                    });
            assertThat(server.requests()).hasSize(1);
        }
    }

    private static String page(String nextPageToken, String... jobIds) {
        StringBuilder jobs = new StringBuilder();
        for (String id : jobIds) {
            jobs.append(jobs.length() == 0 ? "" : ", ").append("{\"job_id\": \"").append(id).append("\", \"status\": \"FAILED\"}");
        }
        return "{\"jobs\": [" + jobs + "]"
                + (nextPageToken == null ? ", \"next_page_token\": null" : ", \"next_page_token\": \"" + nextPageToken + "\"") + "}";
    }

    private static DCPSparkClient client(StubServer server) {
        return DCPSparkClient.builder().baseUrl(server.url() + "/").initialBackoff(Duration.ofMillis(10)).build();
    }
}
