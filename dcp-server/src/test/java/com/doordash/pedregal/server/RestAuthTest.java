package com.doordash.pedregal.server;

import static com.doordash.pedregal.server.TestPlatform.DEMO_TOKEN;
import static com.doordash.pedregal.server.TestPlatform.request;
import static com.doordash.pedregal.server.TestPlatform.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every REST rule of authentication and authorization, each checked by a test that fails without it. */
final class RestAuthTest {
    @TempDir
    static Path dataDir;
    private static DcpServer server;
    private static String adminToken;
    private static String otherTeamsJob;

    @BeforeAll
    static void startServer() {
        server = TestPlatform.start(dataDir, Map.of("server.demo-data", "false", "policy.write-namespaces.other-team", "derived"));
        adminToken = server.newAdminToken().orElseThrow();
        // The admin acts for any team: a job of a team the demo user is not in.
        otherTeamsJob = submitAs(adminToken, "other-team", "someone@doordash.com").json().get("job_id").asText();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void requestWithoutTokenIs401WithAChallenge() {
        TestPlatform.Response response = send(request(server, "/api/v1/jobs", null).GET());

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.json().at("/error/code").asText()).isEqualTo("UNAUTHENTICATED");
        assertThat(response.json().at("/error/message").asText())
                .isEqualTo("missing credentials: send the header Authorization: Bearer <token>");
    }

    @Test
    void unknownTokenIs401AndIsNotEchoed() {
        TestPlatform.Response response = send(request(server, "/api/v1/jobs/" + otherTeamsJob, "guessed-secret-123").GET());

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.body()).doesNotContain("guessed-secret-123").contains("invalid token");
    }

    @Test
    void healthzAndThePrototypesHealthNeedNoToken() {
        assertThat(send(request(server, "/healthz", null).GET()).status()).isEqualTo(200);
        TestPlatform.Response health = send(request(server, "/health", null).GET());
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asText()).isEqualTo("ok");
    }

    @Test
    void anotherTeamsJobCannotBeReadCancelledOrLogged() {
        for (HttpRequest.Builder call : new HttpRequest.Builder[] {
                request(server, "/api/v1/jobs/" + otherTeamsJob, DEMO_TOKEN).GET(),
                request(server, "/api/v1/jobs/" + otherTeamsJob + "/logs", DEMO_TOKEN).GET(),
                request(server, "/api/v1/jobs/" + otherTeamsJob, DEMO_TOKEN).DELETE()}) {
            TestPlatform.Response response = send(call);
            assertThat(response.status()).as(response.body()).isEqualTo(403);
            assertThat(response.json().at("/error/code").asText()).isEqualTo("PERMISSION_DENIED");
            assertThat(response.json().at("/error/message").asText())
                    .isEqualTo("user user@doordash.com may not act for team other-team");
        }
        assertThat(send(request(server, "/api/v1/jobs/" + otherTeamsJob, adminToken).GET()).status()).isEqualTo(200);
    }

    @Test
    void listingAnotherTeamIsDeniedAndUnfilteredListsShowOnlyOwnTeams() {
        TestPlatform.Response denied = send(request(server, "/api/v1/jobs?team=other-team", DEMO_TOKEN).GET());
        JsonNode own = send(request(server, "/api/v1/jobs", DEMO_TOKEN).GET()).json();
        JsonNode all = send(request(server, "/api/v1/jobs", adminToken).GET()).json();

        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.json().at("/error/field").asText()).isEqualTo("team");
        assertThat(own.get("jobs").findValuesAsText("team")).doesNotContain("other-team");
        assertThat(all.get("jobs").findValuesAsText("job_id")).contains(otherTeamsJob);
    }

    @Test
    void submittingForAnotherTeamOrAsAnotherUserIsDenied() {
        TestPlatform.Response team = submitAs(DEMO_TOKEN, "other-team", "user@doordash.com");
        TestPlatform.Response user = submitAs(DEMO_TOKEN, "data-infra", "someone-else@doordash.com");

        assertThat(team.status()).isEqualTo(403);
        assertThat(team.json().at("/error/field").asText()).isEqualTo("team");
        assertThat(user.status()).isEqualTo(403);
        assertThat(user.json().at("/error/field").asText()).isEqualTo("user");
        assertThat(user.json().at("/error/message").asText())
                .isEqualTo("user user@doordash.com may not submit jobs as someone-else@doordash.com");
    }

    @Test
    void tokensNeverReachTheServerLog() {
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
                org.slf4j.Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> captured =
                new ch.qos.logback.core.read.ListAppender<>();
        captured.start();
        root.addAppender(captured);
        try {
            String jobId = submitAs(adminToken, "other-team", "someone@doordash.com").json().get("job_id").asText();
            send(request(server, "/api/v1/jobs/" + jobId, adminToken).GET());
            send(request(server, "/api/v1/jobs/" + jobId, adminToken).DELETE());
            send(request(server, "/api/v1/jobs", "wrong-secret-token-42").GET());
        }
        finally {
            root.detachAppender(captured);
        }

        assertThat(captured.list).as("the requests above were logged").isNotEmpty();
        assertThat(captured.list).allSatisfy(event -> assertThat(event.getFormattedMessage())
                .doesNotContain(adminToken)
                .doesNotContain("wrong-secret-token-42")
                .doesNotContain(DEMO_TOKEN));
    }

    private static TestPlatform.Response submitAs(String token, String team, String user) {
        String body = TestPlatform.job("auth-test", team, "SELECT * FROM source", "auth_sink")
                .replace("\"user\": \"user@doordash.com\"", "\"user\": \"" + user + "\"");
        return TestPlatform.post(server, "/api/v1/jobs", body, token);
    }
}
