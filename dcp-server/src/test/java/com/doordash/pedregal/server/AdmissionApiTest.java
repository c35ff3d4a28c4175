package com.doordash.pedregal.server;

import static com.doordash.pedregal.server.TestPlatform.awaitStatus;
import static com.doordash.pedregal.server.TestPlatform.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Admission limits through the REST API: queueing in fair order, and requests that could never run. */
final class AdmissionApiTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    static Path dataDir;
    private static DcpServer server;
    private static String adminToken;

    @BeforeAll
    static void startServer() {
        server = TestPlatform.start(dataDir, Map.of(
                "server.demo-data", "false",
                "runner.admission.max-running", "1",
                "runner.admission.team-max-cores", "16",
                "policy.custom-code.teams", "data-infra, growth"));
        adminToken = server.newAdminToken().orElseThrow();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void overTheLimitJobsWaitPendingAndStartInFairSubmissionOrder() {
        String a1 = submit("a1", "data-infra");
        String a2 = submit("a2", "data-infra");
        String a3 = submit("a3", "data-infra");
        String b1 = submit("b1", "growth");

        assertThat(TestPlatform.send(TestPlatform.request(server, "/api/v1/jobs/" + b1, adminToken).GET()).json()
                .path("status").asText())
                .as("one job at a time: the others wait").isEqualTo("PENDING");
        List<String> order = List.of(a1, a2, a3, b1).stream()
                .map(id -> awaitStatus(server, id, TestPlatform.FINAL_STATES, TIMEOUT, adminToken))
                .peek(status -> assertThat(status.path("status").asText()).as(status.toString()).isEqualTo("SUCCEEDED"))
                .sorted(Comparator.comparing(status -> Instant.parse(status.path("start_time").asText())))
                .map(status -> status.path("name").asText())
                .toList();
        assertThat(order).as("teams take turns; each team's jobs keep their order").containsExactly("a1", "b1", "a2", "a3");
    }

    @Test
    void requestNoBackendCanEverGrantIsRejectedAtSubmit() {
        TestPlatform.Response response = post(server, "/api/v1/jobs", body("huge", "data-infra",
                "{\"driver\": {\"cores\": 1, \"memory\": \"1g\"}, \"executor\": {\"instances\": 1, \"cores\": 1, \"memory\": \"64t\"}}"));

        assertThat(response.status()).isEqualTo(400);
        JsonNode error = response.json().path("error");
        assertThat(error.path("field").asText()).isEqualTo("config.resources.executor.memory");
        assertThat(error.path("message").asText()).startsWith("config.resources.executor.memory: 67108864m is more than"
                + " can ever be granted on backend local, where jobs of team data-infra in namespace default run (at most ");
    }

    @Test
    void requestOverTheTeamLimitIsRejectedAtSubmit() {
        TestPlatform.Response response = post(server, "/api/v1/jobs", body("wide", "data-infra",
                "{\"driver\": {\"cores\": 2, \"memory\": \"4g\"}, \"executor\": {\"instances\": 5, \"cores\": 4, \"memory\": \"8g\"}}"));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("error").path("message").asText()).isEqualTo("config.resources: the job asks 22 of"
                + " cores in all (driver and executors), more than the platform ever grants one team at once"
                + " (runner.admission.team-max-cores = 16)");
    }

    /** A quick real job: the platform's query tool as a custom jar. */
    private static String submit(String name, String team) {
        TestPlatform.Response response = post(server, "/api/v1/jobs", body(name, team,
                "{\"driver\": {\"cores\": 1, \"memory\": \"512m\"}}"), adminToken);
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        return response.json().path("job_id").asText();
    }

    private static String body(String name, String team, String resources) {
        return TestPlatform.queryToolJob(server, name, team, "SELECT 1", resources);
    }
}
