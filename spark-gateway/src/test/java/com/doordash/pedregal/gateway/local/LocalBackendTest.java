package com.doordash.pedregal.gateway.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.doordash.pedregal.gateway.Application;
import com.doordash.pedregal.gateway.BackendRun;
import com.doordash.pedregal.gateway.GatewayConfig;
import com.doordash.pedregal.gateway.LaunchRequest;
import com.doordash.pedregal.gateway.Router;
import com.doordash.pedregal.gateway.RunState;
import com.doordash.pedregal.gateway.RunStatus;
import com.doordash.pedregal.gateway.SparkGateway;
import com.doordash.pedregal.gateway.SparkRuntimes;
import com.doordash.pedregal.gateway.TestDirs;
import com.doordash.pedregal.gateway.internal.SparkSubmitCommand;
import com.doordash.pedregal.model.config.ConfigProperties;
import com.doordash.pedregal.model.driver.DriverClasses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local backend with real Spark drivers from the spark-dist runtime. */
final class LocalBackendTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    static Path dataDir;
    private static LocalBackend backend;
    private static SparkGateway gateway;

    @BeforeAll
    static void createBackend() {
        TestDirs.reachable(dataDir);
        GatewayConfig config = GatewayConfig.from(new ConfigProperties(Map.of("gateway.cancel-grace", "1s")), dataDir);
        SparkRuntimes runtimes = SparkRuntimes.scan(config.runtimesDir());
        backend = new LocalBackend(config, runtimes);
        gateway = new SparkGateway(List.of(backend), runtimes, new Router(List.of(), "local"));
    }

    @Test
    void driverGetsTheJobsEnvironmentButNothingOfTheServers() throws InterruptedException {
        // Surefire gives this JVM DCP_TEST_SERVER_SECRET; the driver must see the job's variable and not that one.
        BackendRun run = gateway.launch(query(Map.of("JOB_VAR", "from-the-job"),
                "SELECT java_method('java.lang.System', 'getenv', 'JOB_VAR') AS job,"
                        + " java_method('java.lang.System', 'getenv', 'DCP_TEST_SERVER_SECRET') AS secret,"
                        + " java_method('java.lang.System', 'getenv', 'SPARK_HOME') IS NOT NULL AS has_spark_home"));

        // The driver's session yields the CPU to the server's, also where the kernel groups each session. The wrapper
        // lowers its group before it records its pid.
        Path pidFile = backend.runDir(run.executionId()).resolve("pid");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(pidFile) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        String group = readOrEmpty(Path.of("/proc", run.runId().split(":")[0], "autogroup"));
        if (!group.isEmpty()) { // empty where the kernel has no autogroups
            assertThat(group).contains("nice " + SparkSubmitCommand.NICENESS);
        }
        // And it gives way to any server thread at once: the idle scheduling policy, field 41 of /proc/PID/stat.
        String stat = readOrEmpty(Path.of("/proc", run.runId().split(":")[0], "stat"));
        assertThat(stat).as("the wrapper runs until its driver ends").isNotEmpty();
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        assertThat(fields[41 - 3]).as("scheduling policy (5 is SCHED_IDLE)").isEqualTo("5");
        RunStatus status = gateway.awaitEnd(run, TIMEOUT);

        String log = backend.logs(run, OptionalInt.empty());
        assertThat(status.state()).as(log).isEqualTo(RunState.SUCCEEDED);
        assertThat(System.getenv("DCP_TEST_SERVER_SECRET")).as("set by surefire for this test").isEqualTo("do-not-leak");
        // java_method answers the text "null" for a variable that is not set.
        assertThat(log).contains("ROW 0 {\"job\":\"from-the-job\",\"secret\":\"null\",\"has_spark_home\":true}")
                .doesNotContain("do-not-leak")
                .doesNotContain("resolves to a loopback address");
        String tail = backend.logs(run, OptionalInt.of(3));
        assertThat(tail.lines()).hasSize(3);
        assertThat(log).endsWith(tail);
        assertThat(backend.find(run.executionId())).get().extracting(BackendRun::runId)
                .asString().startsWith(run.runId().split(":")[0] + ":");
    }

    @Test
    void failedDriverReportsItsLastErrorLine() {
        BackendRun run = gateway.launch(query(Map.of(), "SELECT * FROM pedregal.raw.missing_table"));

        RunStatus status = gateway.awaitEnd(run, TIMEOUT);

        assertThat(status.state()).isEqualTo(RunState.FAILED);
        assertThat(status.message()).contains("QUERY FAILED").contains("TABLE_OR_VIEW_NOT_FOUND");
    }

    @Test
    void driverKilledFromOutsideIsLostAndItsProcessesAreGone() throws Exception {
        BackendRun run = gateway.launch(query(Map.of(), "SELECT java_method('java.lang.Thread', 'sleep', 120000L)"));
        ProcessHandle wrapper = ProcessHandle.of(Long.parseLong(run.runId().split(":")[0])).orElseThrow();
        List<ProcessHandle> tree = java.util.stream.Stream.concat(
                java.util.stream.Stream.of(wrapper), wrapper.descendants()).toList();
        assertThat(gateway.status(run).state()).isIn(RunState.STARTING, RunState.RUNNING);

        for (ProcessHandle process : tree) {
            process.destroyForcibly();
            process.onExit().get(10, TimeUnit.SECONDS);
        }

        RunStatus status = gateway.status(run);
        assertThat(status.state()).isEqualTo(RunState.LOST);
        assertThat(status.message()).isEqualTo("the driver process " + wrapper.pid()
                + " is gone and left no exit status (killed from outside, or the machine restarted)");
        gateway.cancel(run); // idempotent on a gone run
    }

    private static LaunchRequest query(Map<String, String> env, String sql) {
        return new LaunchRequest("test-" + UUID.randomUUID(), "local-backend-test", "test",
                LaunchRequest.DEFAULT_NAMESPACE, "BATCH", "3.5",
                Application.platformTool(DriverClasses.QUERY_MAIN, List.of(sql)), Map.of(), env, 1, 512L << 20);
    }

    private static String readOrEmpty(Path file) {
        try {
            return Files.readString(file);
        }
        catch (java.io.IOException e) {
            return "";
        }
    }
}
