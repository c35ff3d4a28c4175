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
}
