package com.doordash.pedregal.gateway.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.doordash.pedregal.gateway.Application;
import com.doordash.pedregal.gateway.BackendCapabilities;
import com.doordash.pedregal.gateway.BackendRun;
import com.doordash.pedregal.gateway.GatewayConfig;
import com.doordash.pedregal.gateway.LaunchRequest;
import com.doordash.pedregal.gateway.Router;
import com.doordash.pedregal.gateway.RunState;
import com.doordash.pedregal.gateway.RunStatus;
import com.doordash.pedregal.gateway.SparkBackend;
import com.doordash.pedregal.gateway.SparkGateway;
import com.doordash.pedregal.gateway.SparkRuntimes;
import com.doordash.pedregal.gateway.TestDirs;
import com.doordash.pedregal.gateway.testing.Specs;
import com.doordash.pedregal.gateway.local.LocalBackend;
import com.doordash.pedregal.model.config.ConfigProperties;
import com.doordash.pedregal.model.driver.DriverClasses;
import com.doordash.pedregal.model.error.PlatformException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The standalone backend against a real Spark standalone master and worker started from the spark-dist runtime. */
final class StandaloneBackendTest {
    private static final Logger log = LoggerFactory.getLogger(StandaloneBackendTest.class);
    private static final Duration TIMEOUT = Duration.ofMinutes(4);
    /** Two executors of one core: small enough for this machine, and a real shuffle between them. */
    private static final Map<String, String> SMALL_JOB = Map.of(
            "spark.executor.instances", "2",
            "spark.executor.cores", "1",
            "spark.executor.memory", "512m",
            "spark.sql.shuffle.partitions", "2");

    @TempDir
    static Path dataDir;
    private static StandaloneCluster cluster;
    private static StandaloneConfig config;
    private static StandaloneBackend backend;
    private static LocalBackend local;
    private static SparkGateway gateway;
    private static FinishedJob coreEtlJob;

    /** The CoreETL job every test about a finished driver looks at; run once, by the first test that needs it. */
    private record FinishedJob(BackendRun run, String table, RunStatus status) {
    }

