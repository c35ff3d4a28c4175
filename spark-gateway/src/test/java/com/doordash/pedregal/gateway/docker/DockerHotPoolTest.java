package com.doordash.pedregal.gateway.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.doordash.pedregal.gateway.Application;
import com.doordash.pedregal.gateway.BackendRun;
import com.doordash.pedregal.gateway.LaunchRequest;
import com.doordash.pedregal.gateway.PoolStatus;
import com.doordash.pedregal.gateway.RunState;
import com.doordash.pedregal.gateway.RunStatus;
import com.doordash.pedregal.gateway.testing.RequiresDocker;
import com.doordash.pedregal.gateway.testing.Specs;
import com.doordash.pedregal.model.config.ConfigProperties;
import com.doordash.pedregal.model.driver.DriverClasses;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.TestMethodOrder;

/** The docker backend's warm driver containers on a real engine, with the runtime images of this build. */
@RequiresDocker
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
final class DockerHotPoolTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final Map<String, String> POOL = Map.of("gateway.docker.hot-pool.pools", "3.5/default=1",
            "gateway.docker.hot-pool.driver-memory", "1g", "gateway.docker.hot-pool.driver-cores", "2");

    @RegisterExtension
    static final DockerPlatform platform = new DockerPlatform(POOL);

    @BeforeAll
    static void runTheDemoTablesBootstrap() {
        BackendRun demo = platform.gateway().launch(request(Application.platformTool(DriverClasses.DEMO_DATA_MAIN,
                List.of()), 1, 1L << 30));
        assertThat(platform.gateway().awaitEnd(demo, TIMEOUT).state())
                .as(platform.backend().logs(demo, OptionalInt.of(60))).isEqualTo(RunState.SUCCEEDED);
    }

    @Test
    void theSeedJobRunsInAWarmContainerLimitedToTheCoresItAskedAndNothingIsLeftAfterIt() {
        awaitIdleWarmContainer();
        String table = "hot_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

        BackendRun run = platform.gateway().launch(request(Application.coreEtl(Specs.eventCounts(table)), 1, 1L << 30));

        InspectContainerResponse container = platform.docker().inspectContainerCmd(run.runId()).exec();
        assertThat(container.getConfig().getLabels()).containsKey(DockerHotPool.LABEL_WARM);
        assertThat(container.getName()).isEqualTo("/dcp-" + run.executionId());
        assertThat(container.getHostConfig().getNanoCPUs()).isEqualTo(1_000_000_000L);
        assertThat(container.getHostConfig().getMemory()).isEqualTo(DockerBackend.containerMemory(1L << 30));
        assertThat(container.getHostConfig().getReadonlyRootfs()).isTrue();
        RunStatus status = platform.gateway().awaitEnd(run, TIMEOUT);
        String log = platform.backend().logs(run, OptionalInt.empty());
        assertThat(status.state()).as(log).isEqualTo(RunState.SUCCEEDED);
        assertThat(log).contains("handed to warm container").contains("exited with code 0");
        assertThat(platform.config().warehouseDir().resolve("derived").resolve(table).resolve("metadata")).isDirectory();
        assertThat(pool().handOffs()).isGreaterThanOrEqualTo(1);
        // One job per container: it is gone, and the pool starts another.
        assertThat(platform.containers()).noneMatch(c -> c.getId().equals(run.runId()));
        assertThat(platform.backend().find(run.executionId())).contains(run);
        awaitIdleWarmContainer();
        assertThat(idleWarmContainers()).noneMatch(c -> c.getId().equals(run.runId()));
    }

    @Test
    void aJobAskingMoreThanAWarmContainerHasOrNeedingItsOwnDriverStartsCold() {
        DockerHotPool hotPool = platform.backend().hotPool();
        Application job = Application.coreEtl(Specs.eventCounts("unused"));

        assertThat(hotPool.whyCold(request(job, 2, 1L << 30))).isEmpty();
        assertThat(hotPool.whyCold(request(job, 2, 2L << 30)))
                .contains("the job asks 2048m of driver memory; warm containers have 1024m");
        assertThat(hotPool.whyCold(request(job, 3, 1L << 30))).contains("the job asks 3 driver cores; warm containers have 2");
        assertThat(hotPool.whyCold(new LaunchRequest("test-" + UUID.randomUUID(), "n", "test", "default", "BATCH", "3.5",
                job, Map.of(), Map.of("A", "b"), 1, 1L << 30))).isPresent();
        assertThat(hotPool.whyCold(new LaunchRequest("test-" + UUID.randomUUID(), "n", "test", "default", "BATCH", "3.5",
                job, Map.of("spark.serializer", "x"), Map.of(), 1, 1L << 30)))
                .contains("spark_config.spark.serializer is read when a driver starts");

        long coldBefore = pool().coldStarts();
        BackendRun cold = platform.gateway().launch(request(job, 1, 2L << 30));
        InspectContainerResponse container = platform.docker().inspectContainerCmd(cold.runId()).exec();
        assertThat(container.getConfig().getLabels()).doesNotContainKey(DockerHotPool.LABEL_WARM)
                .containsEntry(DockerBackend.LABEL_EXECUTION, cold.executionId());
        assertThat(pool().coldStarts()).isEqualTo(coldBefore + 1);
        platform.gateway().cancel(cold);
        assertThat(platform.containers()).noneMatch(c -> c.getId().equals(cold.runId()));
    }

    @Test
    @Order(Integer.MAX_VALUE) // last: it does not wait for the replacement to warm up
    void aWarmContainerKilledFromOutsideIsReplaced() {
        Container warm = awaitWarmContainer();
        long replacedBefore = pool().replaced();

        platform.docker().killContainerCmd(warm.getId()).exec();

        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while ((pool().replaced() == replacedBefore || warmContainers().stream().allMatch(c -> c.getId().equals(warm.getId())))
                && System.nanoTime() < deadline) {
            DockerPlatform.sleep(200);
        }
        assertThat(pool().replaced()).isGreaterThan(replacedBefore);
        assertThat(warmContainers()).isNotEmpty().noneMatch(c -> c.getId().equals(warm.getId()));
        assertThat(platform.containers()).noneMatch(c -> c.getId().equals(warm.getId()));
    }

    @Test
    void aRestartedPlatformRemovesIdleWarmContainersAndFollowsAHandedOffOneToItsEnd() {
        awaitIdleWarmContainer();
        String table = "hot_restart_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        // Long enough to be running when the platform restarts: 10,000 events joined with 30,000 numbers.
        String spec = Specs.spec("raw", "events", "SELECT event_type, count(*) AS events FROM source CROSS JOIN"
                + " range(0, 30000) GROUP BY event_type", table);
        BackendRun run = platform.gateway().launch(request(Application.coreEtl(spec), 1, 1L << 30));
        assertThat(platform.docker().inspectContainerCmd(run.runId()).exec().getConfig().getLabels())
                .containsKey(DockerHotPool.LABEL_WARM);
        await(platform.gateway()::status, run, status -> status.state() == RunState.RUNNING);
        // A platform stopped without closing its backend left an idle warm container, which a restart removes; and
        // the handed-off container, which it follows as the job's run.
        DockerBackend restarted = new DockerBackend(DockerConfig.from(new ConfigProperties(Map.of())), platform.config(),
                platform.runtimes());
        List<String> idleBefore = idleWarmContainers().stream().map(Container::getId).toList();
        try {
            restarted.start();

            assertThat(platform.containers()).noneMatch(c -> idleBefore.contains(c.getId()));
            BackendRun found = restarted.find(run.executionId()).orElseThrow();
            assertThat(found).isEqualTo(run);
            RunStatus status = await(restarted::status, found, s -> s.state().isFinal());
            assertThat(status.state()).as(restarted.logs(found, OptionalInt.of(40))).isEqualTo(RunState.SUCCEEDED);
            assertThat(restarted.logs(found, OptionalInt.empty())).contains("handed to warm container");
            assertThat(platform.containers()).noneMatch(c -> c.getId().equals(run.runId()));
            assertThat(Files.exists(platform.config().runsDir().resolve(DockerHotPool.POOL_DIR))).isTrue();
        }
        finally {
            restarted.close();
        }
    }

    @Test
    void aPoolOfAnUnknownRuntimeIsRefusedWhenTheBackendIsMade() {
        assertThatThrownBy(() -> new DockerBackend(DockerConfig.from(new ConfigProperties(Map.of(
                "gateway.docker.hot-pool.pools", "9.9/default"))), platform.config(), platform.runtimes()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("gateway.docker.hot-pool.pools: runtime \"9.9\" does not exist (runtimes: ");
    }

    private static PoolStatus pool() {
        return platform.backend().pools().get(0);
    }

    /** Waits (untimed: a test, not a benchmark) until the pool has an idle warm container; that container. */
    private static Container awaitIdleWarmContainer() {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (pool().idle() == 0) {
            assertThat(System.nanoTime()).as("no idle warm container: " + pool()).isLessThan(deadline);
            DockerPlatform.sleep(200);
        }
        return idleWarmContainers().get(0);
    }

    /** Waits until a warm container runs (warming up or idle); that container. */
    private static Container awaitWarmContainer() {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (warmContainers().isEmpty()) {
            assertThat(System.nanoTime()).as("no warm container: " + pool()).isLessThan(deadline);
            DockerPlatform.sleep(200);
        }
        return warmContainers().get(0);
    }

    /** Running warm containers not handed a job, warming up or idle. */
    private static List<Container> warmContainers() {
        return platform.containers().stream().filter(c -> c.getLabels().containsKey(DockerHotPool.LABEL_WARM))
                .filter(c -> DockerHotPool.handedOffExecution(c).isEmpty())
                .filter(c -> "running".equals(c.getState()))
                .toList();
    }

    private static List<Container> idleWarmContainers() {
        return platform.containers().stream().filter(c -> c.getLabels().containsKey(DockerHotPool.LABEL_WARM))
                .filter(c -> DockerHotPool.handedOffExecution(c).isEmpty())
                .filter(c -> "running".equals(c.getState()))
                .toList();
    }

    private static LaunchRequest request(Application application, int cores, long memory) {
        return new LaunchRequest("test-" + UUID.randomUUID(), "docker-hot-pool-test", "test",
                LaunchRequest.DEFAULT_NAMESPACE, "BATCH", "3.5", application, Map.of(), Map.of(), cores, memory);
    }

    private static RunStatus await(java.util.function.Function<BackendRun, RunStatus> status, BackendRun run,
            Predicate<RunStatus> condition) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            RunStatus now = status.apply(run);
            if (condition.test(now)) {
                return now;
            }
            assertThat(System.nanoTime()).as("waiting for run " + run.runId() + ", now " + now).isLessThan(deadline);
            DockerPlatform.sleep(200);
        }
    }

    /** This test's containers: those carrying its runs folder. */

}
