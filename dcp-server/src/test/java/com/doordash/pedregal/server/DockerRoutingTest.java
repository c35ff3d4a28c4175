package com.doordash.pedregal.server;

import static com.doordash.pedregal.server.TestPlatform.awaitStatus;
import static com.doordash.pedregal.server.TestPlatform.get;
import static com.doordash.pedregal.server.TestPlatform.submit;
import static org.assertj.core.api.Assertions.assertThat;

import com.doordash.pedregal.gateway.docker.DockerBackend;
import com.doordash.pedregal.gateway.testing.ChildServers;
import com.doordash.pedregal.gateway.testing.RequiresDocker;
import com.doordash.pedregal.gateway.testing.RuntimeImages;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A routing rule sends a team's jobs to the docker backend: the README's example job runs in a container and a timeout
 * stops its container; nothing is left running. (A restarted platform following a container to its end:
 * {@code DockerBackendTest}; the runner's adoption after a restart: {@code RestartTest}.)
 */
@RequiresDocker
final class DockerRoutingTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(4);

    @TempDir
    static Path dataDir;
    private static Map<String, String> properties;
    private static DcpServer server;
    private static DockerClient docker;

    @BeforeAll
    static void start() {
        RuntimeImages.build();
        properties = new HashMap<>(Map.of(
                "gateway.docker.enabled", "true",
                "gateway.routes", "data-infra-in-containers",
                "gateway.route.data-infra-in-containers.team", "data-infra",
                "gateway.route.data-infra-in-containers.backend", "docker"));
        server = TestPlatform.start(dataDir.resolve("platform"), properties);
        docker = ChildServers.docker();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (docker != null) {
            docker.close();
        }
    }

    @Test
    void theReadmeExampleJobRunsInAContainerAndWritesItsSink() throws Exception {
        String jobId = submit(server, TestPlatform.readmeSubmitBody());

        JsonNode status = awaitStatus(server, jobId, TestPlatform.FINAL_STATES, TIMEOUT);

        assertThat(status.path("status").asText()).as(status.toString()).isEqualTo("SUCCEEDED");
        assertThat(status.path("backend").asText()).isEqualTo("docker");
        assertThat(get(server, "/api/v1/jobs/" + jobId + "/logs?tail=400", "text/plain").body())
                .contains("on backend docker").contains("exited with code 0");
        assertThat(TestPlatform.query(server, "SELECT count(*) AS n FROM pedregal.derived.orders"))
                .extracting(rows -> rows.toString()).containsExactly("[{\"n\":3000}]");
        assertThat(containersOf(status)).isEmpty();
    }

    @Test
    void aTimeoutStopsTheContainer() {
        String body = TestPlatform.sleepingJob("sleeps-too-long", 120).replaceFirst("\\{", "{\"timeout_seconds\": 8, ");
        String jobId = submit(server, body);

        JsonNode status = awaitStatus(server, jobId, TestPlatform.FINAL_STATES, TIMEOUT);

        assertThat(status.path("status").asText()).as(status.toString()).isEqualTo("TIMEOUT");
        // TIMEOUT is recorded first; the driver then gets gateway.cancel-grace (2 s here) before its container is killed.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!containersOf(status).isEmpty() && System.nanoTime() < deadline) {
            TestPlatform.sleep(200);
        }
        assertThat(containersOf(status)).isEmpty();
    }

    private static List<com.github.dockerjava.api.model.Container> containersOf(JsonNode status) {
        String executionId = status.path("execution_id").asText();
        assertThat(executionId).isNotEmpty();
        return docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(DockerBackend.LABEL_EXECUTION, executionId)).exec();
    }
}
