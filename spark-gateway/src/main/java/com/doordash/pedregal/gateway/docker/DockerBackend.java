package com.doordash.pedregal.gateway.docker;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.gateway.BackendCapabilities;
import com.doordash.pedregal.gateway.BackendRun;
import com.doordash.pedregal.gateway.GatewayConfig;
import com.doordash.pedregal.gateway.LaunchRequest;
import com.doordash.pedregal.gateway.PoolStatus;
import com.doordash.pedregal.gateway.RunState;
import com.doordash.pedregal.gateway.RunStatus;
import com.doordash.pedregal.gateway.SparkBackend;
import com.doordash.pedregal.gateway.SparkRuntime;
import com.doordash.pedregal.gateway.SparkRuntimes;
import com.doordash.pedregal.gateway.internal.DockerEngine;
import com.doordash.pedregal.gateway.internal.DriverEvents;
import com.doordash.pedregal.gateway.internal.Expiring;
import com.doordash.pedregal.gateway.internal.LogFiles;
import com.doordash.pedregal.gateway.internal.Processes;
import com.doordash.pedregal.gateway.internal.Sandbox;
import com.doordash.pedregal.gateway.internal.SparkContainers;
import com.doordash.pedregal.gateway.internal.SparkSubmitCommand;
import com.doordash.pedregal.gateway.internal.StripedLocks;
import com.doordash.pedregal.model.ByteSize;
import com.doordash.pedregal.model.driver.DriverConf;
import com.doordash.pedregal.model.driver.DriverFiles;
import com.doordash.pedregal.model.error.ErrorCode;
import com.doordash.pedregal.model.error.PlatformException;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each driver in a container of its own, from the runtime image of the job's {@code spark_version}
 * ({@code docker/}), through the Docker engine's API. Unlike the local backend, the job's resources are enforced: the
 * container gets the driver's cores ({@code --cpus}) and its heap plus Spark's memory overhead ({@code --memory}, no
 * swap), and is killed by the kernel beyond them.
 *
 * <p>A driver gets what a local driver gets, the same way: the same {@code java @driver.args} argument file built by
 * {@link SparkSubmitCommand} (the job's settings and the catalog's credentials never show on a command line or in
 * {@code docker inspect}), the same events file, run folder and run user ({@link Sandbox}). Inside the container it
 * sees only its run folder ({@code /dcp/run}, where it may write its {@code work} folder and events file), its scratch
 * folder, a hadoop catalog's warehouse at the path it has on this machine, and a custom jar read-only. The root file
 * system is read-only, every capability dropped, no privilege can be gained.
 *
 * <p>The run id is the container's id. Containers carry the labels {@value #LABEL_EXECUTION} and
 * {@value #LABEL_BACKEND}; after a restart of the platform, runs are followed by their container id and found again by
 * label ({@link #find}). When a container ends, its log is appended to the run's {@code driver.log}, its exit code
 * written to the run folder, and the container removed: nothing is left running or stopped behind.
 */
public final class DockerBackend implements SparkBackend {
    private static final Logger log = LoggerFactory.getLogger(DockerBackend.class);
    static final String NAME = "docker";
    /** Label of every container this backend starts. */
    public static final String LABEL_BACKEND = "com.doordash.pedregal.backend";
    /** Label naming a container's execution. */
    public static final String LABEL_EXECUTION = "com.doordash.pedregal.execution-id";
    private static final String LABEL_TEAM = "com.doordash.pedregal.team";
    /** Label naming the runs folder of the platform that started a container. */
    static final String LABEL_RUNS_DIR = "com.doordash.pedregal.runs-dir";
    /** A file of the run folder written before a container is stopped: a cancel that a stop of the platform cut short. */
    private static final String CANCEL_FILE = "cancel-requested";
    static final String LOG_FILE = "driver.log";
    private static final String EXIT_FILE = "exit";
    private static final String OOM_FILE = "oom";
    private static final String CONTAINER_FILE = "docker-container";
    private static final String ARGS_FILE = "driver.args";
    /** The exit code recorded for a container that was removed before it started. */
    private static final int NEVER_STARTED = 125;
    private static final Path RUN_IN_CONTAINER = SparkContainers.RUN_DIR;
    private static final Path SCRATCH_IN_CONTAINER = SparkContainers.SCRATCH_DIR;
    /** The most of a container's output kept in its run's log. */
    private static final long MAX_LOG_BYTES = 64L << 20;

    private final DockerConfig config;
    private final GatewayConfig gatewayConfig;
    private final SparkRuntimes runtimes;
    private final DockerEngine engine;
    private final Sandbox sandbox;
    /** Locks of {@link #end}, by execution id's hash: one caller at a time per run, with no map growing per run. */
    private final StripedLocks endings = new StripedLocks(64);
    private final DockerHotPool hotPool;
    private final Expiring<BackendCapabilities> capabilities = new Expiring<>(Duration.ofSeconds(10), this::readCapabilities);

    /** A backend starting containers on the engine of {@code config}, with the runs folder of {@code gatewayConfig}. */
    public DockerBackend(DockerConfig config, GatewayConfig gatewayConfig, SparkRuntimes runtimes) {
        this.config = requireNonNull(config, "config is null");
        this.gatewayConfig = requireNonNull(gatewayConfig, "gatewayConfig is null");
        this.runtimes = requireNonNull(runtimes, "runtimes is null");
        this.engine = new DockerEngine(config.host(), config.requestTimeout());
        this.sandbox = Sandbox.of(gatewayConfig);
        sandbox.prepare();
        try {
            this.hotPool = new DockerHotPool(this, engine, sandbox, config.hotPool(), runtimes, gatewayConfig.runsDir());
        }
        catch (RuntimeException e) {
            engine.close();
            sandbox.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Checks that the engine answers: a platform configured with a docker backend does not start without one. */
    @Override
    public void start() {
        engine.ping();
        Set<String> images = new TreeSet<>();
        for (String version : runtimes.versions()) {
            if (engine.hasImage(config.image(version))) {
                images.add(config.image(version));
            }
        }
        log.info("Docker backend on {}: images {}", config.host(), images.isEmpty() ? "(none yet: build them with"
                + " docker/build.sh)" : images);
        finishLeftovers();
        hotPool.start();
    }

    /** Its warm containers. */
    DockerHotPool hotPool() {
        return hotPool;
    }

    @Override
    public List<PoolStatus> pools() {
        return hotPool.status();
    }

    @Override
    public void anticipate(String namespace) {
        hotPool.anticipate(namespace);
    }

    /**
     * Ends what a stopped platform left: a container of this runs folder that ended while no one watched is kept (its
     * log, its exit code) and removed; one whose cancel or timeout was under way is stopped. Running containers of
     * jobs still running are left to the runner, which follows them by id.
     */
    private void finishLeftovers() {
        String runsDir = runsDirLabel();
        for (Container container : engine.withLabel(LABEL_BACKEND)) {
            String executionId = container.getLabels().containsKey(DockerHotPool.LABEL_WARM)
                    ? DockerHotPool.handedOffExecution(container).orElse(null)
                    : container.getLabels().get(LABEL_EXECUTION);
            if (!runsDir.equals(container.getLabels().get(LABEL_RUNS_DIR)) || executionId == null) {
                continue; // another platform's
            }
            BackendRun run = new BackendRun(NAME, executionId, container.getId());
            try {
                if (Files.exists(runDir(executionId).resolve(CANCEL_FILE))) {
                    log.info("Stopping container {} of execution {}: its cancel was under way when the platform stopped",
                            shortId(container.getId()), executionId);
                    cancel(run);
                }
                else if (!"running".equals(container.getState()) && !"created".equals(container.getState())) {
                    engine.inspect(container.getId()).ifPresent(inspected -> end(run, inspected));
                }
            }
            catch (RuntimeException e) {
                log.warn("Cannot finish container {} of execution {}: {}", shortId(container.getId()), executionId,
                        e.toString());
            }
        }
    }

    @Override
    public void close() {
        hotPool.close();
        engine.close();
        sandbox.close();
    }

    /**
     * What the engine's machine can grant one container: all its CPUs, and the largest heap whose container (heap plus
     * overhead) fits its memory; the runtimes whose image the engine has. Read from the engine, cached for 10 s. A job's
     * executors are threads of its driver, in its container: their sizes are not limits here.
     */
    @Override
    public BackendCapabilities capabilities() {
        return capabilities.get();
    }

    private BackendCapabilities readCapabilities() {
        DockerEngine.Machine machine = engine.machine();
        Set<String> versions = new TreeSet<>();
        for (String version : runtimes.versions()) {
            if (engine.hasImage(config.image(version))) {
                versions.add(version);
            }
        }
        long maxHeap = Math.max(0, Math.min(machine.memoryBytes() - (384L << 20), machine.memoryBytes() * 10 / 11));
        // Executors are threads of the driver's JVM (local mode), as on the local backend: the container's cores and
        // memory bound them, whatever the job says of them.
        return new BackendCapabilities(versions, machine.cpus(), maxHeap, Integer.MAX_VALUE, Long.MAX_VALUE,
                Integer.MAX_VALUE);
    }

    /** The memory of a driver's container: its heap and Spark's overhead ({@code max(384 MiB, 10 %)}). */
    static long containerMemory(long heapBytes) {
        return SparkContainers.memory(heapBytes);
    }

    @Override
    public BackendRun launch(LaunchRequest request) {
        SparkRuntime runtime = runtimes.runtime(request.sparkVersion());
        String image = config.image(runtime.version());
        if (!engine.hasImage(image)) {
            throw new PlatformException(ErrorCode.UNAVAILABLE, "the Docker engine at " + config.host() + " has no image "
                    + image + " for Spark " + runtime.version() + " (build it with docker/build.sh " + runtime.version() + ")");
        }
        Optional<String> warm = hotPool.handOff(request);
        if (warm.isPresent()) {
            return new BackendRun(NAME, request.executionId(), warm.get());
        }
        Map<String, String> labels = Map.of(LABEL_BACKEND, NAME, LABEL_EXECUTION, request.executionId(),
                LABEL_TEAM, request.team(), LABEL_RUNS_DIR, runsDirLabel());
        Started started = startContainer(runDir(request.executionId()), "dcp-" + request.executionId(), request, labels);
        return new BackendRun(NAME, request.executionId(), started.containerId());
    }

    /** A driver's container, started: the engine's id, the run user it runs as. */
    record Started(String containerId, Sandbox.RunUser user) {
    }

    /** The label of this platform's containers naming its runs folder. */
    String runsDirLabel() {
        return gatewayConfig.runsDir().toAbsolutePath().toString();
    }

    /**
     * Lays out {@code runDir} for {@code request}'s driver (its user, argument file, events file, log header) and starts
     * its container {@code name} with {@code labels}. Nothing is left of a start that fails.
     */
    Started startContainer(Path runDir, String name, LaunchRequest request, Map<String, String> labels) {
        return startContainer(runDir, name, request, labels, 0);
    }

    /** {@link #startContainer(Path, String, LaunchRequest, Map)} with the CPU weight {@code cpuShares} (0: the default). */
    Started startContainer(Path runDir, String name, LaunchRequest request, Map<String, String> labels, int cpuShares) {
        SparkRuntime runtime = runtimes.runtime(request.sparkVersion());
        String image = config.image(runtime.version());
        Sandbox.RunUser user = sandbox.acquire();
        String containerId = null;
        try {
            Sandbox.RunDirs dirs = sandbox.prepareRunDir(runDir, user);
            sandbox.createUserFile(runDir.resolve(DriverFiles.EVENTS), user);
            long heap = request.driverMemoryBytes();
            SparkRuntime inImage = SparkContainers.inImage(runtime);
            // The image's own java runs the argument file; the JDK path is not used.
            SparkSubmitCommand driver = SparkSubmitCommand.of(SparkContainers.SPARK_HOME, inImage)
                    .jvmOptions(SparkContainers.jvmOptions())
                    .heap(heap)
                    .master("local[" + request.driverCores() + "]")
                    .application(request.name(), request.application().mainClass())
                    .conf(sparkConf(request, heap))
                    .jar(request.application().usesPlatformJar() ? inImage.coreEtlJar().toString()
                            : request.application().jar(), request.application().args());
            sandbox.writeUserFile(runDir.resolve(ARGS_FILE), driver.argFile(), user);
            int[] ids = SparkContainers.ids(user);
            Path passwd = SparkContainers.writePasswd(runDir, ids);
            long memory = containerMemory(heap);
            writeHeader(runDir, request, runtime, image, memory, driver.redactedArguments(), ids);

            List<DockerEngine.Mount> mounts = new ArrayList<>(List.of(
                    new DockerEngine.Mount(runDir, RUN_IN_CONTAINER, false),
                    new DockerEngine.Mount(dirs.scratch(), SCRATCH_IN_CONTAINER, false),
                    new DockerEngine.Mount(passwd, Path.of("/etc/passwd"), true)));
            gatewayConfig.catalog().localWarehouse()
                    .ifPresent(warehouse -> mounts.add(new DockerEngine.Mount(warehouse, warehouse, false)));
            for (String jar : localJars(request)) {
                mounts.add(new DockerEngine.Mount(Path.of(jar), Path.of(jar), true));
            }
            Map<String, String> env = SparkContainers.environment(request.envVars(), "host".equals(config.network()));
            containerId = engine.create(new DockerEngine.ContainerSpec(name, image, labels,
                    List.of("java", "@" + RUN_IN_CONTAINER.resolve(ARGS_FILE)), RUN_IN_CONTAINER.resolve(Sandbox.WORK_DIR),
                    ids[0] + ":" + ids[1], env, mounts, config.network(), request.driverCores(), memory, cpuShares));
            Files.writeString(runDir.resolve(CONTAINER_FILE), containerId + "\n", StandardCharsets.UTF_8);
            engine.start(containerId);
            log.info("Started the driver of execution {} in container {} ({}, {} cores, {} memory)", request.executionId(),
                    shortId(containerId), image, request.driverCores(), ByteSize.toMebibytes(memory));
            return new Started(containerId, user);
        }
        catch (IOException e) {
            abandon(runDir, user, containerId);
            throw new UncheckedIOException("cannot start the driver of execution " + request.executionId(), e);
        }
        catch (RuntimeException e) {
            abandon(runDir, user, containerId);
            throw e;
        }
    }

    private void abandon(Path runDir, Sandbox.RunUser user, String containerId) {
        if (containerId != null) {
            try {
                engine.remove(containerId);
            }
            catch (RuntimeException e) {
                log.warn("Cannot remove container {} of a failed start: {}", shortId(containerId), e.toString());
            }
        }
        sandbox.seal(runDir);
        sandbox.release(user);
    }

    /** The custom jars of the job that are files of this machine: mounted read-only at the same path. */
    private static List<String> localJars(LaunchRequest request) {
        List<String> jars = new ArrayList<>();
        if (!request.application().usesPlatformJar() && request.application().jar().startsWith("/")) {
            jars.add(request.application().jar());
        }
        String extra = request.sparkConf().get("spark.jars");
        if (extra != null) {
            for (String jar : extra.split(",")) {
                if (jar.strip().startsWith("/")) {
                    jars.add(jar.strip());
                }
            }
        }
        return jars.stream().distinct().filter(jar -> Files.isRegularFile(Path.of(jar))).toList();
    }

    private Map<String, String> sparkConf(LaunchRequest request, long heap) {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("spark.sql.shuffle.partitions", Integer.toString(config.shufflePartitions()));
        conf.putAll(request.sparkConf());
        conf.putAll(gatewayConfig.catalog().sparkConf());
        if ("host".equals(config.network())) {
            // The engine's machine's loopback: the platform reads the Spark UI there, nothing else reaches it.
            conf.put("spark.driver.host", "127.0.0.1");
            conf.put("spark.driver.bindAddress", "127.0.0.1");
            conf.put("spark.ui.port", Integer.toString(Processes.freePort(4040)));
        }
        conf.put("spark.driver.memory", ByteSize.toMebibytes(heap));
        conf.put("spark.driver.cores", Integer.toString(request.driverCores()));
        conf.put("spark.authenticate", "true");
        conf.put("spark.ui.killEnabled", "false");
        conf.put("spark.local.dir", SCRATCH_IN_CONTAINER.toString());
        conf.put("spark.hadoop.fs.permissions.umask-mode", "002");
        conf.putAll(DriverConf.forDriver(request.executionId(), request.team(),
                RUN_IN_CONTAINER.resolve(DriverFiles.EVENTS).toString(), !request.application().usesPlatformJar(),
                request.sparkConf().get("spark.extraListeners")));
        return conf;
    }

    private static void writeHeader(Path runDir, LaunchRequest request, SparkRuntime runtime, String image, long memory,
            List<String> arguments, int[] ids) throws IOException {
        Path logFile = runDir.resolve(LOG_FILE);
        if (!Files.exists(logFile)) {
            Files.createFile(logFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(logFile, "=== dcp: execution " + request.executionId() + " of '" + request.name() + "' (team "
                        + request.team() + ") on backend docker, Spark " + runtime.sparkVersion() + ", image " + image
                        + ", " + request.driverCores() + " cores, container memory " + ByteSize.toMebibytes(memory)
                        + " (heap " + ByteSize.toMebibytes(request.driverMemoryBytes()) + "), started " + Instant.now() + "\n"
                        + "=== dcp: runs as uid " + ids[0] + ", gid " + ids[1] + "\n"
                        + "=== dcp: env vars set by the job: " + String.join(", ", request.envVars().keySet()) + "\n"
                        + "=== dcp: java " + String.join(" ", arguments) + "\n",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    @Override
    public RunStatus status(BackendRun run) {
        Path runDir = runDir(run.executionId());
        Optional<RunStatus> ended = exitStatus(runDir);
        if (ended.isPresent()) {
            return ended.get();
        }
        Optional<InspectContainerResponse> container = engine.inspect(run.runId());
        if (container.isEmpty()) {
            return exitStatus(runDir).orElseGet(() -> {
                sandbox.seal(runDir);
                return new RunStatus(RunState.LOST, null, "container " + shortId(run.runId()) + " of the driver is gone"
                        + " and left no exit status (removed from outside the platform, or the engine lost it)");
            });
        }
        InspectContainerResponse.ContainerState state = container.get().getState();
        if (Boolean.TRUE.equals(state.getRunning()) || "created".equals(state.getStatus())
                || "restarting".equals(state.getStatus())) {
            DriverEvents events = DriverEvents.read(runDir.resolve(DriverFiles.EVENTS));
            return events.running()
                    ? new RunStatus(RunState.RUNNING, events.uiUrl(), null, events.progress())
                    : new RunStatus(RunState.STARTING, null, null);
        }
        return end(run, container.get());
    }

    /**
     * Keeps what an ended container leaves (its log, its exit code, whether the kernel killed it for memory) in the run
     * folder, then removes it. Idempotent, one caller at a time per run.
     */
    private RunStatus end(BackendRun run, InspectContainerResponse container) {
        Path runDir = runDir(run.executionId());
        synchronized (endings.of(run.executionId())) {
            Optional<RunStatus> ended = exitStatus(runDir);
            if (ended.isPresent()) {
                return ended.get();
            }
            InspectContainerResponse.ContainerState state = container.getState();
            // A container stopped before it ever started (a cancel during the launch) did not run the driver.
            long code = "created".equals(state.getStatus()) ? NEVER_STARTED
                    : state.getExitCodeLong() == null ? -1 : state.getExitCodeLong();
            boolean oom = Boolean.TRUE.equals(state.getOOMKilled());
            Path logFile = runDir.resolve(LOG_FILE);
            try {
                engine.copyLogs(run.runId(), logFile, MAX_LOG_BYTES);
                Files.writeString(logFile, "=== dcp: container " + shortId(run.runId()) + " exited with code " + code
                                + (oom ? " (killed by the kernel: out of its memory limit)" : "") + " at "
                                + state.getFinishedAt() + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
                if (oom) {
                    Long limit = container.getHostConfig() == null ? null : container.getHostConfig().getMemory();
                    Files.writeString(runDir.resolve(OOM_FILE), limit == null ? "" : ByteSize.toMebibytes(limit),
                            StandardCharsets.UTF_8);
                }
                Path temporary = runDir.resolve(EXIT_FILE + ".tmp");
                Files.writeString(temporary, code + "\n", StandardCharsets.UTF_8);
                Files.move(temporary, runDir.resolve(EXIT_FILE), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            catch (IOException e) {
                throw new UncheckedIOException("cannot keep what container " + shortId(run.runId()) + " left in "
                        + runDir, e);
            }
            engine.remove(run.runId());
            sandbox.seal(runDir);
            return exitStatus(runDir).orElseThrow();
        }
    }

    private Optional<RunStatus> exitStatus(Path runDir) {
        return LogFiles.readIfExists(runDir.resolve(EXIT_FILE)).map(String::strip)
                .filter(text -> text.matches("-?[0-9]+"))
                .map(text -> outcome(runDir, Integer.parseInt(text)));
    }

    private static RunStatus outcome(Path runDir, int code) {
        DriverEvents events = DriverEvents.read(runDir.resolve(DriverFiles.EVENTS));
        if (code == 0) {
            return new RunStatus(RunState.SUCCEEDED, null, null, events.latestMetrics());
        }
        Optional<String> oom = LogFiles.readIfExists(runDir.resolve(OOM_FILE)).map(String::strip);
        if (oom.isPresent()) {
            return new RunStatus(RunState.FAILED, null, "the driver's container was killed for using more than its "
                    + "memory limit" + (oom.get().isEmpty() ? "" : " of " + oom.get())
                    + " (heap plus overhead): ask for more driver memory", events.latestMetrics());
        }
        if (events.failure() != null) {
            return new RunStatus(RunState.FAILED, null, events.failure(), events.latestMetrics());
        }
        if (code == NEVER_STARTED && events.exitCode() == null && !events.running()) {
            return new RunStatus(RunState.FAILED, null, "the driver's container was stopped before it started",
                    events.latestMetrics());
        }
        if (code == 137 || code == 143) {
            return new RunStatus(RunState.FAILED, null, "the driver's container was stopped by signal " + (code - 128)
                    + (code == 137 ? " (SIGKILL)" : " (SIGTERM)"), events.latestMetrics());
        }
        String message = LogFiles.lastMatching(runDir.resolve(LOG_FILE), 400,
                        line -> !line.startsWith("=== dcp:")
                                && (line.contains("Exception") || line.contains("Error") || line.contains("FAILED")))
                .map(line -> line.length() > 2000 ? line.substring(0, 2000) : line)
                .orElse("the driver exited with code " + code);
        return new RunStatus(RunState.FAILED, null, message, events.latestMetrics());
    }

    /** Stops the container (SIGTERM, then SIGKILL after {@code gateway.cancel-grace}), keeps its log, removes it. */
    @Override
    public void cancel(BackendRun run) {
        if (exitStatus(runDir(run.executionId())).isPresent()) {
            return;
        }
        markCancelRequested(run);
        engine.stop(run.runId(), gatewayConfig.cancelGrace());
        Optional<InspectContainerResponse> container = engine.inspect(run.runId());
        if (container.isPresent()) {
            end(run, container.get());
        }
        else {
            sandbox.seal(runDir(run.executionId()));
        }
        log.info("Stopped the driver of execution {} (container {})", run.executionId(), shortId(run.runId()));
    }

    /** Records that {@code run} is being stopped, so that a platform stopped before the end finishes it at its start. */
    void markCancelRequested(BackendRun run) {
        try {
            Files.writeString(runDir(run.executionId()).resolve(CANCEL_FILE), Instant.now() + "\n", StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            log.warn("Cannot record the cancel of execution {}: {}", run.executionId(), e.toString());
        }
    }

    /**
     * The run's log: the platform's header, then the container's output — read from the engine while the container
     * exists, from the run folder once it ended.
     */
    @Override
    public String logs(BackendRun run, OptionalInt tailLines) {
        Path runDir = runDir(run.executionId());
        Path logFile = runDir.resolve(LOG_FILE);
        if (Files.exists(runDir.resolve(EXIT_FILE))) {
            return tailLines.isPresent() ? LogFiles.tail(logFile, tailLines.getAsInt()) : LogFiles.readCapped(logFile);
        }
        String header = LogFiles.readCapped(logFile);
        String output = engine.logs(run.runId(), tailLines, LogFiles.MAX_BYTES).orElse("");
        String text = header + output;
        return tailLines.isPresent() ? LogFiles.lastLines(text, tailLines.getAsInt()) : text;
    }

    /** The container of {@code executionId}, by label or by the id its run folder records; or its ended run. */
    @Override
    public Optional<BackendRun> find(String executionId) {
        Optional<Container> container = engine.findByLabel(LABEL_EXECUTION, executionId);
        if (container.isPresent()) {
            return Optional.of(new BackendRun(NAME, executionId, container.get().getId()));
        }
        // A warm container handed the job carries its pool's labels; its id is in the run folder (written by the server,
        // in a folder the container cannot write), as is that of an ended container.
        Path runDir = runDir(executionId);
        boolean ended = Files.exists(runDir.resolve(EXIT_FILE));
        return LogFiles.readIfExists(runDir.resolve(CONTAINER_FILE)).map(String::strip).filter(id -> !id.isEmpty())
                .filter(id -> ended || engine.inspect(id).isPresent())
                .map(id -> new BackendRun(NAME, executionId, id));
    }

    Path runDir(String executionId) {
        return gatewayConfig.runsDir().resolve(executionId);
    }

    static String shortId(String containerId) {
        return containerId.length() > 12 ? containerId.substring(0, 12) : containerId;
    }

    /** The runtime image names this backend starts containers from, by version (for tools and tests). */
    public Map<String, String> images() {
        Map<String, String> images = new LinkedHashMap<>();
        runtimes.versions().forEach(version -> images.put(version, config.image(version)));
        return images;
    }
}
