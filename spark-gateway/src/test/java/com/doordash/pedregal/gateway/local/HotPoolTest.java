package com.doordash.pedregal.gateway.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.doordash.pedregal.gateway.Application;
import com.doordash.pedregal.gateway.BackendRun;
import com.doordash.pedregal.gateway.GatewayConfig;
import com.doordash.pedregal.gateway.LaunchRequest;
import com.doordash.pedregal.gateway.PoolStatus;
import com.doordash.pedregal.gateway.Router;
import com.doordash.pedregal.gateway.RunState;
import com.doordash.pedregal.gateway.RunStatus;
import com.doordash.pedregal.gateway.SparkGateway;
import com.doordash.pedregal.gateway.SparkRuntimes;
import com.doordash.pedregal.gateway.TestDirs;
import com.doordash.pedregal.model.config.ConfigProperties;
import com.doordash.pedregal.model.driver.DriverClasses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local backend's hot pool with real warm drivers: one pool of one driver, shared by the tests. */
final class HotPoolTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    static Path dataDir;
    private static GatewayConfig config;
    private static SparkRuntimes runtimes;
    private static LocalBackend backend;
    private static SparkGateway gateway;

    @BeforeAll
    static void startPool() {
        TestDirs.reachable(dataDir);
        config = GatewayConfig.from(new ConfigProperties(Map.of("gateway.cancel-grace", "1s")), dataDir);
        runtimes = SparkRuntimes.scan(config.runtimesDir());
        HotPoolConfig pools = HotPoolConfig.from(new ConfigProperties(Map.of("gateway.hot-pool.pools", "3.5/default=1",
                "gateway.hot-pool.max-size", "1")));
        backend = new LocalBackend(config, runtimes, pools);
        gateway = new SparkGateway(List.of(backend), runtimes, new Router(List.of(), "local"));
        gateway.start();
        // A source table, made by a platform tool (which never takes a warm driver) while the pool warms up.
        BackendRun run = gateway.launch(launch(Application.platformTool(DriverClasses.QUERY_MAIN, List.of(
                "CREATE TABLE pedregal.hot.src USING iceberg AS SELECT id, CASE WHEN id % 4 = 0 THEN 'order' ELSE 'view' END"
                        + " AS event_type FROM range(100)")), Map.of()));
        RunStatus status = gateway.awaitEnd(run, TIMEOUT);
        assertThat(status.state()).as(backend.logs(run, OptionalInt.empty())).isEqualTo(RunState.SUCCEEDED);
    }

    @AfterAll
    static void stopPool() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void coreEtlJobRunsOnAnAlreadyRunningWarmDriverWhichThenTakesOnlyItsTeamsNextJob() throws Exception {
        PoolStatus before = awaitIdleDriver();
        Instant launched = Instant.now();

        BackendRun run = gateway.launch(launch("team-a", coreEtl("SELECT * FROM source WHERE event_type = 'order'",
                "orders")));

        ProcessHandle driver = ProcessHandle.of(pid(run)).orElseThrow();
        assertThat(driver.info().startInstant()).get().matches(started -> started.isBefore(launched),
                "the driver was started before the job was launched");
        assertThat(gateway.status(run).state()).as("a warm driver reports the job running once it is handed over")
                .isEqualTo(RunState.RUNNING);
        RunStatus status = gateway.awaitEnd(run, TIMEOUT);
        String log = backend.logs(run, OptionalInt.empty());
        assertThat(status.state()).as(log).isEqualTo(RunState.SUCCEEDED);
        assertThat(log).contains("handed to warm driver").contains("CoreETL SUCCEEDED: wrote 25 rows to pedregal.hot.orders");
        assertThat(status.metrics()).isNotNull();
        assertThat(status.metrics().recordsWritten()).as("metrics count the job's tasks, not the warm-up's").isEqualTo(25);
        PoolStatus after = awaitIdleDriver();
        assertThat(after.handOffs()).isEqualTo(before.handOffs() + 1);
        assertThat(after.lastHandOffMillis()).isBetween(0L, 5_000L);
        assertThat(idleDriverPid()).as("the pool's new driver, never the one that ran the job").isNotEqualTo(pid(run));
        awaitAffineDrivers(1);
        assertThat(driver.isAlive()).as("it waits for its team's next job").isTrue();

        // The team's next job runs on it, in a session and a log of its own, its metrics its own.
        BackendRun next = gateway.launch(launch("team-a", coreEtl("SELECT * FROM source WHERE event_type = 'view'",
                "views")));
        assertThat(pid(next)).isEqualTo(pid(run));
        RunStatus nextStatus = gateway.awaitEnd(next, TIMEOUT);
        String nextLog = backend.logs(next, OptionalInt.empty());
        assertThat(nextStatus.state()).as(nextLog).isEqualTo(RunState.SUCCEEDED);
        assertThat(nextLog).contains("its job 2 for this team").contains("CoreETL SUCCEEDED: wrote 75 rows to pedregal.hot.views")
                .doesNotContain("pedregal.hot.orders");
        assertThat(nextStatus.metrics().recordsWritten()).isEqualTo(75);
        assertThat(backend.find(next.executionId())).get().extracting(found -> found.runId().split(":")[0])
                .isEqualTo(Long.toString(pid(run)));

        // Another team's job never gets it.
        awaitAffineDrivers(1);
        BackendRun other = gateway.launch(launch("team-b", coreEtl("SELECT * FROM source", "all_rows")));
        assertThat(pid(other)).isNotEqualTo(pid(run));
        assertThat(gateway.awaitEnd(other, TIMEOUT).state()).isEqualTo(RunState.SUCCEEDED);
    }

    @Test
    void deadWarmDriverIsReplaced() throws Exception {
        PoolStatus before = awaitIdleDriver();
        long pid = idleDriverPid();
        ProcessHandle wrapper = ProcessHandle.of(pid).orElseThrow();

        for (ProcessHandle process : Stream.concat(wrapper.descendants(), Stream.of(wrapper)).toList()) {
            process.destroyForcibly();
            process.onExit().get(10, TimeUnit.SECONDS);
        }

        // The pool notices the death at its next check: until then it still counts the dead driver as idle.
        PoolStatus after = awaitPool("the dead driver is replaced and its successor idle",
                pool -> pool.idle() == 1 && pool.replaced() > before.replaced());
        assertThat(after.replaced()).isEqualTo(before.replaced() + 1);
        assertThat(idleDriverPid()).isNotEqualTo(pid);
    }

    @Test
    void cancelStopsAWarmJobAndItsDriver() throws Exception {
        awaitIdleDriver();
        BackendRun run = gateway.launch(launch(coreEtl("SELECT java_method('java.lang.Thread', 'sleep', 120000L) AS slept",
                "slept"), Map.of()));
        ProcessHandle driver = ProcessHandle.of(pid(run)).orElseThrow();
        assertThat(gateway.status(run).state()).isEqualTo(RunState.RUNNING);

        gateway.cancel(run);

        assertThat(driver.isAlive()).isFalse();
        assertThat(driver.descendants().filter(ProcessHandle::isAlive)).isEmpty();
        RunStatus status = gateway.status(run);
        assertThat(status.state()).isIn(RunState.FAILED, RunState.LOST);
    }

    @Test
    void jobThatNeedsADriverOfItsOwnStartsCold() {
        HotPool pool = new HotPool(backend.launcher(), config, LocalConfig.withoutHotPools(), runtimes);
        Application job = coreEtl("SELECT * FROM source", "out");

        assertThat(pool.whyCold(launch(job, Map.of()))).isEmpty();
        assertThat(pool.whyCold(launch(job, Map.of("spark.sql.shuffle.partitions", "8", "spark.executor.memory", "8g",
                "spark.executor.instances", "5", "spark.dynamicAllocation.enabled", "true")))).isEmpty();
        assertThat(pool.whyCold(launch(job, Map.of("spark.sql.extensions", "x"))))
                .contains("spark_config.spark.sql.extensions is read when a driver starts");
        assertThat(pool.whyCold(launch(job, Map.of("spark.sql.catalog.other", "x"))))
                .contains("spark_config.spark.sql.catalog.other is read when a driver starts");
        assertThat(pool.whyCold(launch(job, Map.of("spark.serializer", "x"))))
                .contains("spark_config.spark.serializer is read when a driver starts");
        assertThat(pool.whyCold(new LaunchRequest("e", "n", "t", "default", "BATCH", "3.5", job, Map.of(),
                Map.of("TZ", "UTC"), 1, 1L << 30)))
                .contains("the job sets environment variables, which need a driver of its own");
        assertThat(pool.whyCold(launch(new Application("com.example.Main", "/jobs/app.jar", List.of()), Map.of())))
                .contains("warm drivers run CoreETL jobs, not custom jars");
    }

    private static PoolStatus awaitIdleDriver() throws InterruptedException {
        return awaitPool("a warm driver is idle", pool -> pool.idle() == 1);
    }

    private static PoolStatus awaitPool(String what, Predicate<PoolStatus> condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            PoolStatus pool = gateway.pools().get(0);
            if (condition.test(pool)) {
                return pool;
            }
            assertThat(System.nanoTime()).as(what + " within " + TIMEOUT + ": " + pool).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static void awaitAffineDrivers(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (backend.hotPool().affineCount() != count) {
            assertThat(System.nanoTime()).as(count + " driver(s) wait for their team's next job").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static long idleDriverPid() throws Exception {
        try (Stream<Path> dirs = Files.list(config.runsDir().resolve(HotPool.POOL_DIR))) {
            List<Path> ready = dirs.filter(dir -> Files.exists(dir.resolve("work").resolve("ready"))).toList();
            assertThat(ready).hasSize(1);
            return Long.parseLong(Files.readString(ready.get(0).resolve("pid")).strip());
        }
    }

    private static long pid(BackendRun run) {
        return Long.parseLong(run.runId().split(":")[0]);
    }

    private static Application coreEtl(String query, String sink) {
        return Application.coreEtl("""
                {"sources": [{"type": "iceberg", "catalog": "pedregal", "database": "hot", "table": "src"}],
                 "transformations": [{"type": "sql", "query": "%s"}],
                 "sinks": [{"type": "iceberg", "catalog": "pedregal", "database": "hot", "table": "%s", "mode": "overwrite"}]}
                """.formatted(query, sink));
    }

    private static LaunchRequest launch(String team, Application application) {
        return new LaunchRequest("test-" + UUID.randomUUID(), "hot-pool-test", team, LaunchRequest.DEFAULT_NAMESPACE,
                "BATCH", "3.5", application, Map.of(), Map.of(), 1, 1L << 30);
    }

    private static LaunchRequest launch(Application application, Map<String, String> sparkConf) {
        return new LaunchRequest("test-" + UUID.randomUUID(), "hot-pool-test", "test", LaunchRequest.DEFAULT_NAMESPACE,
                "BATCH", "3.5", application, sparkConf, Map.of(), 1, 1L << 30);
    }
}
