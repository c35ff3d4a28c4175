package com.doordash.pedregal.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runtime images as a user runs them: {@code docker run <image> <mode> ...}, with host networking. */
@RequiresDocker
class RuntimeImageTest {
    /** The seed README's example job (examples/dcp-example/manifest.yaml), as a CoreETL spec. */
    private static final String SEED_JOB = """
            {"sources": [{"type": "iceberg", "catalog": "pedregal", "database": "raw", "table": "events"}],
             "transformations": [{"type": "sql", "query": "SELECT * FROM source"}],
             "sinks": [{"type": "iceberg", "catalog": "pedregal", "database": "derived", "table": "processed_events"}]}
            """;
    private static final String LABEL = "com.doordash.pedregal.testcontainers.runtime-image-test";
    @TempDir
    static Path data;

    @BeforeAll
    static void images() throws Exception {
        RuntimeImages.build();
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxrwxrwx"));
    }

    @AfterAll
    static void removeContainers() throws Exception {
        docker(List.of("sh", "-c", "docker ps -aq --filter label=" + LABEL + " | xargs -r docker rm -f"), 60);
    }

    @Test
    void seedExampleJobRunsToItsSinkWithSubmitOnABindMountedWarehouse() throws Exception {
        Files.writeString(data.resolve("job.json"), SEED_JOB, StandardCharsets.UTF_8);

        Result demo = run("dcp-spark:3.5", List.of(), "submit", "--class", "com.doordash.pedregal.coreetl.DemoData",
                "/opt/spark/app/coreetl.jar");
        Result job = run("dcp-spark:3.5", List.of(), "submit", "--spec", "/data/warehouse/job.json");
        Result read = run("dcp-spark:4.0", List.of(), "submit", "--class", "com.doordash.pedregal.coreetl.QueryMain",
                "/opt/spark/app/coreetl.jar", "SELECT count(*) AS n FROM pedregal.derived.processed_events");

        assertThat(demo.exitCode()).as(demo.output()).isZero();
        assertThat(demo.output()).contains("DemoData: created pedregal.raw.events with 10000 rows");
        assertThat(job.exitCode()).as(job.output()).isZero();
        assertThat(job.output()).contains("CoreETL SUCCEEDED: wrote 10000 rows to pedregal.derived.processed_events");
        // Written by Spark 3.5's image, read by Spark 4.0's: the same Iceberg table on the host.
        assertThat(read.output()).contains("ROW 0 {\"n\":10000}");
        assertThat(data.resolve("derived/processed_events/metadata")).isDirectory();
    }

    @Test
    void sparkConfVariablesBecomeSparkSettings() throws Exception {
        Result result = run("dcp-spark:4.0", List.of("-e", "SPARK_CONF_spark_sql_shuffle_partitions=7",
                        "-e", "SPARK_CONF_spark_dcp_under__score=kept"), "submit",
                "--class", "com.doordash.pedregal.coreetl.QueryMain", "/opt/spark/app/coreetl.jar",
                "SELECT '${spark.sql.shuffle.partitions}' AS partitions, '${spark.dcp.under_score}' AS underscore");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("ROW 0 {\"partitions\":\"7\",\"underscore\":\"kept\"}");
    }

    @Test
    void theDriverAndExecutorModesAreWhatSparkOnKubernetesPodsRun() throws Exception {
        // What a driver pod of the Spark Operator runs: its settings (spark.master first) in a properties file.
        Files.writeString(data.resolve("driver.properties"), "spark.master=local[1]\nspark.app.name=dcp-k8s-driver\n"
                + "spark.driver.memory=700m\n", StandardCharsets.UTF_8);
        // A credential from the namespace's Secret arrives as a SPARK_CONF_ variable: a setting, not an argument (the
        // setting's name is not a secret's here, which Spark would show redacted).
        Result driver = run("dcp-spark:4.0", List.of("-e", "SPARK_DRIVER_BIND_ADDRESS=127.0.0.1",
                        "-e", "SPARK_CONF_spark_dcp_from__variable=pa=ss"), "driver",
                "--properties-file", "/data/warehouse/driver.properties", "--class", "com.doordash.pedregal.coreetl.QueryMain",
                "local:///opt/spark/app/coreetl.jar", "SELECT '${spark.app.name}' AS app, '${spark.submit.deployMode}' AS mode,"
                        + " '${spark.driver.bindAddress}' AS bound, '${spark.dcp.from_variable}' AS setting,"
                        + " reflect('java.lang.System', 'getProperty', 'sun.java.command') LIKE concat('%pa', '=ss%') AS on_command_line");
        Result classes = run("dcp-spark:4.0", List.of(), "bash", "-c", "ls /opt/spark/jars | grep -c '^spark-kubernetes_'");
        Result executor = run("dcp-spark:4.0", List.of("-e", "SPARK_DRIVER_URL=spark://CoarseGrainedScheduler@10.0.0.1:7078"),
                "executor");
        Result noProperties = run("dcp-spark:4.0", List.of(), "driver", "--class", "com.example.Main", "local:///app.jar");
        Result old = run("dcp-spark:3.5", List.of(), "executor");

        assertThat(driver.exitCode()).as(driver.output()).isZero();
        assertThat(driver.output()).contains("ROW 0 {\"app\":\"dcp-k8s-driver\",\"mode\":\"client\",\"bound\":\"127.0.0.1\","
                + "\"setting\":\"pa=ss\",\"on_command_line\":false}");
        assertThat(classes.output().strip()).isEqualTo("1");
        assertThat(executor.exitCode()).isEqualTo(64);
        assertThat(executor.output()).contains("executor: SPARK_EXECUTOR_ID is not set (a driver on Kubernetes sets it on"
                + " its executor pods)");
        assertThat(noProperties.output()).contains("driver: expected --properties-file <file> among the arguments");
        assertThat(old.output()).contains("executor: this image (Spark 3.5) has no Spark on Kubernetes; use the image of"
                + " Spark 4.0");
    }

