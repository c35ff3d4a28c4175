package com.doordash.pedregal.server;

import static com.doordash.pedregal.server.TestPlatform.FINAL_STATES;
import static com.doordash.pedregal.server.TestPlatform.awaitStatus;
import static com.doordash.pedregal.server.TestPlatform.get;
import static com.doordash.pedregal.server.TestPlatform.submit;
import static org.assertj.core.api.Assertions.assertThat;

import com.doordash.pedregal.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Callbacks, timeouts, job metrics, custom jars and env vars, on real Spark. */
final class JobFeaturesTest {
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    static Path dataDir;
    private static DcpServer server;

    @BeforeAll
    static void startServer() {
        server = TestPlatform.start(dataDir, Map.of("runner.callback.initial-backoff", "200ms",
                "policy.callbacks.allowed-hosts", "127.0.0.1"));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void callbackGetsExactlyOneFinalStatusDespiteTwoFailedAttemptsAndMetricsCountTheRowsWritten() throws Exception {
        List<String> delivered = new CopyOnWriteArrayList<>();
        AtomicInteger attempts = new AtomicInteger();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/done", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int status = attempts.incrementAndGet() <= 2 ? 500 : 204;
            if (status == 204) {
                delivered.add(body);
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
        try {
            String body = TestPlatform.job("with-callback", "data-infra", "SELECT * FROM source WHERE event_type = 'order'",
                    "callback_orders").replaceFirst("\\{", "{\"callback_url\": \"http://127.0.0.1:"
                    + receiver.getAddress().getPort() + "/done\", ");
            String jobId = submit(server, body);

            JsonNode status = awaitStatus(server, jobId, FINAL_STATES, JOB_TIMEOUT);
            assertThat(status.get("status").asText()).isEqualTo("SUCCEEDED");
            long orders = TestPlatform.query(server,
                    "SELECT count(*) AS n FROM pedregal.raw.events WHERE event_type = 'order'").get(0).get(0).get("n").asLong();
            assertThat(status.at("/metrics/records_written").asLong()).isEqualTo(orders);
            assertThat(status.at("/metrics/records_read").asLong()).isGreaterThanOrEqualTo(orders);
            assertThat(status.at("/metrics/tasks_completed").asLong()).isPositive();
            assertThat(status.at("/metrics/stages_completed").asLong()).isPositive();

            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (delivered.isEmpty() && System.nanoTime() < deadline) {
                TestPlatform.sleep(100);
            }
            TestPlatform.sleep(1_500); // room for a wrong second delivery
            assertThat(attempts.get()).isEqualTo(3);
            assertThat(delivered).hasSize(1);
            JsonNode sent = Json.mapper().readTree(delivered.get(0));
            assertThat(sent.get("job_id").asText()).isEqualTo(jobId);
            assertThat(sent.get("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(sent.at("/metrics/records_written").asLong()).isEqualTo(orders);
        }
        finally {
            receiver.stop(0);
        }
    }

    @Test
    void jobOverItsTimeoutEndsTimeoutWithItsProcessGone() throws IOException {
        String body = TestPlatform.sleepingJob("too-slow", 120).replaceFirst("\\{", "{\"timeout_seconds\": 8, ");
        String jobId = submit(server, body);
        String executionId = awaitStatus(server, jobId, java.util.Set.of("RUNNING", "TIMEOUT"), JOB_TIMEOUT)
                .get("execution_id").asText();
        List<ProcessHandle> driver = TestPlatform.driverProcesses(server, executionId);

        JsonNode status = awaitStatus(server, jobId, FINAL_STATES, JOB_TIMEOUT);

        assertThat(status.get("status").asText()).isEqualTo("TIMEOUT");
        assertThat(status.get("error_message").asText()).isEqualTo("the job ran longer than its timeout of 8 s");
        // TIMEOUT is recorded first; the driver then gets gateway.cancel-grace (2 s here) before it is killed. On a slow
        // machine the timeout can strike before the driver reports RUNNING: the wrapper is then gone when the test looks,
        // while its JVM is still in its grace, so the wait is for every process of the execution, not only those seen.
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while ((driver.stream().anyMatch(ProcessHandle::isAlive)
                || !TestPlatform.processesMentioning(executionId).isEmpty()) && System.nanoTime() < deadline) {
            TestPlatform.sleep(100);
        }
        assertThat(driver).noneMatch(ProcessHandle::isAlive);
        assertThat(TestPlatform.processesMentioning(executionId)).isEmpty();
    }

    @Test
    void customJarJobRunsItsMainClassWithTheJobsEnvironment() {
        String jar = Path.of(System.getProperty("dcp.runtimes-dir"), "3.5", "app", "coreetl.jar").toAbsolutePath().normalize()
                .toString();
        String body = """
                {"name": "custom-jar", "team": "data-infra", "user": "user@doordash.com",
                 "config": {"spark_version": "3.5",
                  "custom_jar": {"jar_path": "%s", "main_class": "com.doordash.pedregal.coreetl.QueryMain",
                                 "args": ["SELECT java_method('java.lang.System', 'getenv', 'GREETING') AS greeting"]},
                  "env_vars": {"GREETING": "hello from env_vars"}}}
                """.formatted(jar);
        String jobId = submit(server, body);

        JsonNode status = awaitStatus(server, jobId, FINAL_STATES, JOB_TIMEOUT);

        assertThat(status.get("status").asText()).as(status.toString()).isEqualTo("SUCCEEDED");
        assertThat(get(server, "/api/v1/jobs/" + jobId + "/logs").json().get("logs").asText())
                .contains("ROW 0 {\"greeting\":\"hello from env_vars\"}");
        assertThat(status.at("/metrics/tasks_completed").asLong()).isPositive();
    }
}
