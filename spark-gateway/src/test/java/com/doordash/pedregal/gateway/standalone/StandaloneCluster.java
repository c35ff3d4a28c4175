package com.doordash.pedregal.gateway.standalone;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.gateway.SparkRuntime;
import com.doordash.pedregal.gateway.internal.LogFiles;
import com.doordash.pedregal.gateway.internal.SparkJvmFlags;
import com.doordash.pedregal.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Spark standalone cluster for tests: one {@code org.apache.spark.deploy.master.Master} (with its REST
 * submission server) and one {@code org.apache.spark.deploy.worker.Worker}, child JVMs started from a
 * {@code spark-dist} runtime, listening on free loopback ports. {@link #start} returns once the worker is registered;
 * {@link #close} stops both and every driver and executor they started.
 *
 * <p>Use one per test class:
 * <pre>{@code
 * cluster = StandaloneCluster.start(runtimes.runtime("3.5"), tempDir.resolve("cluster"));
 * StandaloneConfig config = StandaloneConfig.from(new ConfigProperties(cluster.backendProperties()));
 * backend = new StandaloneBackend(config, gatewayConfig, runtimes);
 * }</pre>
 * The workers share this machine's file system, so drivers write the events files the backend reads.
 */
public final class StandaloneCluster implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StandaloneCluster.class);
    private static final String HOST = "127.0.0.1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

    private final SparkRuntime runtime;
    private final Path dir;
    private final int masterPort;
    private final int restPort;
    private final int masterUiPort;
    private final int workerUiPort;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Process> processes = new ArrayList<>();
    private Duration startTime;

    private StandaloneCluster(SparkRuntime runtime, Path dir) {
        this.runtime = requireNonNull(runtime, "runtime is null");
        this.dir = requireNonNull(dir, "dir is null").toAbsolutePath();
        this.masterPort = freePort();
        this.restPort = freePort();
        this.masterUiPort = freePort();
        this.workerUiPort = freePort();
    }

    /** A cluster whose worker offers 8 cores and 16 GiB (advertised, not reserved), working under {@code dir}. */
    public static StandaloneCluster start(SparkRuntime runtime, Path dir) {
        return start(runtime, dir, 8, "16g");
    }

    /** A cluster whose worker offers {@code cores} and {@code memory} (like {@code 16g}), working under {@code dir}. */
    public static StandaloneCluster start(SparkRuntime runtime, Path dir, int cores, String memory) {
        StandaloneCluster cluster = new StandaloneCluster(runtime, dir);
        try {
            cluster.startProcesses(cores, memory);
            return cluster;
        }
        catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** The master URL, {@code spark://127.0.0.1:<port>}. */
    public String masterUrl() {
        return "spark://" + HOST + ":" + masterPort;
    }

    /** The master's REST submission server. */
    public String restUrl() {
        return "http://" + HOST + ":" + restPort;
    }

    /** The master's web UI. */
    public String uiUrl() {
        return "http://" + HOST + ":" + masterUiPort;
    }

    /** The worker's web UI. */
    public String workerUiUrl() {
        return "http://" + HOST + ":" + workerUiPort;
    }

    /** The worker's work directory: one folder per driver and application. */
    public Path workDir() {
        return dir.resolve("work");
    }

    /** How long the master and the worker took to start, until the worker was registered. */
    public Duration startTime() {
        return startTime;
    }

    /** The {@code gateway.standalone.*} keys that point the standalone backend at this cluster. */
    public Map<String, String> backendProperties() {
        return Map.of(
                "gateway.standalone.master", masterUrl(),
                "gateway.standalone.rest-url", restUrl(),
                "gateway.standalone.ui-url", uiUrl(),
                "gateway.standalone.spark-version", runtime.version());
    }

    /** The processes the worker runs now: drivers and executors. */
    public List<ProcessHandle> workerChildren() {
        return processes.size() < 2 ? List.of() : processes.get(1).descendants().filter(ProcessHandle::isAlive).toList();
    }

    /** Stops the worker (which stops its drivers and executors) and the master; kills whatever is left. */
    @Override
    public void close() {
        List<ProcessHandle> all = new ArrayList<>();
        for (Process process : processes) {
            all.addAll(process.descendants().toList());
            all.add(process.toHandle());
        }
        // The worker first: on SIGTERM it kills its drivers and executors.
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).destroy();
            awaitExit(processes.get(i).toHandle(), STOP_TIMEOUT);
        }
        for (ProcessHandle process : all) {
            if (process.isAlive()) {
                process.destroyForcibly();
                awaitExit(process, STOP_TIMEOUT);
            }
        }
        processes.clear();
    }

    private void startProcesses(int cores, String memory) {
        long started = System.nanoTime();
        try {
            Files.createDirectories(workDir());
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot create " + workDir(), e);
        }
        processes.add(startJvm("master", List.of(
                "-Dspark.master.rest.enabled=true", "-Dspark.master.rest.port=" + restPort,
                "org.apache.spark.deploy.master.Master",
                "--host", HOST, "--port", Integer.toString(masterPort), "--webui-port", Integer.toString(masterUiPort))));
        // The worker retries a failed registration only after 5-15 s: start it once the master answers.
        awaitMaster(state -> true, "the master to start");
        processes.add(startJvm("worker", List.of(
                "org.apache.spark.deploy.worker.Worker",
                "--host", HOST, "--port", Integer.toString(freePort()), "--webui-port", Integer.toString(workerUiPort),
                "--cores", Integer.toString(cores), "--memory", memory, "--work-dir", workDir().toString(),
                masterUrl())));
        awaitMaster(state -> state.path("aliveworkers").asInt() >= 1, "the worker to register");
        startTime = Duration.ofNanos(System.nanoTime() - started);
        log.info("Standalone cluster {} (REST {}, UI {}) with one worker ({} cores, {}) started in {} ms",
                masterUrl(), restUrl(), uiUrl(), cores, memory, startTime.toMillis());
    }

    private Process startJvm(String name, List<String> mainAndArgs) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(SparkJvmFlags.flags());
        command.add("-Xmx512m");
        command.add("-cp");
        command.add(runtime.conf() + File.pathSeparator + runtime.jars() + File.separator + "*");
        command.addAll(mainAndArgs);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile()))
                .redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        Map<String, String> inherited = Map.copyOf(env);
        env.clear();
        for (String key : List.of("PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR", "USER")) {
            if (inherited.containsKey(key)) {
                env.put(key, inherited.get(key));
            }
        }
        // The worker starts drivers and executors with its own environment and SPARK_HOME's jars.
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("SPARK_HOME", runtime.home().toString());
        env.put("SPARK_CONF_DIR", runtime.conf().toString());
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("SPARK_LOCAL_IP", HOST);
        try {
            return builder.start();
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot start the standalone " + name, e);
        }
    }

    private void awaitMaster(java.util.function.Predicate<JsonNode> ready, String what) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        URI uri = URI.create(uiUrl() + "/json/");
        while (true) {
            for (Process process : processes) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("a standalone cluster process exited with code " + process.exitValue()
                            + " while waiting for " + what + "; logs:\n" + logs());
                }
            }
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && ready.test(Json.mapper().readTree(response.body()))) {
                    return;
                }
            }
            catch (IOException e) {
                // not listening yet
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + START_TIMEOUT.toSeconds() + " s waiting for " + what
                        + "; logs:\n" + logs());
            }
            try {
                Thread.sleep(100);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
    }

    private String logs() {
        StringBuilder text = new StringBuilder();
        for (String name : List.of("master", "worker")) {
            text.append("--- ").append(name).append(".log\n").append(LogFiles.tail(dir.resolve(name + ".log"), 40));
        }
        return text.toString();
    }

    private static void awaitExit(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            log.warn("Process {} did not exit within {}", process.pid(), timeout);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port", e);
        }
    }
}
