package com.doordash.pedregal.server;

import static com.doordash.pedregal.server.TestPlatform.awaitStatus;
import static com.doordash.pedregal.server.TestPlatform.delete;
import static com.doordash.pedregal.server.TestPlatform.get;
import static com.doordash.pedregal.server.TestPlatform.submit;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job is launched exactly once, even when the monitor looks at it while its launch is being recorded
 * (the monitor polls every few milliseconds here to make that overlap likely).
 */
final class LaunchRaceTest {
    @TempDir
    Path dataDir;

    @Test
    void eachJobIsLaunchedOnceAndNeverStoppedByItsOwnLaunch() {
        try (DcpServer server = TestPlatform.start(dataDir, Map.of("runner.poll-interval", "2ms", "server.demo-data", "false"))) {
            List<String> ids = IntStream.range(0, 6)
                    .mapToObj(i -> submit(server, TestPlatform.queryToolJob(server, "race-" + i, "data-infra",
                            "SELECT java_method('java.lang.Thread', 'sleep', 60000L) AS slept", "{}")))
                    .toList();
            ids.forEach(id -> awaitStatus(server, id, Set.of("SUBMITTED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"),
                    Duration.ofMinutes(1)));
            TestPlatform.sleep(1_500);

            for (String id : ids) {
                JsonNode status = get(server, "/api/v1/jobs/" + id).json();
                assertThat(status.get("status").asText()).as(status.toString()).isIn("SUBMITTED", "RUNNING");
                assertThat(status.get("history").findValuesAsText("status")).containsOnlyOnce("SUBMITTED");
            }
            ids.forEach(id -> assertThat(delete(server, "/api/v1/jobs/" + id).status()).isEqualTo(200));
        }
    }

    @Test
    void cancelRightAfterSubmitLeavesNoDriverRunning() {
        try (DcpServer server = TestPlatform.start(dataDir, Map.of("runner.poll-interval", "2ms", "server.demo-data", "false"))) {
            for (int i = 0; i < 6; i++) {
                String id = submit(server, TestPlatform.queryToolJob(server, "cancel-race-" + i, "data-infra",
                        "SELECT java_method('java.lang.Thread', 'sleep', 60000L) AS slept", "{}"));
                assertThat(delete(server, "/api/v1/jobs/" + id).status()).isEqualTo(200);

                // Whoever recorded the driver — the launch or the cancel — has stopped it by the time cancel answers.
                String executionId = get(server, "/api/v1/jobs/" + id).json().get("execution_id").asText();
                server.gateway().find(executionId).ifPresent(run -> assertThat(server.gateway().status(run).state())
                        .as("driver of cancelled job %s", id)
                        .isNotIn(com.doordash.pedregal.gateway.RunState.STARTING, com.doordash.pedregal.gateway.RunState.RUNNING));
            }
        }
    }
}
