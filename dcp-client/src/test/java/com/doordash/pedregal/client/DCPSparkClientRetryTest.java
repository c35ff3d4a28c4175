package com.doordash.pedregal.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.doordash.pedregal.client.StubServer.Reply;
import com.doordash.pedregal.model.json.Json;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

final class DCPSparkClientRetryTest {
    private static final Reply UNAVAILABLE = Reply.error(503, "UNAVAILABLE", "the platform is starting");
    private static final Reply ACCEPTED = Reply.json(202, """
            {"job_id": "job-1", "execution_id": "exec-1", "status": "PENDING"}
            """);

    @Test
    void submitIsRetriedAfter503UntilItSucceeds() throws IOException {
        try (StubServer server = StubServer.scripted(UNAVAILABLE, UNAVAILABLE, ACCEPTED);
                DCPSparkClient client = client(server.url(), 3)) {
            SubmitJobResponse response = client.submitJob(SeedExample.request());

            assertThat(response.getJobId()).isEqualTo("job-1");
            assertThat(response.getExecutionId()).isEqualTo("exec-1");
            assertThat(response.getStatus()).isEqualTo(JobState.PENDING);
            assertThat(server.requests()).hasSize(3).allSatisfy(request -> {
                assertThat(request.method()).isEqualTo("POST");
                assertThat(request.uri()).isEqualTo("/api/v1/jobs");
                assertThat(Json.mapper().readTree(request.body())).isEqualTo(Json.mapper().readTree(SeedExample.REST_JSON));
            });
        }
    }

    @Test
    void persistent503FailsAfterMaxRetriesPlusOneAttempts() {
        try (StubServer server = StubServer.scripted(UNAVAILABLE);
                DCPSparkClient client = client(server.url(), 2)) {
            assertThatThrownBy(() -> client.getJob("job-1"))
                    .isInstanceOfSatisfying(ServerException.class, e -> {
                        assertThat(e.getHttpStatus()).isEqualTo(503);
                        assertThat(e.getErrorCode()).isEqualTo("UNAVAILABLE");
                    })
                    .hasMessage("the platform is starting (HTTP 503 UNAVAILABLE on GET /api/v1/jobs/job-1, after 3 attempts)");
            assertThat(server.requests()).hasSize(3);
        }
    }

