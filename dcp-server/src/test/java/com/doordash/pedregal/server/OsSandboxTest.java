package com.doordash.pedregal.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.apache.spark.sql.connect.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operating system's wall, the one that holds even when the platform's own checks are passed: code a job runs
 * (a team the operator allows custom code) and a test cluster without its read-only guard both try to read the tokens
 * file, the job store and another run's log, to write into the data directory and to signal the server — and get
 * permission errors, while the job's own work succeeds. Needs the sandbox (the server runs as root): without it the
 * class is skipped, unless {@code DCP_REQUIRE_SANDBOX=1} (as {@code .ci/run} sets), which makes that a failure.
 */
final class OsSandboxTest {
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(3);
    /** A job's own code, compiled at test time: it probes, prints one line per probe, then runs the query tool. */
    private static final String PROBE = """
            import java.nio.file.*;
            public final class Probe {
                public static void main(String[] args) throws Exception {
                    probe("tokens", () -> Files.readString(Path.of(args[0])));
                    probe("store", () -> { try (var files = Files.list(Path.of(args[1]))) { return files.count(); } });
                    probe("other-log", () -> Files.readString(Path.of(args[2])));
                    probe("write-data-dir", () -> Files.writeString(Path.of(args[3]), "planted"));
                    long server = Long.parseLong(args[4]);
                    System.out.println("PROBE signal " + (ProcessHandle.of(server).map(ProcessHandle::destroy).orElse(false)
                            ? "SENT" : "DENIED"));
                    probe("proc-environ", () -> Files.readString(Path.of("/proc/" + server + "/environ")));
                    System.out.println("PROBE user " + System.getProperty("user.name"));
                    String[] queries = java.util.Arrays.copyOfRange(args, 5, args.length);
                    com.doordash.pedregal.coreetl.QueryMain.main(queries);
                }

                interface Attempt { Object run() throws Exception; }

                static void probe(String name, Attempt attempt) {
                    try {
                        attempt.run();
                        System.out.println("PROBE " + name + " ALLOWED");
                    }
                    catch (AccessDeniedException e) {
                        System.out.println("PROBE " + name + " DENIED");
                    }
                    catch (Exception e) {
                        System.out.println("PROBE " + name + " FAILED " + e);
                    }
                }
            }
            """;

    @TempDir
    static Path dataDir;
    @TempDir
    static Path jars;
    private static DcpServer server;