    @Test
    void processesRunAsTheUnprivilegedSparkUser() throws Exception {
        Result result = run("dcp-spark:4.0", List.of(), "id");

        assertThat(result.output().strip()).isEqualTo("uid=185(spark) gid=185(spark) groups=185(spark)");
    }

    @Test
    void badModeAndBadPortAreRefusedWithTheReason() throws Exception {
        Result mode = run("dcp-spark:4.0", List.of(), "conect");
        Result port = run("dcp-spark:4.0", List.of("-e", "SPARK_CONNECT_PORT=99999"), "connect");
        Result noConnect = run("dcp-spark:3.5", List.of(), "connect");
        Result noJob = run("dcp-spark:4.0", List.of(), "submit");

        assertThat(mode.exitCode()).isEqualTo(64);
        assertThat(mode.output()).contains("entrypoint: unknown mode conect: expected connect, submit, master, worker,"
                + " history, driver, executor, version or a command");
        assertThat(port.exitCode()).isEqualTo(64);
        assertThat(port.output()).contains("SPARK_CONNECT_PORT=99999: expected a port number from 1 to 65535");
        assertThat(noConnect.output()).contains("this image (Spark 3.5) has no Spark Connect server");
        assertThat(noJob.output()).contains("submit: expected the job's arguments");
    }

