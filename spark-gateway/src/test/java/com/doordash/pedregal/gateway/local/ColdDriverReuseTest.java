package com.doordash.pedregal.gateway.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.doordash.pedregal.gateway.Application;
import com.doordash.pedregal.gateway.BackendRun;
import com.doordash.pedregal.gateway.GatewayConfig;
import com.doordash.pedregal.gateway.LaunchRequest;
import com.doordash.pedregal.gateway.RunState;
import com.doordash.pedregal.gateway.RunStatus;
import com.doordash.pedregal.gateway.SparkRuntimes;
import com.doordash.pedregal.gateway.TestDirs;
import com.doordash.pedregal.model.config.ConfigProperties;
import com.doordash.pedregal.model.driver.DriverClasses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job that starts cold for want of an idle warm driver gets a driver that takes its team's next job afterwards:
 * an iterating user pays one cold start, not one per job. A pool of size 0 keeps no warm driver, so every first job
 * starts cold here.
 */
final class ColdDriverReuseTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    Path dataDir;

    @Test
    void theDriverOfAColdJobTakesItsTeamsNextJobAndThenTheirSessionsAreTheirOwn() throws Exception {
        TestDirs.reachable(dataDir);
        GatewayConfig config = GatewayConfig.from(new ConfigProperties(Map.of("gateway.cancel-grace", "1s")), dataDir);
        SparkRuntimes runtimes = SparkRuntimes.scan(config.runtimesDir());
        LocalBackend backend = new LocalBackend(config, runtimes, HotPoolConfig.from(new ConfigProperties(Map.of(
                "gateway.hot-pool.pools", "3.5/default=0"))));
        backend.start();
        try {
            // A source table, made by a platform tool (which never gets a reusable driver).
            BackendRun table = backend.launch(new LaunchRequest("test-" + UUID.randomUUID(), "reuse-src", "test",
                    LaunchRequest.DEFAULT_NAMESPACE, "BATCH", "3.5", Application.platformTool(DriverClasses.QUERY_MAIN,
                    List.of("CREATE TABLE pedregal.reuse.src USING iceberg AS SELECT id FROM range(10)")), Map.of(),
                    Map.of(), 1, 1L << 30));
            assertThat(await(backend, table).state()).as(backend.logs(table, OptionalInt.empty())).isEqualTo(RunState.SUCCEEDED);

            BackendRun first = backend.launch(job("team-a", "SELECT id FROM source", "SELECT count(*) AS n FROM leftover",
                    "first"));
            RunStatus firstStatus = await(backend, first);
            assertThat(firstStatus.state()).as(backend.logs(first, OptionalInt.empty())).isEqualTo(RunState.SUCCEEDED);
            assertThat(Files.exists(backend.runDir(first.executionId()).resolve("work").resolve("ready")))
                    .as("a driver started for a job does not warm up first").isFalse();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (backend.hotPool().affineCount() != 1) {
                assertThat(System.nanoTime()).as("the driver waits for its team's next job").isLessThan(deadline);
                Thread.sleep(20);
            }

            // The same team's next job runs on it, in a session of its own: the first job's view is gone.
            BackendRun second = backend.launch(job("team-a", null, "SELECT count(*) AS n FROM leftover", "second"));
            assertThat(second.runId().split(":")[0]).isEqualTo(first.runId().split(":")[0]);
            RunStatus secondStatus = await(backend, second);
            assertThat(secondStatus.state()).isEqualTo(RunState.FAILED);
            assertThat(secondStatus.message()).contains("leftover");
        }
        finally {
            backend.close();
        }
    }

    private static RunStatus await(LocalBackend backend, BackendRun run) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            RunStatus status = backend.status(run);
            if (status.state().isFinal()) {
                return status;
            }
            assertThat(System.nanoTime()).as("execution " + run.executionId() + " ends").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /**
     * A CoreETL job of {@code team} reading {@code pedregal.reuse.src}: optionally a first step kept as the view
     * {@code leftover}, then {@code query}, written to {@code sink}.
     */
    private static LaunchRequest job(String team, String firstStep, String query, String sink) {
        String steps = (firstStep == null ? "" : "{\"type\": \"sql\", \"query\": \"" + firstStep
                + "\", \"name\": \"leftover\"}, ") + "{\"type\": \"sql\", \"query\": \"" + query + "\"}";
        return new LaunchRequest("test-" + UUID.randomUUID(), "reuse-test", team, LaunchRequest.DEFAULT_NAMESPACE, "BATCH",
                "3.5", Application.coreEtl("""
                        {"sources": [{"type": "iceberg", "catalog": "pedregal", "database": "reuse", "table": "src"}],
                         "transformations": [%s],
                         "sinks": [{"type": "iceberg", "catalog": "pedregal", "database": "reuse", "table": "%s",
                                    "mode": "overwrite"}]}
                        """.formatted(steps, sink)), Map.of(), Map.of(), 1, 1L << 30);
    }

}