    @BeforeAll
    static void startServer() throws Exception {
        TestPlatform.reachable(jars);
        Files.setPosixFilePermissions(jars, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        buildProbeJar(jars.resolve("probe.jar"));
        server = TestPlatform.start(dataDir, Map.of(
                "policy.custom-code.teams", "data-infra",
                "policy.custom-code.jar-locations", jars.toString(),
                "test-cluster.enabled", "true",
                // No read-only guard: what is left is the operating system's wall.
                "test-cluster.extensions", ""));
        boolean required = "1".equals(System.getenv("DCP_REQUIRE_SANDBOX"));
        if (!server.sandboxed() && required) {
            fail("DCP_REQUIRE_SANDBOX=1 but drivers do not run as users of their own (the tests must run as root)");
        }
        assumeTrue(server.sandboxed(), "drivers run as the server's user here (not root): no operating-system wall to test");
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void jobCodeGetsPermissionErrorsForThePlatformsFilesAndTheServerWhileItsOwnWorkSucceeds() throws Exception {
        Path tokens = dataDir.resolve("tokens.json");
        Path store = dataDir.resolve("db");
        String otherRun = TestPlatform.submit(server, TestPlatform.job("other", "data-infra", "SELECT * FROM source", "other"));
        TestPlatform.awaitStatus(server, otherRun, TestPlatform.FINAL_STATES, JOB_TIMEOUT);
        Path otherLog = dataDir.resolve("runs").resolve(execution(otherRun)).resolve("driver.log");
        Path planted = dataDir.resolve("planted.txt");
        String body = """
                {"name": "probe", "team": "data-infra", "user": "user@doordash.com",
                 "config": {"spark_version": "3.5",
                  "custom_jar": {"jar_path": "%s", "main_class": "Probe",
                                 "args": ["%s", "%s", "%s", "%s", "%d",
                                          "CREATE TABLE pedregal.derived.probed USING iceberg AS SELECT 42 AS answer"]}}}
                """.formatted(jars.resolve("probe.jar"), tokens, store, otherLog, planted, ProcessHandle.current().pid());

        String jobId = TestPlatform.submit(server, body);
        JsonNode status = TestPlatform.awaitStatus(server, jobId, TestPlatform.FINAL_STATES, JOB_TIMEOUT);
        String log = TestPlatform.get(server, "/api/v1/jobs/" + jobId + "/logs").json().get("logs").asText();

        assertThat(status.get("status").asText()).as(log).isEqualTo("SUCCEEDED");
        assertThat(log).contains("PROBE tokens DENIED", "PROBE store DENIED", "PROBE other-log DENIED",
                "PROBE write-data-dir DENIED", "PROBE signal DENIED", "PROBE proc-environ DENIED", "PROBE user dcp-run-");
        assertThat(log).doesNotContain("ALLOWED", "sha256");
        assertThat(planted).doesNotExist();
        assertThat(TestPlatform.query(server, "SELECT answer FROM pedregal.derived.probed").get(0).get(0).get("answer").asInt())
                .as("the job's own work").isEqualTo(42);
        assertThat(TestPlatform.get(server, "/healthz").status()).as("the server is alive").isEqualTo(200);
    }

    @Test
    void theTestClusterCannotReadTheTokensFileOrTheStoreEvenWithoutItsGuard() throws Exception {
        server.testCluster().orElseThrow().awaitUp(Duration.ofMinutes(3));
        // The control: a file anyone may read, beside the secrets, is read — so what fails below fails on permissions.
        Path open = dataDir.resolve("open.txt");
        Files.writeString(open, "anyone may read this\n");
        Files.setPosixFilePermissions(open, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        String url = "sc://localhost:" + server.sparkConnectPort().orElseThrow() + "/;token=" + TestPlatform.DEMO_TOKEN;
        try (SparkSession spark = SparkSession.builder().remote(url).create()) {
            assertThat(spark.sql("SELECT count(*) FROM pedregal.raw.events").collectAsList().get(0).getLong(0))
                    .as("tables stay readable").isEqualTo(10_000);
            assertThat(spark.sql("SELECT value FROM text.`" + open + "`").collectAsList().get(0).getString(0))
                    .as("without its guard the cluster reads a path").isEqualTo("anyone may read this");
            for (Path secret : List.of(dataDir.resolve("tokens.json"), h2File())) {
                assertThat(secret).exists();
                Throwable e = catchAny(() -> spark.sql("SELECT value FROM text.`" + secret + "`").collectAsList());
                assertThat(e).as(secret.toString()).isNotNull();
                // Spark reports a file it may not open, or one in a folder it may not search, as one that does not exist.
                assertThat(e.getMessage()).as(secret.toString())
                        .matches("(?is).*(permission denied|AccessDenied|FILE_NOT_EXIST|PATH_NOT_FOUND).*")
                        .doesNotContain("sha256");
            }
        }
    }

    private static Path h2File() throws IOException {
        try (var files = Files.list(dataDir.resolve("db"))) {
            return files.filter(file -> file.getFileName().toString().endsWith(".db")).findFirst().orElseThrow();
        }
    }

    private static String execution(String jobId) {
        return TestPlatform.get(server, "/api/v1/jobs/" + jobId).json().get("execution_id").asText();
    }

    private static Throwable catchAny(Runnable action) {
        try {
            action.run();
            return null;
        }
        catch (Throwable e) {
            return e;
        }
    }

    private static void buildProbeJar(Path jar) throws IOException {
        Path sources = Files.createTempDirectory("probe-src");
        Path source = sources.resolve("Probe.java");
        Files.writeString(source, PROBE, StandardCharsets.UTF_8);
        String coreEtl = java.nio.file.Path.of(System.getProperty("dcp.runtimes-dir"), "3.5", "app", "coreetl.jar").toString();
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        int code = compiler.run(null, null, null, "-cp", coreEtl, "-d", sources.toString(), source.toString());
        assertThat(code).as("the probe compiles").isZero();
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().putValue("Manifest-Version", "1.0");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
            try (var classes = Files.list(sources)) {
                for (Path file : classes.filter(f -> f.toString().endsWith(".class")).toList()) {
                    jarOut.putNextEntry(new JarEntry(file.getFileName().toString()));
                    jarOut.write(Files.readAllBytes(file));
                    jarOut.closeEntry();
                }
            }
        }
        Files.setPosixFilePermissions(jar, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    }
}