    @Test
    void badRequestIsNotRetried() {
        Reply invalid = Reply.json(400, """
                {"error": {"code": "INVALID_REQUEST",
                           "message": "config.resources.executor.memory: \\"8x\\" is not a size like 512m or 8g; name: is required",
                           "field": "config.resources.executor.memory",
                           "details": [{"field": "config.resources.executor.memory", "message": "\\"8x\\" is not a size like 512m or 8g"},
                                       {"field": "name", "message": "is required"}]}}
                """);
        try (StubServer server = StubServer.scripted(invalid, ACCEPTED);
                DCPSparkClient client = client(server.url(), 3)) {
            assertThatThrownBy(() -> client.submitJob(SeedExample.request()))
                    .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                        assertThat(e.getHttpStatus()).isEqualTo(400);
                        assertThat(e.getErrorCode()).isEqualTo("INVALID_REQUEST");
                        assertThat(e.getField()).hasValue("config.resources.executor.memory");
                        assertThat(e.getDetails()).extracting(ErrorDetail::toString).containsExactly(
                                "config.resources.executor.memory: \"8x\" is not a size like 512m or 8g", "name: is required");
                    })
                    .hasMessage("config.resources.executor.memory: \"8x\" is not a size like 512m or 8g; name: is required"
                            + " (HTTP 400 INVALID_REQUEST on POST /api/v1/jobs)");
            assertThat(server.requests()).hasSize(1);
        }
    }

    @Test
    void internalErrorIsNotRetried() {
        try (StubServer server = StubServer.scripted(Reply.error(500, "INTERNAL", "internal error: NullPointerException"), ACCEPTED);
                DCPSparkClient client = client(server.url(), 3)) {
            assertThatThrownBy(() -> client.submitJob(SeedExample.request()))
                    .isInstanceOf(ServerException.class)
                    .hasMessage("internal error: NullPointerException (HTTP 500 INTERNAL on POST /api/v1/jobs)");
            assertThat(server.requests()).hasSize(1);
        }
    }

    @Test
    void refusedConnectionIsRetriedWithGrowingBackoff() {
        int port = StubServer.unusedPort();
        try (DCPSparkClient client = DCPSparkClient.builder().baseUrl("http://127.0.0.1:" + port)
                .maxRetries(3).initialBackoff(Duration.ofMillis(100)).build()) {
            long start = System.nanoTime();

            assertThatThrownBy(() -> client.getJob("job-1"))
                    .isInstanceOfSatisfying(DCPConnectionException.class, e -> {
                        assertThat(e.getHttpStatus()).isZero();
                        assertThat(e.getErrorCode()).isEqualTo("CONNECTION_FAILED");
                    })
                    .hasMessage("cannot reach http://127.0.0.1:" + port + " for GET /api/v1/jobs/job-1 after 4 attempts: connection refused");
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

            // Waits of 100, 200 and 400 ms, each shortened by up to half for jitter: 350 to 700 ms in all.
            assertThat(elapsed).isBetween(Duration.ofMillis(350), Duration.ofSeconds(5));
        }
    }

    @Test
    void refusedConnectionWithoutRetriesFailsAtOnce() {
        try (DCPSparkClient client = DCPSparkClient.builder().baseUrl("http://127.0.0.1:" + StubServer.unusedPort())
                .maxRetries(0).initialBackoff(Duration.ofSeconds(10)).build()) {
            long start = System.nanoTime();

            assertThatThrownBy(() -> client.submitJob(SeedExample.request()))
                    .isInstanceOf(DCPConnectionException.class)
                    .hasMessageEndingWith(" for POST /api/v1/jobs after 1 attempt: connection refused");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void answerSlowerThanTheRequestTimeoutIsNotRetried() {
        try (StubServer server = StubServer.scripted(new Reply(202, "application/json", "{\"job_id\": \"job-1\"}", 2_000));
                DCPSparkClient client = DCPSparkClient.builder().baseUrl(server.url())
                        .requestTimeout(Duration.ofMillis(300)).initialBackoff(Duration.ofMillis(10)).build()) {
            assertThatThrownBy(() -> client.submitJob(SeedExample.request()))
                    .isInstanceOfSatisfying(DCPTimeoutException.class, e -> assertThat(e.getLastStatus()).isEmpty())
                    .hasMessage("no answer from " + server.url() + " to POST /api/v1/jobs within 300 ms"
                            + " (not retried: the server may have acted on it)");
            assertThat(server.requests()).hasSize(1);
        }
    }

    @Test
    void backoffDoublesWithJitterAndIsCapped() {
        try (HttpTransport transport = new HttpTransport("http://127.0.0.1:1", null, Duration.ofSeconds(1),
                Duration.ofSeconds(1), 10, Duration.ofMillis(200))) {
            for (int i = 0; i < 20; i++) {
                assertThat(transport.backoff(1)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
                assertThat(transport.backoff(2)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
                assertThat(transport.backoff(3)).isBetween(Duration.ofMillis(400), Duration.ofMillis(800));
                assertThat(transport.backoff(10)).isBetween(Duration.ofMillis(2_500), Duration.ofSeconds(5));
                assertThat(transport.backoff(1_000)).isBetween(Duration.ofMillis(2_500), Duration.ofSeconds(5));
            }
        }
    }

    private static DCPSparkClient client(String url, int maxRetries) {
        return DCPSparkClient.builder().baseUrl(url).maxRetries(maxRetries).initialBackoff(Duration.ofMillis(10)).build();
    }
}
