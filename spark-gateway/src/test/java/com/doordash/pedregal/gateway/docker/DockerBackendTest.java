package com.doordash.pedregal.gateway.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.doordash.pedregal.gateway.Application;
import com.doordash.pedregal.gateway.BackendRun;
import com.doordash.pedregal.gateway.GatewayConfig;
import com.doordash.pedregal.gateway.LaunchRequest;
import com.doordash.pedregal.gateway.PlacementException;
import com.doordash.pedregal.gateway.ResourceRequest;
import com.doordash.pedregal.gateway.RouteKey;
import com.doordash.pedregal.gateway.RunState;
import com.doordash.pedregal.gateway.RunStatus;
import com.doordash.pedregal.gateway.testing.RequiresDocker;
import com.doordash.pedregal.gateway.testing.Specs;
import com.doordash.pedregal.model.config.ConfigProperties;
import com.doordash.pedregal.model.driver.DriverClasses;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Capability;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The docker backend on a real engine, with the runtime images built from this build's runtimes. */
@RequiresDocker
final class DockerBackendTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final String SLEEP = "SELECT java_method('java.lang.Thread', 'sleep', 120000L)";

    @RegisterExtension
    static final DockerPlatform platform = new DockerPlatform(Map.of());

    @Test
    void theSeedJobReadsTheDemoTableAndWritesItsSinkInAContainerWithTheResourcesItAskedFor() {
        BackendRun demo = platform.gateway().launch(request(Application.platformTool(DriverClasses.DEMO_DATA_MAIN,
                List.of()), 1));
        assertThat(platform.gateway().awaitEnd(demo, TIMEOUT).state())
                .as(platform.backend().logs(demo, OptionalInt.of(60))).isEqualTo(RunState.SUCCEEDED);
        String table = "docker_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String spec = Specs.eventCounts(table);

        BackendRun run = platform.gateway().launch(request(Application.coreEtl(spec), 2));

        InspectContainerResponse container = platform.docker().inspectContainerCmd(run.runId()).exec();
        assertThat(container.getHostConfig().getNanoCPUs()).isEqualTo(2_000_000_000L);
        assertThat(container.getHostConfig().getMemory()).isEqualTo(DockerBackend.containerMemory(1L << 30))
                .isEqualTo((1L << 30) + (384L << 20));
        assertThat(container.getHostConfig().getMemorySwap()).isEqualTo(container.getHostConfig().getMemory());
        assertThat(container.getHostConfig().getReadonlyRootfs()).isTrue();
        assertThat(container.getHostConfig().getCapDrop()).containsExactly(Capability.ALL);
        assertThat(container.getHostConfig().getSecurityOpts()).contains("no-new-privileges");
        assertThat(container.getConfig().getLabels()).containsEntry(DockerBackend.LABEL_EXECUTION, run.executionId());
        // It sees its run folder, its scratch folder, the warehouse; nothing else of this machine.
        assertThat(Arrays.stream(container.getHostConfig().getBinds()).map(bind -> bind.getPath()))
                .hasSize(4)
                .allMatch(path -> path.startsWith(platform.dataDir().toString())
                        || path.equals(platform.config().warehouseDir().toString()));
        if (isRoot()) {
            assertThat(container.getConfig().getUser()).doesNotStartWith("0:");
        }
        RunStatus status = platform.gateway().awaitEnd(run, TIMEOUT);

        String log = platform.backend().logs(run, OptionalInt.empty());
        assertThat(status.state()).as(log).isEqualTo(RunState.SUCCEEDED);
        assertThat(log).contains("=== dcp: execution " + run.executionId()).contains("on backend docker")
                .contains("exited with code 0");
        assertThat(status.metrics()).isNotNull();
        assertThat(platform.config().warehouseDir().resolve("derived").resolve(table).resolve("metadata")).isDirectory();
        assertThat(platform.containers()).noneMatch(c -> c.getId().equals(run.runId()));
        assertThat(platform.backend().find(run.executionId())).contains(run);

        BackendRun count = platform.gateway().launch(request(Application.platformTool(DriverClasses.QUERY_MAIN,
                List.of("SELECT count(*) AS n FROM pedregal.derived." + table)), 1));
        assertThat(platform.gateway().awaitEnd(count, TIMEOUT).state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(platform.backend().logs(count, OptionalInt.empty())).contains("ROW 0 {\"n\":5}");
    }

    @Test
    void cancelStopsTheContainerKeepsItsLogAndLeavesNothingBehind() {
        BackendRun run = platform.gateway().launch(request(sleep(), 1));
        await(run, status -> status.state() == RunState.RUNNING);

        platform.gateway().cancel(run);

        RunStatus status = platform.gateway().status(run);
        assertThat(status.state()).isEqualTo(RunState.FAILED);
        assertThat(status.message()).isEqualTo("the driver's container was stopped by signal 15 (SIGTERM)");
        assertThat(platform.backend().logs(run, OptionalInt.empty())).contains("exited with code 143");
        assertThat(platform.containers()).noneMatch(c -> c.getId().equals(run.runId()));
        platform.gateway().cancel(run); // idempotent
    }

    @Test
    void aRestartedPlatformFindsTheContainerByLabelAndFollowsItToItsEnd() {
        BackendRun run = platform.gateway().launch(request(Application.platformTool(DriverClasses.QUERY_MAIN,
                List.of("SELECT java_method('java.lang.Thread', 'sleep', 6000L) IS NULL AS slept")), 1));
        await(run, status -> status.state() == RunState.RUNNING);

        // The platform stops; the driver goes on. The next start knows only the execution id.
        DockerBackend restarted = platform.newBackend();
        try {
            BackendRun found = restarted.find(run.executionId()).orElseThrow();
            assertThat(found).isEqualTo(run);
            RunStatus status = restarted.status(found);
            assertThat(status.state()).isEqualTo(RunState.RUNNING);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!status.state().isFinal() && System.nanoTime() < deadline) {
                DockerPlatform.sleep(200);
                status = restarted.status(found);
            }
            assertThat(status.state()).as(restarted.logs(found, OptionalInt.of(40))).isEqualTo(RunState.SUCCEEDED);
            assertThat(restarted.logs(found, OptionalInt.empty())).contains("ROW 0 {\"slept\":").contains("QUERY 0 DONE 1");
        }
        finally {
            restarted.close();
        }
        assertThat(platform.containers()).noneMatch(c -> c.getId().equals(run.runId()));
    }

    @Test
    void aRestartedPlatformFinishesTheContainersItLeftBehind() {
        BackendRun ended = platform.gateway().launch(request(Application.platformTool(DriverClasses.QUERY_MAIN,
                List.of("SELECT 1 AS one")), 1));
        BackendRun cancelled = platform.gateway().launch(request(sleep(), 1));
        await(cancelled, status -> status.state() == RunState.RUNNING);
        // The platform stops while one driver ends unseen and the cancel of the other is under way.
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (Boolean.TRUE.equals(platform.docker().inspectContainerCmd(ended.runId()).exec().getState().getRunning())
                && System.nanoTime() < deadline) {
            DockerPlatform.sleep(200);
        }
        platform.backend().markCancelRequested(cancelled);

        DockerBackend restarted = platform.newBackend();
        try {
            restarted.start();

            assertThat(platform.containers()).noneMatch(c -> c.getId().equals(ended.runId())
                    || c.getId().equals(cancelled.runId()));
            assertThat(restarted.status(ended).state()).isEqualTo(RunState.SUCCEEDED);
            assertThat(restarted.logs(ended, OptionalInt.empty())).contains("ROW 0 {\"one\":1}");
            assertThat(restarted.status(cancelled).message())
                    .isEqualTo("the driver's container was stopped by signal 15 (SIGTERM)");
        }
        finally {
            restarted.close();
        }
    }

    @Test
    void aContainerKilledFromOutsideFailsWithTheSignalAndOneRemovedIsLost() {
        BackendRun killed = platform.gateway().launch(request(sleep(), 1));
        BackendRun removed = platform.gateway().launch(request(sleep(), 1));
        await(killed, status -> status.state() == RunState.RUNNING);
        await(removed, status -> status.state() == RunState.RUNNING);

        platform.docker().killContainerCmd(killed.runId()).exec();
        platform.docker().removeContainerCmd(removed.runId()).withForce(true).exec();

        RunStatus afterKill = await(killed, status -> status.state().isFinal());
        assertThat(afterKill.state()).isEqualTo(RunState.FAILED);
        assertThat(afterKill.message()).isEqualTo("the driver's container was stopped by signal 9 (SIGKILL)");
        RunStatus afterRemoval = platform.gateway().status(removed);
        assertThat(afterRemoval.state()).isEqualTo(RunState.LOST);
        assertThat(afterRemoval.message()).startsWith("container " + removed.runId().substring(0, 12)
                + " of the driver is gone and left no exit status");
        assertThat(platform.containers()).noneMatch(c -> c.getId().equals(killed.runId()) || c.getId().equals(removed.runId()));
        platform.gateway().cancel(removed); // a gone run: nothing to do
    }

    @Test
    void capabilitiesComeFromTheEngineAndAnImpossibleRequestIsRefusedAtPlacement() {
        int cpus = platform.docker().infoCmd().exec().getNCPU();

        assertThat(platform.backend().capabilities().maxDriverCores()).isEqualTo(cpus);
        assertThat(platform.backend().capabilities().sparkVersions())
                .containsExactlyInAnyOrderElementsOf(platform.runtimes().versions());
        RouteKey key = new RouteKey("test", LaunchRequest.DEFAULT_NAMESPACE, "3.5", "BATCH");
        assertThat(platform.gateway().place(key, new ResourceRequest(cpus, 1L << 30, 0, 0, 0)).backend()).isEqualTo("docker");
        assertThatThrownBy(() -> platform.gateway().place(key, new ResourceRequest(cpus + 1, 1L << 30, 0, 0, 0)))
                .isInstanceOf(PlacementException.class)
                .satisfies(e -> assertThat(((PlacementException) e).resource())
                        .isEqualTo(PlacementException.Resource.DRIVER_CORES));
    }

    @Test
    void catalogSecretsNeverShowInTheContainersCommandEnvironmentOrLog() {
        Map<String, String> settings = new HashMap<>(Map.of(
                "gateway.catalog.type", "jdbc",
                "gateway.catalog.uri", "jdbc:postgresql://127.0.0.1:5432/test",
                "gateway.catalog.warehouse", platform.dataDir().resolve("jdbc-warehouse").toUri().toString(),
                "gateway.catalog.jdbc.user", "postgres",
                "gateway.catalog.jdbc.password", "catalog-password-c4f3",
                "gateway.s3.access-key-id", "AKIATESTKEY",
                "gateway.s3.secret-access-key", "s3-secret-b33f"));
        GatewayConfig secretConfig = GatewayConfig.from(new ConfigProperties(settings), platform.dataDir(), Map.of());
        DockerBackend secretBackend = new DockerBackend(DockerConfig.from(new ConfigProperties(Map.of())), secretConfig,
                platform.runtimes());
        try {
            // A job asking Spark for the values: Spark answers them redacted.
            BackendRun run = secretBackend.launch(request(Application.platformTool(DriverClasses.QUERY_MAIN, List.of(
                    "SET spark.sql.catalog.pedregal.jdbc.password", "SET `spark.sql.catalog.pedregal.s3.secret-access-key`")),
                    1));
            InspectContainerResponse container = platform.docker().inspectContainerCmd(run.runId()).exec();

            String shown = String.join(" ", container.getConfig().getEntrypoint() == null ? new String[0]
                    : container.getConfig().getEntrypoint()) + " " + String.join(" ", container.getConfig().getEnv())
                    + " " + Arrays.toString(container.getArgs()) + " " + container.getPath();
            assertThat(shown).doesNotContain("catalog-password-c4f3").doesNotContain("s3-secret-b33f")
                    .contains("@/dcp/run/driver.args");
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!secretBackend.status(run).state().isFinal() && System.nanoTime() < deadline) {
                DockerPlatform.sleep(200);
            }
            String log = secretBackend.logs(run, OptionalInt.empty());
            assertThat(secretBackend.status(run).state()).as(log).isEqualTo(RunState.SUCCEEDED);
            assertThat(log).contains("spark.sql.catalog.pedregal.jdbc.password=***")
                    .contains("ROW 0 {\"key\":\"spark.sql.catalog.pedregal.jdbc.password\",\"value\":\"*********(redacted)\"}")
                    .contains("ROW 1 {\"key\":\"spark.sql.catalog.pedregal.s3.secret-access-key\",\"value\":\"*********(redacted)\"}")
                    .doesNotContain("catalog-password-c4f3").doesNotContain("s3-secret-b33f");
        }
        finally {
            secretBackend.close();
        }
    }

    private static Application sleep() {
        return Application.platformTool(DriverClasses.QUERY_MAIN, List.of(SLEEP));
    }

    private static LaunchRequest request(Application application, int cores) {
        return new LaunchRequest("test-" + UUID.randomUUID(), "docker-backend-test", "test",
                LaunchRequest.DEFAULT_NAMESPACE, "BATCH", "3.5", application, Map.of(), Map.of(), cores, 1L << 30);
    }

    private static RunStatus await(BackendRun run, Predicate<RunStatus> condition) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            RunStatus status = platform.gateway().status(run);
            if (condition.test(status)) {
                return status;
            }
            assertThat(System.nanoTime()).as("waiting for run " + run.runId() + ", now " + status + "\n"
                    + platform.gateway().logs(run, OptionalInt.of(40))).isLessThan(deadline);
            DockerPlatform.sleep(200);
        }
    }


    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

}