    @BeforeAll
    static void startCluster() {
        TestDirs.reachable(dataDir);
        GatewayConfig gatewayConfig = GatewayConfig.from(new ConfigProperties(Map.of()), dataDir);
        SparkRuntimes runtimes = SparkRuntimes.scan(gatewayConfig.runtimesDir());
        cluster = StandaloneCluster.start(runtimes.runtime("3.5"), dataDir.resolve("cluster"));
        config = StandaloneConfig.from(new ConfigProperties(cluster.backendProperties()));
        backend = new StandaloneBackend(config, gatewayConfig, runtimes);
        local = new LocalBackend(gatewayConfig, runtimes);
        gateway = new SparkGateway(List.of(backend, local), runtimes, new Router(List.of(), "standalone"));
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void coreEtlJobSucceedsOnTheClusterAndItsSinkTableHoldsTheRows() {
        FinishedJob job = coreEtlJob();

        assertThat(job.status().state()).as(backend.logs(job.run(), OptionalInt.of(60))).isEqualTo(RunState.SUCCEEDED);
        assertThat(job.run().runId()).matches("driver-[0-9]{14}-[0-9]{4}");
        // The worker shares this file system: the driver's events file gives the metrics.
        assertThat(job.status().metrics()).isNotNull();
        assertThat(job.status().metrics().tasksCompleted()).isPositive();
        BackendRun count = local.launch(request(Application.platformTool(DriverClasses.QUERY_MAIN,
                List.of("SELECT count(*) AS n FROM pedregal.derived." + job.table())), Map.of()));
        assertThat(gateway.awaitEnd(count, TIMEOUT).state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(local.logs(count, OptionalInt.empty())).contains("ROW 0 {\"n\":5}");
    }

    @Test
    void cancelKillsARunningDriverThroughTheMasterWithItsExecutors() {
        BackendRun run = backend.launch(request(Application.platformTool(DriverClasses.QUERY_MAIN,
                List.of("SELECT java_method('java.lang.Thread', 'sleep', 60000L)")), SMALL_JOB));
        long submitted = System.nanoTime();
        awaitStatus(run, status -> status.sparkUiUrl() != null, "the Spark application to start");
        log.info("Sleeping driver {}: submit -> Spark application up in {} ms", run.runId(), millisSince(submitted));

        long cancelled = System.nanoTime();
        backend.cancel(run);
        log.info("Cancel of driver {} took {} ms", run.runId(), millisSince(cancelled));

        RunStatus status = backend.status(run);
        assertThat(status.state()).isEqualTo(RunState.FAILED);
        assertThat(status.message()).isEqualTo("killed");
        awaitNoWorkerChildren();
        backend.cancel(run); // idempotent on an ended driver
    }

    @Test
    void restartedBackendReportsAndAdoptsADriverStartedByAnEarlierInstance() {
        FinishedJob job = coreEtlJob();
        GatewayConfig gatewayConfig = GatewayConfig.from(new ConfigProperties(Map.of()), dataDir);
        SparkBackend restarted = new StandaloneBackend(config, gatewayConfig, SparkRuntimes.scan(gatewayConfig.runtimesDir()));

        RunStatus status = restarted.status(new BackendRun("standalone", job.run().executionId(), job.run().runId()));

        assertThat(status.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(status.metrics()).isEqualTo(job.status().metrics());
        assertThat(restarted.find(job.run().executionId())).contains(job.run());
        assertThat(restarted.find("never-launched")).isEmpty();
    }

    @Test
    void logsOfAFinishedDriverComeFromItsWorkerAndTheirTail() {
        FinishedJob job = coreEtlJob();

        String logs = backend.logs(job.run(), OptionalInt.empty());
        String tail = backend.logs(job.run(), OptionalInt.of(3));

        assertThat(logs).startsWith("=== dcp: driver " + job.run().runId() + " of execution " + job.run().executionId()
                        + " on worker worker-")
                .contains("=== dcp: stderr\nLaunch Command: ")
                .contains("=== dcp: stdout\nCoreETL SUCCEEDED: wrote 5 rows to pedregal.derived." + job.table() + "\n");
        assertThat(tail.lines()).hasSize(3);
        assertThat(logs).endsWith(tail);
    }

    @Test
    void driverNotPlacedYetIsStartingHasNoLogAndCanBeCancelled() {
        // No worker has 64 cores: the master keeps the driver waiting.
        LaunchRequest request = request(Application.platformTool(DriverClasses.QUERY_MAIN, List.of("SELECT 1")), Map.of());
        BackendRun run = backend.launch(new LaunchRequest(request.executionId(), request.name(), request.team(),
                request.namespace(), request.jobType(), request.sparkVersion(), request.application(), Map.of(), Map.of(),
                64, 512L << 20));

        assertThat(backend.status(run).state()).isEqualTo(RunState.STARTING);
        assertThat(backend.logs(run, OptionalInt.of(10))).isEqualTo("=== dcp: driver " + run.runId()
                + " is not placed on a worker yet (state SUBMITTED); it has no log yet\n");

        backend.cancel(run);
        assertThat(backend.status(run)).isEqualTo(new RunStatus(RunState.FAILED, null, "killed"));
    }

    @Test
    void driverUnknownToTheMasterIsLost() {
        RunStatus status = backend.status(new BackendRun("standalone", "exec-1", "driver-20200101000000-9999"));

        assertThat(status.state()).isEqualTo(RunState.LOST);
        assertThat(status.message()).isEqualTo("the standalone master at " + cluster.masterUrl()
                + " does not know driver driver-20200101000000-9999 (it restarted, or forgot the driver long after it ended)");
    }

    @Test
    void capabilitiesAreThoseOfTheLargestWorker() {
        assertThat(backend.capabilities()).isEqualTo(
                new BackendCapabilities(Set.of("3.5"), 8, 16L << 30, 8, 16L << 30, 8));
    }

    @Test
    void callsFailNamingTheMasterWhenItIsUnreachable() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        GatewayConfig gatewayConfig = GatewayConfig.from(new ConfigProperties(Map.of()), dataDir);
        StandaloneBackend unreachable = new StandaloneBackend(
                StandaloneConfig.from(new ConfigProperties(Map.of(
                        "gateway.standalone.master", "spark://127.0.0.1:7077",
                        "gateway.standalone.rest-url", "http://127.0.0.1:" + port,
                        "gateway.standalone.ui-url", "http://127.0.0.1:" + port))),
                gatewayConfig, SparkRuntimes.scan(gatewayConfig.runtimesDir()));

        assertThatThrownBy(unreachable::capabilities)
                .isInstanceOf(PlatformException.class)
                .hasMessageStartingWith("the standalone master's web UI at http://127.0.0.1:" + port
                        + " is unreachable: java.net.ConnectException");
        assertThatThrownBy(() -> unreachable.status(new BackendRun("standalone", "exec-1", "driver-20200101000000-9999")))
                .isInstanceOf(PlatformException.class)
                .hasMessageStartingWith("the standalone master's REST server at http://127.0.0.1:" + port
                        + " is unreachable: java.net.ConnectException")
                .hasMessageEndingWith(" (is the master running, with spark.master.rest.enabled=true?)");
    }

    /** Demo data (on the local backend), then a CoreETL job on the cluster: 5 event types, so 5 rows. */
    private static synchronized FinishedJob coreEtlJob() {
        if (coreEtlJob != null) {
            return coreEtlJob;
        }
        BackendRun demo = local.launch(request(Application.platformTool(DriverClasses.DEMO_DATA_MAIN, List.of()), Map.of()));
        assertThat(gateway.awaitEnd(demo, TIMEOUT).state()).as(local.logs(demo, OptionalInt.of(40)))
                .isEqualTo(RunState.SUCCEEDED);
        String table = "standalone_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String spec = Specs.eventCounts(table);

        long submitted = System.nanoTime();
        BackendRun run = backend.launch(request(Application.coreEtl(spec), SMALL_JOB));
        long accepted = millisSince(submitted);
        awaitStatus(run, status -> status.state() != RunState.STARTING, "the driver to leave STARTING");
        long running = millisSince(submitted);
        RunStatus status = gateway.awaitEnd(run, TIMEOUT);
        log.info("CoreETL driver {}: accepted by the master in {} ms, RUNNING after {} ms, {} after {} ms (cluster started"
                + " in {} ms)", run.runId(), accepted, running, status.state(), millisSince(submitted),
                cluster.startTime().toMillis());
        coreEtlJob = new FinishedJob(run, table, status);
        return coreEtlJob;
    }

    private static RunStatus awaitStatus(BackendRun run, Predicate<RunStatus> condition, String what) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            RunStatus status = backend.status(run);
            if (condition.test(status)) {
                return status;
            }
            assertThat(status.state().isFinal()).as("waiting for " + what + ", driver " + run.runId() + " ended: "
                    + status + "\n" + backend.logs(run, OptionalInt.of(60))).isFalse();
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            sleep(200);
        }
    }

    private static void awaitNoWorkerChildren() {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!cluster.workerChildren().isEmpty() && System.nanoTime() < deadline) {
            sleep(200);
        }
        assertThat(cluster.workerChildren()).as("drivers and executors left on the worker").isEmpty();
    }

    private static LaunchRequest request(Application application, Map<String, String> sparkConf) {
        return new LaunchRequest("test-" + UUID.randomUUID(), "standalone-backend-test", "test",
                LaunchRequest.DEFAULT_NAMESPACE, "BATCH", "3.5", application, sparkConf, Map.of(), 1, 512L << 20);
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
