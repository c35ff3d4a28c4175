package com.doordash.pedregal.gateway.local;

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
import com.doordash.pedregal.gateway.internal.DriverEvents;
import com.doordash.pedregal.gateway.internal.LogFiles;
import com.doordash.pedregal.gateway.internal.Processes;
import com.doordash.pedregal.gateway.internal.Sandbox;
import com.doordash.pedregal.model.ByteSize;
import com.doordash.pedregal.model.driver.DriverFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each driver as a {@code org.apache.spark.deploy.SparkSubmit} child JVM on this machine, from a
 * {@code spark-dist} runtime, with {@code --master local[*]}.
 *
 * <p>Each run gets a working directory {@code <runs-dir>/<execution-id>} holding the driver log, the
 * driver's events file and the application's files. The driver runs under a small shell, in a session of
 * its own, that records its exit code in the file {@code exit}: the run survives a restart of the platform
 * (and a Ctrl-C in the platform's terminal), and its outcome can be read afterwards.
 */
public final class LocalBackend implements SparkBackend {
    private static final Logger log = LoggerFactory.getLogger(LocalBackend.class);
    static final String NAME = "local";

    private final GatewayConfig config;
    private final LocalConfig local;
    private final SparkRuntimes runtimes;
    private final DriverLauncher launcher;
    private final HotPool hotPool;
    private final Sandbox sandbox;

    /** A backend with the local defaults and no hot pools. */
    public LocalBackend(GatewayConfig config, SparkRuntimes runtimes) {
        this(config, LocalConfig.withoutHotPools(), runtimes);
    }

    /** A backend with the local defaults, keeping the hot pools of {@code hotPools}. */
    public LocalBackend(GatewayConfig config, SparkRuntimes runtimes, HotPoolConfig hotPools) {
        this(config, LocalConfig.withoutHotPools().withHotPool(hotPools), runtimes);
    }

    /** A backend running drivers from {@code runtimes} as {@code config} and {@code local} say. */
    public LocalBackend(GatewayConfig config, LocalConfig local, SparkRuntimes runtimes) {
        this.config = requireNonNull(config, "config is null");
        this.local = requireNonNull(local, "local is null");
        this.runtimes = requireNonNull(runtimes, "runtimes is null");
        this.sandbox = Sandbox.of(config);
        sandbox.prepare();
        sandbox.reserveUnsealed(config.runsDir(), runDir -> Files.exists(runDir.resolve(DriverLauncher.EXIT_FILE)));
        this.launcher = new DriverLauncher(config, local, sandbox);
        this.hotPool = new HotPool(launcher, config, local, runtimes);
    }

    @Override
    public void start() {
        log.info("Local backend: {}", sandbox.describe());
        hotPool.start();
    }

    @Override
    public List<PoolStatus> pools() {
        return hotPool.status(NAME);
    }

    @Override
    public void anticipate(String namespace) {
        hotPool.anticipate(namespace);
    }

    @Override
    public void close() {
        hotPool.close();
        sandbox.close();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public BackendCapabilities capabilities() {
        // Executors are threads of the driver JVM here: cores are shared, and only memory beyond this machine's is
        // impossible.
        long memory = GatewayConfig.physicalMemory();
        return new BackendCapabilities(runtimes.versions(), Integer.MAX_VALUE, memory, Integer.MAX_VALUE, memory,
                Integer.MAX_VALUE);
    }

    @Override
    public BackendRun launch(LaunchRequest request) {
        SparkRuntime runtime = runtimes.runtime(request.sparkVersion());
        Optional<ProcessHandle> warm = hotPool.handOff(request).or(() -> hotPool.startReusable(request));
        if (warm.isPresent()) {
            return run(request.executionId(), warm.get());
        }
        long driverMemory = Math.min(request.driverMemoryBytes(), local.maxDriverMemory());
        ProcessHandle process = launcher.start(runDir(request.executionId()), request, runtime, driverMemory, true).process();
        log.info("Started driver of execution {} as process {} (runtime {}, driver memory {})",
                request.executionId(), process.pid(), runtime.version(), ByteSize.toMebibytes(driverMemory));
        return run(request.executionId(), process);
    }

    /** The run of the driver wrapper {@code process}: its id and start time, so that a recycled pid is not taken for it. */
    private static BackendRun run(String executionId, ProcessHandle process) {
        return new BackendRun(NAME, executionId, process.pid() + ":"
                + process.info().startInstant().map(Instant::toEpochMilli).orElse(0L));
    }

    /** Its hot pools. */
    HotPool hotPool() {
        return hotPool;
    }

    /** What starts this backend's driver JVMs. */
    DriverLauncher launcher() {
        return launcher;
    }

    /** Whether drivers run as unprivileged users of their own (the server runs as root, {@code gateway.sandbox.*}). */
    public boolean sandboxed() {
        return sandbox.enabled();
    }

    @Override
    public RunStatus status(BackendRun run) {
        Path runDir = runDir(run.executionId());
        Optional<RunStatus> ended = exitStatus(runDir);
        if (ended.isPresent()) {
            sandbox.seal(runDir);
            return ended.get();
        }
        DriverEvents events = DriverEvents.read(runDir.resolve(DriverFiles.EVENTS));
        if (events.exitCode() != null) {
            // A warm driver finished the job; it may live on for its team's next job (the hot pool ends it).
            hotPool.ended(run.executionId());
            return outcome(runDir, events, events.exitCode());
        }
        if (process(run).isPresent()) {
            return events.running()
                    ? new RunStatus(RunState.RUNNING, events.uiUrl(), null, events.progress())
                    : new RunStatus(RunState.STARTING, null, null);
        }
        // The exit file is written just before the wrapper ends: look again now that it is gone.
        RunStatus gone = exitStatus(runDir).orElseGet(() -> new RunStatus(RunState.LOST, null,
                "the driver process " + pid(run) + " is gone and left no exit status"
                        + " (killed from outside, or the machine restarted)"));
        sandbox.seal(runDir);
        return gone;
    }

    @Override
    public void cancel(BackendRun run) {
        Optional<ProcessHandle> wrapper = process(run);
        if (wrapper.isPresent()) {
            Processes.stopTree(wrapper.get(), config.cancelGrace().toMillis());
            log.info("Stopped driver of execution {} (process {})", run.executionId(), wrapper.get().pid());
        }
        // Also what the job started outside the driver's process group: everything its user runs.
        sandbox.seal(runDir(run.executionId()));
    }

    @Override
    public String logs(BackendRun run, OptionalInt tailLines) {
        Path logFile = runDir(run.executionId()).resolve(DriverLauncher.LOG_FILE);
        return tailLines.isPresent() ? LogFiles.tail(logFile, tailLines.getAsInt()) : LogFiles.readCapped(logFile);
    }

    @Override
    public Optional<BackendRun> find(String executionId) {
        return DriverLauncher.recordedPid(runDir(executionId))
                .map(pid -> new BackendRun(NAME, executionId, pid + ":" + ProcessHandle.of(pid)
                        .flatMap(handle -> handle.info().startInstant())
                        .map(Instant::toEpochMilli)
                        .orElse(0L)));
    }

    /** The working directory of an execution's run. */
    public Path runDir(String executionId) {
        return launcher.runDir(executionId);
    }

    private Optional<RunStatus> exitStatus(Path runDir) {
        return LogFiles.readIfExists(runDir.resolve(DriverLauncher.EXIT_FILE)).map(String::strip)
                .filter(text -> !text.isEmpty())
                .map(text -> outcome(runDir, DriverEvents.read(runDir.resolve(DriverFiles.EVENTS)), Integer.parseInt(text)));
    }

    private static RunStatus outcome(Path runDir, DriverEvents events, int code) {
        if (code == 0) {
            return new RunStatus(RunState.SUCCEEDED, null, null, events.latestMetrics());
        }
        return new RunStatus(RunState.FAILED, null, failureMessage(runDir, events, code), events.latestMetrics());
    }

    private static String failureMessage(Path runDir, DriverEvents events, int code) {
        if (events.failure() != null) {
            return events.failure();
        }
        return LogFiles.lastMatching(runDir.resolve(DriverLauncher.LOG_FILE), 400,
                        line -> line.contains("Exception") || line.contains("Error") || line.contains("FAILED"))
                .map(line -> line.length() > 2000 ? line.substring(0, 2000) : line)
                .orElse("the driver exited with code " + code);
    }

    /** The wrapper process of {@code run}, while it is alive. */
    static Optional<ProcessHandle> process(BackendRun run) {
        String[] parts = run.runId().split(":");
        long started = Long.parseLong(parts[1]);
        return ProcessHandle.of(Long.parseLong(parts[0]))
                .filter(ProcessHandle::isAlive)
                // A recycled pid belongs to another process: it started at another time.
                .filter(handle -> started == 0 || handle.info().startInstant()
                        .map(instant -> Math.abs(instant.toEpochMilli() - started) < 2_000)
                        .orElse(true));
    }

    private static String pid(BackendRun run) {
        return run.runId().split(":")[0];
    }
}