    @Test
    void masterAndWorkerFormAStandaloneCluster() throws Exception {
        int masterPort = Ports.free();
        int masterUi = Ports.free();
        String name = "dcp-master-" + UUID.randomUUID();
        List<String> env = List.of("-e", "SPARK_MASTER_HOST=127.0.0.1", "-e", "SPARK_MASTER_PORT=" + masterPort,
                "-e", "SPARK_MASTER_WEBUI_PORT=" + masterUi, "-e", "SPARK_LOCAL_IP=127.0.0.1");
        try {
            start(name, "dcp-spark:4.0", env, "master");
            start(name + "-worker", "dcp-spark:4.0", List.of("-e", "SPARK_WORKER_WEBUI_PORT=" + Ports.free(),
                    "-e", "SPARK_WORKER_CORES=1", "-e", "SPARK_WORKER_MEMORY=1g", "-e", "SPARK_LOCAL_IP=127.0.0.1"),
                    "worker", "spark://127.0.0.1:" + masterPort);

            String state = "";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!state.contains("\"aliveworkers\" : 1") && System.nanoTime() < deadline) {
                Thread.sleep(500);
                state = get("http://127.0.0.1:" + masterUi + "/json/");
            }
            assertThat(state).contains("\"aliveworkers\" : 1").contains("\"cores\" : 1");
        }
        finally {
            docker(List.of("docker", "rm", "-f", name, name + "-worker"), 60);
        }
    }

    @Test
    void historyServerShowsTheApplicationOfAnEventLog() throws Exception {
        Path events = Files.createDirectories(data.resolve("events"));
        Files.setPosixFilePermissions(events, PosixFilePermissions.fromString("rwxrwxrwx"));
        Result job = run("dcp-spark:4.0", List.of("-v", events + ":/data/events",
                        "-e", "SPARK_CONF_spark_eventLog_enabled=true", "-e", "SPARK_CONF_spark_eventLog_dir=file:///data/events",
                        "-e", "SPARK_APP_NAME=logged-job"), "submit", "--class", "com.doordash.pedregal.coreetl.QueryMain",
                "/opt/spark/app/coreetl.jar", "SELECT 1 AS one");
        assertThat(job.exitCode()).as(job.output()).isZero();

        int ui = Ports.free();
        String name = "dcp-history-" + UUID.randomUUID();
        try {
            start(name, "dcp-spark:4.0", List.of("-v", events + ":/data/events", "-e", "SPARK_HISTORY_UI_PORT=" + ui,
                    "-e", "SPARK_LOCAL_IP=127.0.0.1"), "history");
            String applications = "";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!applications.contains("logged-job") && System.nanoTime() < deadline) {
                Thread.sleep(500);
                applications = get("http://127.0.0.1:" + ui + "/api/v1/applications");
            }
            assertThat(applications).contains("\"name\" : \"logged-job\"");
        }
        finally {
            docker(List.of("docker", "rm", "-f", name), 60);
        }
    }

    @Test
    void serverImageAnswersHealthChecksAndRunsTheSeedJobOnItsOwnRuntimes() throws Exception {
        int port = Ports.free();
        String name = "dcp-server-" + UUID.randomUUID();
        try {
            start(name, "dcp-server:latest", List.of(), "--server.port=" + port, "--server.host=127.0.0.1",
                    "--server.grpc-port=" + Ports.free(), "--test-cluster.enabled=false");
            String base = "http://127.0.0.1:" + port;
            // A first start creates the demo table with a Spark driver at the idle scheduling priority: 12 s on an
            // idle machine, 27 s with both cores busy, and once over 120 s in CI beside another module's tests. A
            // server that exited ends the wait at once.
            String health = "";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
            for (int polls = 1; !health.contains("\"status\":\"ok\"") && System.nanoTime() < deadline; polls++) {
                Thread.sleep(500);
                health = get(base + "/healthz");
                if (polls % 10 == 0 && !running(name)) {
                    break;
                }
            }
            assertThat(health).as(() -> "/healthz of the server image; its log:\n" + containerLog(name))
                    .contains("\"spark_versions\":[\"3.5\",\"4.0\"]");

            HttpClient http = HttpClient.newHttpClient();
            String submitted = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/jobs"))
                    .header("Authorization", "Bearer demo-token").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("""
                            {"name": "in-the-image", "team": "data-infra", "user": "user@doordash.com",
                             "config": {"spark_version": "4.0", "job_type": "BATCH",
                                        "core_etl": {"version": "2.7.0", "job_spec": %s}}}""".formatted(SEED_JOB)))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            String jobId = submitted.replaceAll(".*\"job_id\":\"([^\"]+)\".*", "$1");
            String status = "";
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (!status.matches("(?s).*\"status\":\"(SUCCEEDED|FAILED)\".*") && System.nanoTime() < deadline) {
                Thread.sleep(500);
                status = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/jobs/" + jobId))
                        .header("Authorization", "Bearer demo-token").build(), HttpResponse.BodyHandlers.ofString()).body();
            }
            assertThat(status).as(submitted).contains("\"status\":\"SUCCEEDED\"");
        }
        finally {
            docker(List.of("docker", "rm", "-f", name), 60);
        }
    }

    private static boolean running(String name) throws Exception {
        return docker(List.of("docker", "inspect", "-f", "{{.State.Running}}", name), 60).output().strip().equals("true");
    }

    /** The container's output, for a failing assertion. */
    private static String containerLog(String name) {
        try {
            return docker(List.of("docker", "logs", "--tail", "200", name), 60).output();
        }
        catch (Exception e) {
            return "(docker logs " + name + " failed: " + e + ")";
        }
    }

    private static String get(String url) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }
        catch (IOException e) {
            return ""; // not listening yet
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static void start(String name, String image, List<String> options, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("docker", "run", "-d", "--name", name, "--label", LABEL,
                "--network", "host"));
        command.addAll(options);
        command.add(image);
        command.addAll(List.of(args));
        Result result = docker(command, 60);
        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    private static Result run(String image, List<String> options, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("docker", "run", "--rm", "--label", LABEL, "--network", "host",
                "-e", "SPARK_LOCAL_IP=127.0.0.1", "-v", data + ":/data/warehouse"));
        command.addAll(options);
        command.add(image);
        command.addAll(List.of(args));
        return docker(command, 300);
    }

    private static Result docker(List<String> command, int timeoutSeconds) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not end within " + timeoutSeconds + " s");
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private record Result(int exitCode, String output) {
    }
}
