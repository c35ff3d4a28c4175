package com.doordash.pedregal.server;

import static com.doordash.pedregal.server.TestPlatform.FINAL_STATES;
import static com.doordash.pedregal.server.TestPlatform.awaitStatus;
import static com.doordash.pedregal.server.TestPlatform.get;
import static com.doordash.pedregal.server.TestPlatform.submit;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Restarting the server loses no job: finished ones keep their state, running ones are followed to their end. */
final class RestartTest {
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    static Path dataDir;

    @Test
    void jobsSurviveARestartMidRunAndAfterCompletion() {
        String finished;
        String running;
        String executionId;
        try (DcpServer first = TestPlatform.start(dataDir)) {
            finished = submit(first, TestPlatform.job("before-restart", "data-infra", "SELECT * FROM source LIMIT 10", "restart_done"));
            running = submit(first, TestPlatform.sleepingJob("across-restart", 25));
            assertThat(awaitStatus(first, finished, FINAL_STATES, JOB_TIMEOUT).get("status").asText()).isEqualTo("SUCCEEDED");
            executionId = awaitStatus(first, running, Set.of("RUNNING"), JOB_TIMEOUT).get("execution_id").asText();
        }

        try (DcpServer second = TestPlatform.start(dataDir)) {
            assertThat(get(second, "/api/v1/jobs/" + finished).json().get("status").asText()).isEqualTo("SUCCEEDED");
            JsonNode resumed = get(second, "/api/v1/jobs/" + running).json();
            assertThat(resumed.get("status").asText()).isEqualTo("RUNNING");
            assertThat(resumed.get("execution_id").asText()).isEqualTo(executionId);

            JsonNode end = awaitStatus(second, running, FINAL_STATES, JOB_TIMEOUT);

            assertThat(end.get("status").asText()).as(end.toString()).isEqualTo("SUCCEEDED");
            // Followed, not started again: one SUBMITTED in its history.
            assertThat(end.get("history").findValuesAsText("status"))
                    .containsExactly("PENDING", "SUBMITTED", "RUNNING", "SUCCEEDED");
        }
    }

    @Test
    void jobWhoseDriverDiedWhileTheServerWasDownIsFailedWithTheReason() throws Exception {
        String jobId;
        List<ProcessHandle> driver;
        try (DcpServer first = TestPlatform.start(dataDir)) {
            jobId = submit(first, TestPlatform.sleepingJob("dies-while-down", 120));
            String executionId = awaitStatus(first, jobId, Set.of("RUNNING"), JOB_TIMEOUT).get("execution_id").asText();
            driver = TestPlatform.driverProcesses(first, executionId);
        }
        // The wrapper first, so that nobody records an exit code: as if the machine had killed everything.
        for (ProcessHandle process : driver) {
            process.destroyForcibly();
            process.onExit().get(10, TimeUnit.SECONDS);
        }

        try (DcpServer second = TestPlatform.start(dataDir)) {
            JsonNode end = awaitStatus(second, jobId, FINAL_STATES, JOB_TIMEOUT);

            assertThat(end.get("status").asText()).isEqualTo("FAILED");
            assertThat(end.get("error_message").asText())
                    .startsWith("the driver process ")
                    .endsWith(" is gone and left no exit status (killed from outside, or the machine restarted)");
        }
    }
}
