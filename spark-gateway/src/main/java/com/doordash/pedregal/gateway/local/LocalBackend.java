package com.doordash.pedregal.gateway.local;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.gateway.Application;
import com.doordash.pedregal.gateway.BackendCapabilities;
import com.doordash.pedregal.gateway.BackendRun;
import com.doordash.pedregal.gateway.GatewayConfig;
import com.doordash.pedregal.gateway.HotPoolConfig;
import com.doordash.pedregal.gateway.LaunchRequest;
import com.doordash.pedregal.gateway.PoolStatus;
import com.doordash.pedregal.gateway.RunState;
import com.doordash.pedregal.gateway.RunStatus;
import com.doordash.pedregal.gateway.SparkBackend;
import com.doordash.pedregal.gateway.SparkRuntime;
import com.doordash.pedregal.gateway.SparkRuntimes;
import com.doordash.pedregal.gateway.internal.DriverEvents;
import com.doordash.pedregal.gateway.internal.LogFiles;
import com.doordash.pedregal.gateway.internal.Sandbox;
import com.doordash.pedregal.gateway.internal.SparkJvmFlags;
import com.doordash.pedregal.model.ByteSize;
import com.doordash.pedregal.model.DriverConf;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
    static final String LOG_FILE = "driver.log";
    static final String EVENTS_FILE = "events.jsonl";
    private static final String EXIT_FILE = "exit";
    private static final String PID_FILE = "pid";
    /**
     * Runs the driver in the run's {@code work} folder (the only one its user owns), with group-writable files for the
     * shared warehouse, then records its exit code atomically: the wrapper is the server's, so a job cannot forge it.
     * {@code cd -P ..}: the physical parent, also after a warm driver's folder was renamed to its job's.
     */
    private static final String WRAPPER = "echo $$ > pid; umask 002; cd " + Sandbox.WORK_DIR + " || exit 111; \"$@\";"
            + " code=$?; cd -P ..; echo $code > exit.tmp && mv exit.tmp exit; exit $code";
    private static final Path SETSID = Path.of("/usr/bin/setsid");
    private static final String LISTENER = "com.doordash.pedregal.coreetl.PlatformEventsListener";

    private final GatewayConfig config;
    private final SparkRuntimes runtimes;
    private final List<String> jvmFlags;
    private final HotPool hotPool;
    private final Sandbox sandbox;

    /** A backend running drivers from {@code runtimes} as configured by {@code config}, without hot pools. */
    public LocalBackend(GatewayConfig config, SparkRuntimes runtimes) {
        this(config, runtimes, HotPoolConfig.none());
    }

    /** A backend running drivers from {@code runtimes}, keeping the hot pools of {@code hotPools}. */
    public LocalBackend(GatewayConfig config, SparkRuntimes runtimes, HotPoolConfig hotPools) {
        this.config = requireNonNull(config, "config is null");
        this.runtimes = requireNonNull(runtimes, "runtimes is null");
        this.jvmFlags = SparkJvmFlags.flags();
        this.sandbox = Sandbox.of(config);
        sandbox.prepare();
        sandbox.reserveUnsealed(config.runsDir());
        this.hotPool = new HotPool(this, config, runtimes, requireNonNull(hotPools, "hotPools is null"));
    }

    @Override
    public void start() {
        log.info("Local backend: {}", sandbox.describe());
        hotPool.start();
    }

    @Override
    public List<PoolStatus> pools() {
        return hotPool.status();
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
        Optional<BackendRun> warm = hotPool.handOff(request);
        if (warm.isPresent()) {
            return warm.get();
        }
        Path runDir = runDir(request.executionId());
        long driverMemory = Math.min(request.driverMemoryBytes(), config.localMaxDriverMemory());
        ProcessHandle process = startDriver(runDir, request, runtime, driverMemory, true).process();
        long started = process.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
        log.info("Started driver of execution {} as process {} (runtime {}, driver memory {})",
                request.executionId(), process.pid(), runtime.version(), ByteSize.toMebibytes(driverMemory));
        return new BackendRun(NAME, request.executionId(), process.pid() + ":" + started);
    }

    /** A started driver: its wrapper process, and the user its JVM runs as. */
    record DriverProcess(ProcessHandle process, Sandbox.RunUser user) {
    }

    /**
     * Starts a driver JVM in {@code runDir} under the exit-recording wrapper, as a run user of its own, with the
     * application's files in its {@code work} folder; returns the wrapper process. With {@code reportEvents} the driver
     * reports to {@code runDir/events.jsonl} from its start (a warm driver reports from the hand-off of its job instead).
     */
    DriverProcess startDriver(Path runDir, LaunchRequest request, SparkRuntime runtime, long driverMemory,
            boolean reportEvents) {
        Sandbox.RunUser user = sandbox.acquire();
        try {
            Sandbox.RunDirs dirs = sandbox.prepareRunDir(runDir, user);
            Path work = dirs.work();
            for (Map.Entry<String, String> file : request.application().files().entrySet()) {
                sandbox.writeUserFile(work.resolve(file.getKey()), file.getValue(), user);
            }
            sandbox.createUserFile(runDir.resolve(EVENTS_FILE), user);
            List<String> driverCommand = driverCommand(request, runtime, runDir, dirs.scratch(), driverMemory, reportEvents);
            Path logFile = runDir.resolve(LOG_FILE);
            if (!Files.exists(logFile)) {
                // The server's alone from the first byte: the driver writes it through the descriptor it inherits.
                Files.createFile(logFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.writeString(logFile, header(request, runtime, driverMemory, driverCommand, user), StandardCharsets.UTF_8,
                    StandardOpenOption.APPEND);

            List<String> command = new ArrayList<>();
            if (Files.isExecutable(SETSID)) {
                command.add(SETSID.toString());
            }
            command.addAll(List.of("/bin/sh", "-c", WRAPPER, "dcp-driver"));
            command.addAll(sandbox.command(user, driverCommand));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(runDir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectErrorStream(true);
            environment(builder.environment(), request, runtime, user, dirs.scratch());
            return new DriverProcess(builder.start().toHandle(), user);
        }
        catch (IOException e) {
            abandon(runDir, user);
            throw new UncheckedIOException("cannot start the driver of execution " + request.executionId(), e);
        }
        catch (RuntimeException e) {
            abandon(runDir, user);
            throw e;
        }
    }

    /** Undoes a driver start that failed: its folders and its user. */
    private void abandon(Path runDir, Sandbox.RunUser user) {
        sandbox.seal(runDir);
        sandbox.release(user);
    }

    /** The sandbox the drivers run in. */
    Sandbox sandbox() {
        return sandbox;
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
        if (process(run).isPresent()) {
            DriverEvents events = DriverEvents.read(runDir.resolve(EVENTS_FILE));
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
            stop(wrapper.get(), config.cancelGrace().toMillis());
            log.info("Stopped driver of execution {} (process {})", run.executionId(), wrapper.get().pid());
        }
        // Also what the job started outside the driver's process group: everything its user runs.
        sandbox.seal(runDir(run.executionId()));
    }

    /** Stops a driver wrapper and every process under it: SIGTERM, then SIGKILL after {@code graceMillis}. */
    static void stop(ProcessHandle wrapper, long graceMillis) {
        List<ProcessHandle> tree = Stream.concat(wrapper.descendants(), Stream.of(wrapper)).toList();
        tree.forEach(ProcessHandle::destroy);
        if (!awaitExit(tree, graceMillis)) {
            log.info("Process {} did not stop within {} ms; killing it", wrapper.pid(), graceMillis);
            tree.forEach(ProcessHandle::destroyForcibly);
            awaitExit(tree, 10_000);
        }
        if (Files.isExecutable(SETSID)) {
            killProcessGroup(wrapper.pid());
        }
    }

    @Override
    public String logs(BackendRun run, OptionalInt tailLines) {
        Path logFile = runDir(run.executionId()).resolve(LOG_FILE);
        return tailLines.isPresent() ? LogFiles.tail(logFile, tailLines.getAsInt()) : LogFiles.readCapped(logFile);
    }

    @Override
    public Optional<BackendRun> find(String executionId) {
        return recordedPid(runDir(executionId))
                .map(pid -> new BackendRun(NAME, executionId, pid + ":" + ProcessHandle.of(pid)
                        .flatMap(handle -> handle.info().startInstant())
                        .map(Instant::toEpochMilli)
                        .orElse(0L)));
    }

    /** The process id the driver wrapper wrote into {@code runDir} when it started, if it did. */
    static Optional<Long> recordedPid(Path runDir) {
        return LogFiles.readIfExists(runDir.resolve(PID_FILE))
                .map(String::strip)
                .filter(text -> text.matches("[0-9]+"))
                .map(Long::parseLong);
    }

    /** The working directory of an execution's run. */
    public Path runDir(String executionId) {
        return config.runsDir().resolve(executionId);
    }

    private List<String> driverCommand(LaunchRequest request, SparkRuntime runtime, Path runDir, Path scratch,
            long driverMemory, boolean reportEvents) {
        List<String> command = new ArrayList<>();
        command.add(config.javaHome().resolve("bin").resolve("java").toString());
        command.addAll(jvmFlags);
        command.addAll(sandbox.jvmOptions(scratch));
        command.add("-Xmx" + ByteSize.toMebibytes(driverMemory));
        command.add("-Dlog4j2.configurationFile=" + runtime.conf().resolve("log4j2.properties"));
        command.add("-cp");
        // The platform jar is on every driver's class path: it holds the events listener, also for custom jars.
        command.add(runtime.conf() + File.pathSeparator + runtime.jars() + File.separator + "*"
                + File.pathSeparator + runtime.coreEtlJar());
        command.add("org.apache.spark.deploy.SparkSubmit");
        command.addAll(List.of("--master", config.localMaster(), "--deploy-mode", "client", "--name", request.name()));
        command.addAll(List.of("--properties-file", runtime.conf().resolve("spark-defaults.conf").toString()));
        command.addAll(List.of("--class", request.application().mainClass()));
        sparkConf(request, runDir, scratch, driverMemory, reportEvents).forEach((key, value) -> {
            command.add("--conf");
            command.add(key + "=" + value);
        });
        Application application = request.application();
        command.add(application.usesPlatformJar() ? runtime.coreEtlJar().toString() : application.jar());
        command.addAll(application.args());
        return command;
    }

    private Map<String, String> sparkConf(LaunchRequest request, Path runDir, Path scratch, long driverMemory,
            boolean reportEvents) {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("spark.sql.shuffle.partitions", Integer.toString(config.localShufflePartitions()));
        conf.putAll(request.sparkConf());
        conf.put("spark.sql.catalog.pedregal.warehouse", config.warehouseDir().toUri().toString());
        conf.put("spark.driver.host", "127.0.0.1");
        conf.put("spark.driver.bindAddress", "127.0.0.1");
        conf.put("spark.driver.memory", ByteSize.toMebibytes(driverMemory));
        conf.put("spark.ui.port", Integer.toString(freePort()));
        // Other local processes (other teams' drivers) may not talk to this driver's RPC and block manager (the secret
        // is generated per application), nor kill its stages through its UI.
        conf.put("spark.authenticate", "true");
        conf.put("spark.ui.killEnabled", "false");
        conf.put("spark.local.dir", scratch.toString());
        // Tables the job writes stay writable by the next run's user (all run users share the warehouse's group).
        conf.put("spark.hadoop.fs.permissions.umask-mode", "002");
        if (reportEvents) {
            conf.put("spark.extraListeners", LISTENER);
            conf.put(DriverConf.EVENTS_FILE, runDir.resolve(EVENTS_FILE).toString());
        }
        conf.put(DriverConf.EXECUTION_ID, request.executionId());
        conf.put(DriverConf.TEAM, request.team());
        if (!request.application().usesPlatformJar()) {
            conf.put("spark.sql.extensions", Application.CUSTOM_JAR_EXTENSIONS);
        }
        return conf;
    }

    private void environment(Map<String, String> env, LaunchRequest request, SparkRuntime runtime, Sandbox.RunUser user,
            Path scratch) {
        // Drivers get a clean environment: nothing of the server's (tokens, database passwords) leaks in.
        Map<String, String> inherited = new LinkedHashMap<>(env);
        env.clear();
        for (String key : List.of("PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR", "USER")) {
            if (inherited.containsKey(key)) {
                env.put(key, inherited.get(key));
            }
        }
        env.putAll(request.envVars());
        env.put("JAVA_HOME", config.javaHome().toString());
        env.put("SPARK_HOME", runtime.home().toString());
        env.put("SPARK_CONF_DIR", runtime.conf().toString());
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("SPARK_LOCAL_IP", "127.0.0.1"); // a local driver listens on loopback only
        sandbox.environment(env, user, scratch);
    }

    private static String header(LaunchRequest request, SparkRuntime runtime, long driverMemory, List<String> command,
            Sandbox.RunUser user) {
        return "=== dcp: execution " + request.executionId() + " of '" + request.name() + "' (team " + request.team()
                + ") on backend local, Spark " + runtime.sparkVersion() + ", driver memory "
                + ByteSize.toMebibytes(driverMemory) + " (asked " + ByteSize.toMebibytes(request.driverMemoryBytes())
                + "), started " + Instant.now() + "\n"
                + (user.isServer() ? "" : "=== dcp: runs as OS user " + user.name() + " (uid " + user.uid() + ")\n")
                + "=== dcp: env vars set by the job: " + String.join(", ", request.envVars().keySet()) + "\n"
                + "=== dcp: command: " + String.join(" ", command) + "\n";
    }

    private Optional<RunStatus> exitStatus(Path runDir) {
        return LogFiles.readIfExists(runDir.resolve(EXIT_FILE)).map(String::strip).filter(text -> !text.isEmpty()).map(text -> {
            int code = Integer.parseInt(text);
            DriverEvents events = DriverEvents.read(runDir.resolve(EVENTS_FILE));
            if (code == 0) {
                return new RunStatus(RunState.SUCCEEDED, null, null, events.latestMetrics());
            }
            return new RunStatus(RunState.FAILED, null, failureMessage(runDir, events, code), events.latestMetrics());
        });
    }

    private static String failureMessage(Path runDir, DriverEvents events, int code) {
        if (events.failure() != null) {
            return events.failure();
        }
        return LogFiles.lastMatching(runDir.resolve(LOG_FILE), 400,
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

    private static boolean awaitExit(List<ProcessHandle> processes, long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (ProcessHandle process : processes) {
            long left = deadline - System.nanoTime();
            try {
                if (left <= 0) {
                    return processes.stream().noneMatch(ProcessHandle::isAlive);
                }
                process.onExit().get(left, TimeUnit.NANOSECONDS);
            }
            catch (java.util.concurrent.TimeoutException e) {
                return false;
            }
            catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private static void killProcessGroup(long pgid) {
        try {
            new ProcessBuilder("kill", "-KILL", "--", "-" + pgid)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start()
                    .waitFor(5, TimeUnit.SECONDS);
        }
        catch (IOException e) {
            log.warn("Cannot kill process group {}: {}", pgid, e.toString());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
        catch (IOException e) {
            return 4040;
        }
    }
}
