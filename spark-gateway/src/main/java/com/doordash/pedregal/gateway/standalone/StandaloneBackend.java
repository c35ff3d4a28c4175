package com.doordash.pedregal.gateway.standalone;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.gateway.Application;
import com.doordash.pedregal.gateway.BackendCapabilities;
import com.doordash.pedregal.gateway.BackendRun;
import com.doordash.pedregal.gateway.GatewayConfig;
import com.doordash.pedregal.gateway.LaunchRequest;
import com.doordash.pedregal.gateway.RunState;
import com.doordash.pedregal.gateway.RunStatus;
import com.doordash.pedregal.gateway.SparkBackend;
import com.doordash.pedregal.gateway.SparkRuntime;
import com.doordash.pedregal.gateway.SparkRuntimes;
import com.doordash.pedregal.gateway.internal.DriverEvents;
import com.doordash.pedregal.gateway.internal.Expiring;
import com.doordash.pedregal.gateway.internal.LogFiles;
import com.doordash.pedregal.gateway.internal.SparkJvmFlags;
import com.doordash.pedregal.gateway.standalone.StandaloneMaster.DriverStatus;
import com.doordash.pedregal.gateway.standalone.StandaloneMaster.LogPart;
import com.doordash.pedregal.model.ByteSize;
import com.doordash.pedregal.model.driver.DriverConf;
import com.doordash.pedregal.model.driver.DriverFiles;
import com.doordash.pedregal.model.error.ErrorCode;
import com.doordash.pedregal.model.error.InvalidRequestException;
import com.doordash.pedregal.model.error.PlatformException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each driver on a Spark standalone cluster in cluster deploy mode, through the master's REST submission
 * server: {@code POST /v1/submissions/create}, {@code GET /v1/submissions/status/<driver-id>},
 * {@code POST /v1/submissions/kill/<driver-id>}. No {@code spark-submit} JVM is started per job.
 *
 * <p>The run id is the master's driver id ({@code driver-20261121143116-0000}): status, cancel and logs need
 * nothing else, so they work for drivers started before a restart of the platform. Right after the master accepts
 * a driver, its id is written to {@code <runs-dir>/<execution-id>/standalone-driver}, where {@link #find} reads it.
 *
 * <p>The driver cannot read the platform's files: a CoreETL spec ({@code --spec spec.json}) is passed inline as
 * {@code --spec-base64}, and the application jar must be at the same path on the workers (see
 * {@link StandaloneConfig#workerRuntimeHome()}). The driver's stdout and stderr are read from its worker's web UI.
 * The events file ({@code <runs-dir>/<execution-id>/events.jsonl}) gives the Spark UI address and metrics only when
 * the workers share this machine's file system.
 */
public final class StandaloneBackend implements SparkBackend {
    private static final Logger log = LoggerFactory.getLogger(StandaloneBackend.class);
    private static final String NAME = "standalone";
    private static final String DRIVER_FILE = "standalone-driver";
    /** Driver states in which the driver may still run (or be about to). */
    private static final Set<String> ACTIVE = Set.of("SUBMITTED", "RUNNING", "RELAUNCHING", "UNKNOWN");
    private static final int FAILURE_WINDOW_LINES = 400;

    private final StandaloneConfig config;
    private final GatewayConfig gatewayConfig;
    private final SparkRuntime runtime;
    private final StandaloneMaster master;
    private final String driverJavaOptions;
    private final Expiring<BackendCapabilities> capabilities = new Expiring<>(Duration.ofSeconds(10), this::readCapabilities);

    /**
     * A backend submitting to the cluster of {@code config}, from the runtime {@code config.sparkVersion()} of
     * {@code runtimes}, into the runs and warehouse folders of {@code gatewayConfig}.
     */
    public StandaloneBackend(StandaloneConfig config, GatewayConfig gatewayConfig, SparkRuntimes runtimes) {
        this.config = requireNonNull(config, "config is null");
        this.gatewayConfig = requireNonNull(gatewayConfig, "gatewayConfig is null");
        requireNonNull(runtimes, "runtimes is null");
        if (!runtimes.versions().contains(config.sparkVersion())) {
            throw new IllegalArgumentException("gateway.standalone.spark-version: \"" + config.sparkVersion()
                    + "\" is not a runtime in " + gatewayConfig.runtimesDir() + " (runtimes: "
                    + String.join(", ", runtimes.versions()) + ")");
        }
        this.runtime = runtimes.runtime(config.sparkVersion());
        this.master = new StandaloneMaster(config);
        // Drivers are started by the worker, not by spark-submit's launcher: they need the JDK 17 flags explicitly.
        this.driverJavaOptions = String.join(" ", SparkJvmFlags.flags());
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * What the cluster's alive workers can grant: the largest worker bounds one driver and one executor; one job gets
     * at most one executor per core of the cluster. Read from the master's web UI, cached for 10 s.
     */
    @Override
    public BackendCapabilities capabilities() {
        return capabilities.get();
    }

    private BackendCapabilities readCapabilities() {
        int maxCores = 0;
        long maxMemory = 0;
        int totalCores = 0;
        for (JsonNode worker : master.state().path("workers")) {
            if ("ALIVE".equals(worker.path("state").asText())) {
                maxCores = Math.max(maxCores, worker.path("cores").asInt());
                maxMemory = Math.max(maxMemory, worker.path("memory").asLong() << 20);
                totalCores += worker.path("cores").asInt();
            }
        }
        if (totalCores == 0) {
            throw new PlatformException(ErrorCode.UNAVAILABLE, "the standalone master at " + config.master()
                    + " has no alive worker");
        }
        return new BackendCapabilities(Set.of(runtime.version()), maxCores, maxMemory, maxCores, maxMemory, totalCores);
    }

    @Override
    public BackendRun launch(LaunchRequest request) {
        if (!runtime.version().equals(request.sparkVersion())) {
            // The gateway places jobs only on backends that run their runtime.
            throw new IllegalArgumentException("execution " + request.executionId() + " asks runtime "
                    + request.sparkVersion() + "; the standalone backend runs " + runtime.version());
        }
        Path runDir = runDir(request.executionId());
        long started = System.nanoTime();
        Map<String, Object> submission = new LinkedHashMap<>();
        submission.put("action", "CreateSubmissionRequest");
        submission.put("appResource", applicationJar(request.application()));
        submission.put("mainClass", request.application().mainClass());
        submission.put("appArgs", request.application().args());
        submission.put("clientSparkVersion", runtime.sparkVersion());
        submission.put("environmentVariables", new TreeMap<>(request.envVars()));
        submission.put("sparkProperties", sparkProperties(request, runDir));
        try {
            Files.createDirectories(runDir);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot create " + runDir, e);
        }
        String driverId = master.submit(submission);
        recordDriver(runDir, driverId);
        log.info("Submitted the driver of execution {} to {} as {} in {} ms (Spark {}, driver {} cores, {})",
                request.executionId(), config.master(), driverId, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
                runtime.sparkVersion(), request.driverCores(), ByteSize.toMebibytes(request.driverMemoryBytes()));
        return new BackendRun(NAME, request.executionId(), driverId);
    }

    @Override
    public RunStatus status(BackendRun run) {
        DriverStatus driver = master.status(run.runId());
        if (!driver.known()) {
            return new RunStatus(RunState.LOST, null, "the standalone master at " + config.master()
                    + " does not know driver " + run.runId() + " (it restarted, or forgot the driver long after it ended)");
        }
        DriverEvents events = DriverEvents.read(runDir(run.executionId()).resolve(DriverFiles.EVENTS));
        return switch (driver.state()) {
            case "SUBMITTED", "RELAUNCHING", "UNKNOWN" -> new RunStatus(RunState.STARTING, null, null);
            case "RUNNING" -> new RunStatus(RunState.RUNNING, events.uiUrl(), null, events.progress());
            case "FINISHED" -> new RunStatus(RunState.SUCCEEDED, null, null, events.latestMetrics());
            case "KILLED" -> new RunStatus(RunState.FAILED, null, "killed", events.latestMetrics());
            case "ERROR" -> new RunStatus(RunState.FAILED, null, "the worker could not run driver " + run.runId()
                    + (driver.message() == null ? "" : ": " + firstLines(driver.message(), 2)), events.latestMetrics());
            default -> new RunStatus(RunState.FAILED, null, failureMessage(driver, events), events.latestMetrics());
        };
    }

    @Override
    public void cancel(BackendRun run) {
        if (!master.kill(run.runId())) {
            return; // ended already, or unknown to the master
        }
        long deadline = System.nanoTime() + config.killTimeout().toNanos();
        while (true) {
            DriverStatus driver = master.status(run.runId());
            if (!driver.known() || !ACTIVE.contains(driver.state())) {
                log.info("Killed driver {} of execution {} ({})", run.runId(), run.executionId(),
                        driver.known() ? driver.state() : "forgotten by the master");
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("driver " + run.runId() + " of execution " + run.executionId()
                        + " is still " + driver.state() + " " + config.killTimeout().toSeconds()
                        + " s after the master was asked to kill it");
            }
            try {
                Thread.sleep(200);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while killing driver " + run.runId(), e);
            }
        }
    }

    /**
     * The driver's stderr then its stdout, read from its worker's web UI, under a header naming the driver and worker;
     * with {@code tailLines}, the last lines of that text. Each file is read up to its last
     * {@link LogFiles#MAX_BYTES} bytes.
     */
    @Override
    public String logs(BackendRun run, OptionalInt tailLines) {
        DriverStatus driver = master.status(run.runId());
        if (!driver.known()) {
            return "=== dcp: the standalone master at " + config.master() + " does not know driver " + run.runId()
                    + "; its log is gone\n";
        }
        if (driver.workerId() == null) {
            return "=== dcp: driver " + run.runId() + " is not placed on a worker yet (state " + driver.state()
                    + "); it has no log yet\n";
        }
        Optional<String> workerUi = master.workerUi(driver.workerId());
        if (workerUi.isEmpty()) {
            return "=== dcp: driver " + run.runId() + " ran on worker " + driver.workerId()
                    + ", which the master no longer lists; its log cannot be read\n";
        }
        int lines = tailLines.orElse(-1);
        String stderr = read(workerUi.get(), run.runId(), "stderr", lines);
        String stdout = read(workerUi.get(), run.runId(), "stdout", lines);
        String text = "=== dcp: driver " + run.runId() + " of execution " + run.executionId() + " on worker "
                + driver.workerId() + " (" + workerUi.get() + "), state " + driver.state() + "\n"
                + "=== dcp: stderr\n" + stderr + (stderr.isEmpty() || stderr.endsWith("\n") ? "" : "\n")
                + "=== dcp: stdout\n" + stdout;
        return tailLines.isPresent() ? LogFiles.lastLines(text, lines) : text;
    }

    @Override
    public Optional<BackendRun> find(String executionId) {
        return LogFiles.readIfExists(runDir(executionId).resolve(DRIVER_FILE))
                .map(String::strip)
                .filter(driverId -> !driverId.isEmpty())
                .map(driverId -> new BackendRun(NAME, executionId, driverId));
    }

    private Path runDir(String executionId) {
        return gatewayConfig.runsDir().resolve(executionId);
    }

    /** The application jar as the worker sees it. */
    private String applicationJar(Application application) {
        if (!application.usesPlatformJar()) {
            String jar = application.jar();
            return jar.matches("[a-zA-Z][a-zA-Z0-9+.-]*:.*") ? jar : Path.of(jar).toAbsolutePath().toUri().toString();
        }
        return platformJar();
    }

    private String platformJar() {
        return workerRuntimeHome().resolve("app").resolve(runtime.coreEtlJar().getFileName()).toUri().toString();
    }

    /** The runtime's folder as the workers see it. */
    private Path workerRuntimeHome() {
        return config.workerRuntimeHome() != null ? config.workerRuntimeHome() : runtime.home();
    }

    private Map<String, String> sparkProperties(LaunchRequest request, Path runDir) {
        Map<String, String> conf = new LinkedHashMap<>(runtimeDefaults());
        conf.putAll(request.sparkConf());
        executorLimits(conf);
        String jars = request.application().usesPlatformJar()
                ? platformJar()
                // The platform jar holds the events listener, also for custom jars.
                : applicationJar(request.application()) + "," + platformJar();
        String userJars = request.sparkConf().get("spark.jars");
        conf.put("spark.jars", userJars == null || userJars.isBlank() ? jars : jars + "," + userJars);
        conf.put("spark.master", config.master().toString());
        conf.put("spark.submit.deployMode", "cluster");
        conf.put("spark.app.name", request.name());
        conf.put("spark.driver.cores", Integer.toString(request.driverCores()));
        conf.put("spark.driver.memory", ByteSize.toMebibytes(request.driverMemoryBytes()));
        conf.put("spark.driver.supervise", "false");
        String javaOptions = request.sparkConf().get("spark.driver.extraJavaOptions");
        conf.put("spark.driver.extraJavaOptions",
                javaOptions == null || javaOptions.isBlank() ? driverJavaOptions : driverJavaOptions + " " + javaOptions);
        conf.putAll(gatewayConfig.catalog().sparkConf());
        // The connectors (S3FileIO's AWS SDK, the JDBC catalog's driver) beside Spark's jars on the workers, for the
        // driver and its executors alike.
        String connectors = workerRuntimeHome().resolve("connectors") + "/*";
        conf.put("spark.driver.extraClassPath", connectors);
        conf.put("spark.executor.extraClassPath", connectors);
        conf.putAll(DriverConf.forDriver(request.executionId(), request.team(), runDir.resolve(DriverFiles.EVENTS).toString(),
                !request.application().usesPlatformJar(), request.sparkConf().get("spark.extraListeners")));
        return conf;
    }

    /**
     * A standalone master ignores {@code spark.executor.instances} (it hands out cores up to {@code spark.cores.max},
     * by default every core of the cluster) and needs shuffle tracking for dynamic allocation without a shuffle
     * service: say what the job asked in its terms.
     */
    private static void executorLimits(Map<String, String> conf) {
        boolean dynamic = Boolean.parseBoolean(conf.getOrDefault("spark.dynamicAllocation.enabled", "false"));
        String instances = conf.get("spark.executor.instances");
        if (!dynamic && instances != null && !conf.containsKey("spark.cores.max")) {
            conf.putIfAbsent("spark.executor.cores", "1");
            try {
                conf.put("spark.cores.max", Integer.toString(
                        Integer.parseInt(instances.strip()) * Integer.parseInt(conf.get("spark.executor.cores").strip())));
            }
            catch (NumberFormatException e) {
                throw new InvalidRequestException("config.resources.executor",
                        "spark.executor.instances and spark.executor.cores must be integers (got: " + instances + ", "
                                + conf.get("spark.executor.cores") + ")");
            }
        }
        if (dynamic && !Boolean.parseBoolean(conf.getOrDefault("spark.shuffle.service.enabled", "false"))) {
            conf.putIfAbsent("spark.dynamicAllocation.shuffleTracking.enabled", "true");
        }
    }

    /** The runtime's {@code spark-defaults.conf}: spark-submit reads it in client mode; a REST submission must send it. */
    private Map<String, String> runtimeDefaults() {
        Path file = runtime.conf().resolve("spark-defaults.conf");
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        catch (java.nio.file.NoSuchFileException e) {
            return Map.of();
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        Map<String, String> defaults = new TreeMap<>();
        properties.stringPropertyNames().forEach(key -> defaults.put(key, properties.getProperty(key).strip()));
        return defaults;
    }

    private static void recordDriver(Path runDir, String driverId) {
        Path file = runDir.resolve(DRIVER_FILE);
        Path temporary = runDir.resolve(DRIVER_FILE + ".tmp");
        try {
            Files.writeString(temporary, driverId + "\n", StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (IOException e) {
            // The driver runs; only its adoption after a crash depends on this file.
            log.warn("Cannot record driver {} in {}: {}", driverId, file, e.toString());
        }
    }

    private String failureMessage(DriverStatus driver, DriverEvents events) {
        if (events.failure() != null) {
            return events.failure();
        }
        String fallback = "driver " + driver.driverId() + " ended " + driver.state()
                + (driver.message() == null ? "" : ": " + firstLines(driver.message(), 2));
        if (driver.workerId() == null) {
            return fallback;
        }
        try {
            Optional<String> workerUi = master.workerUi(driver.workerId());
            if (workerUi.isEmpty()) {
                return fallback;
            }
            String stderr = read(workerUi.get(), driver.driverId(), "stderr", FAILURE_WINDOW_LINES);
            List<String> lines = stderr.lines().toList();
            for (int i = lines.size() - 1; i >= 0; i--) {
                String line = lines.get(i);
                if (line.contains("Exception") || line.contains("Error") || line.contains("FAILED")) {
                    String stripped = line.strip();
                    return stripped.length() > 2000 ? stripped.substring(0, 2000) : stripped;
                }
            }
        }
        catch (RuntimeException e) {
            log.warn("Cannot read the log of driver {}: {}", driver.driverId(), e.toString());
        }
        return fallback;
    }

    /** A driver log file: whole (up to its last {@link LogFiles#MAX_BYTES}), or its last {@code lines} when >= 0. */
    private String read(String workerUi, String driverId, String logType, int lines) {
        if (lines < 0) {
            return master.driverLog(workerUi, driverId, logType, LogFiles.MAX_BYTES).text();
        }
        long bytes = 64 << 10;
        while (true) {
            LogPart part = master.driverLog(workerUi, driverId, logType, bytes);
            String tail = LogFiles.lastLines(part.text(), lines);
            // Complete when the answer starts at the file's start or holds more lines than asked.
            if (part.start() == 0 || tail.length() < part.text().length() || bytes >= LogFiles.MAX_BYTES) {
                return tail;
            }
            bytes = Math.min(bytes * 4, LogFiles.MAX_BYTES);
        }
    }

    private static String firstLines(String text, int lines) {
        return String.join(" | ", text.lines().limit(lines).map(String::strip).toList());
    }
}
