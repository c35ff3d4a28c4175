package com.doordash.pedregal.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.doordash.pedregal.client.StubServer.Reply;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

final class TokenSecrecyTest {
    private static final String TOKEN = "s3cr3t-T0KEN-4f9a";

    @Test
    void everyRequestCarriesTheBearerToken() {
        try (StubServer server = StubServer.scripted(Reply.json(200, "{\"job_id\": \"j1\", \"status\": \"RUNNING\"}"),
                Reply.json(202, "{\"job_id\": \"j1\", \"execution_id\": \"e1\", \"status\": \"PENDING\"}"),
                Reply.json(200, "{\"jobs\": []}"),
                new Reply(200, "text/plain", "log", 0),
                Reply.json(200, "{\"success\": true, \"message\": \"ok\", \"job_id\": \"j1\", \"status\": \"CANCELLED\"}"));
                DCPSparkClient client = DCPSparkClient.builder().baseUrl(server.url()).token(TOKEN).build()) {
            client.getJob("j1");
            client.submitJob(SeedExample.request());
            assertThat(client.listJobs("data-infra")).isEmpty();
            client.logs("j1");
            client.cancelJob("j1");

            assertThat(server.requests()).hasSize(5)
                    .extracting(StubServer.Request::authorization).containsOnly("Bearer " + TOKEN);
        }
    }

    @Test
    void noAuthorizationIsSentWithoutAToken() {
        try (StubServer server = StubServer.scripted(Reply.json(200, "{\"job_id\": \"j1\", \"status\": \"RUNNING\"}"));
                DCPSparkClient client = DCPSparkClient.builder().baseUrl(server.url()).build()) {
            client.getJob("j1");

            assertThat(server.requests()).extracting(StubServer.Request::authorization).containsOnlyNulls();
        }
    }

    @Test
    void seedConstructorTakesTheTokenFromTheEnvironment() {
        String token = System.getenv(DCPSparkClient.TOKEN_VARIABLE);
        try (StubServer server = StubServer.scripted(Reply.json(200, "{\"job_id\": \"j1\", \"status\": \"RUNNING\"}"));
                DCPSparkClient client = new DCPSparkClient(server.url())) {
            client.getJob("j1");

            assertThat(server.requests().get(0).authorization())
                    .isEqualTo(token == null || token.isBlank() ? null : "Bearer " + token.strip());
        }
    }

    @Test
    void tokenNeverAppearsInMessagesOrToString() {
        List<Throwable> failures = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        try (StubServer server = StubServer.scripted(
                Reply.error(400, "INVALID_REQUEST", "name: is required"),
                Reply.error(401, "UNAUTHENTICATED", "the token is not known"),
                new Reply(500, "text/plain", "boom", 0),
                new Reply(200, "application/json", "{}", 2_000));
                DCPSparkClient client = DCPSparkClient.builder().baseUrl(server.url()).token(TOKEN)
                        .requestTimeout(Duration.ofMillis(300)).build();
                DCPSparkClient unreachable = DCPSparkClient.builder().baseUrl("http://127.0.0.1:" + StubServer.unusedPort())
                        .token(TOKEN).maxRetries(1).initialBackoff(Duration.ZERO).build()) {
            failures.add(catchThrowable(() -> client.submitJob(SeedExample.request())));
            failures.add(catchThrowable(() -> client.getJob("j1")));
            failures.add(catchThrowable(() -> client.getJob("j1")));
            failures.add(catchThrowable(() -> client.getJob("j1")));
            failures.add(catchThrowable(() -> unreachable.getJob("j1")));
            texts.add(client.toString());
            texts.add(unreachable.toString());
            texts.add(DCPSparkClient.builder().baseUrl(server.url()).token(TOKEN).toString());
        }
        failures.add(catchThrowable(() -> DCPSparkClient.builder().token(TOKEN + " with a space")));
        failures.add(catchThrowable(() -> DCPSparkClient.builder().token(TOKEN + "\n")));

        assertThat(failures).doesNotContainNull()
                .extracting(Throwable::getClass).contains(InvalidRequestException.class, UnauthenticatedException.class,
                        ServerException.class, DCPTimeoutException.class, DCPConnectionException.class, IllegalArgumentException.class);
        for (Throwable failure : failures) {
            StringWriter trace = new StringWriter();
            failure.printStackTrace(new PrintWriter(trace));
            texts.add(failure.toString());
            texts.add(trace.toString());
        }
        assertThat(texts).allSatisfy(text -> assertThat(text).doesNotContain(TOKEN).doesNotContain("s3cr3t"));
        assertThat(texts.get(0)).contains("token=(set)");
        assertThat(failures.get(failures.size() - 1))
                .hasMessage("token: the value given has spaces or characters outside printable ASCII (expected: a bearer token)");
    }
}
