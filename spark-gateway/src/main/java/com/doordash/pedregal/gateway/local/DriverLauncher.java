package com.doordash.pedregal.gateway.local;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.gateway.GatewayConfig;
import com.doordash.pedregal.gateway.LaunchRequest;
import com.doordash.pedregal.gateway.SparkRuntime;
import com.doordash.pedregal.gateway.internal.LogFiles;
import com.doordash.pedregal.gateway.internal.Processes;
import com.doordash.pedregal.gateway.internal.Sandbox;
import com.doordash.pedregal.gateway.internal.SparkSubmitCommand;
import com.doordash.pedregal.model.ByteSize;
import com.doordash.pedregal.model.driver.DriverConf;
import com.doordash.pedregal.model.driver.DriverFiles;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
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

/**
 * Starts driver JVMs on this machine, for the local backend's cold starts and its hot pool's warm drivers alike: each
 * in a run folder of its own, as a run user of its own, under a shell that records its exit code.
 *
 * <p>A run folder holds {@code driver.log}, {@code events.jsonl}, the files {@code pid} and {@code exit} of the
 * wrapper, the JVM's argument file {@code driver.args}, and the driver's working directory {@code work}.
 */
final class DriverLauncher {
    static final String LOG_FILE = "driver.log";
    static final String EXIT_FILE = "exit";
    static final String PID_FILE = "pid";
    private static final String ARGS_FILE = "driver.args";
    /**
     * Runs the driver in the run's {@code work} folder (the only one its user owns), with group-writable files for the
     * shared warehouse, then records its exit code atomically: the wrapper is the server's, so a job cannot forge it.
     * {@code cd -P ..}: the physical parent, also after a warm driver's folder was renamed to its job's. It runs in a
     * scheduling group of its own ({@link Processes#inSchedulingGroup}) and first puts itself, and so the driver, under
     * the idle scheduling policy ({@code SCHED_IDLE}): a server thread that wakes up takes the CPU from a driver at
     * once instead of at the end of the driver's time slice, which kept status reads waiting ms.
     */
    private static final String WRAPPER = "chrt --idle --pid 0 $$ >/dev/null 2>&1; echo $$ > pid; umask 002; cd " + Sandbox.WORK_DIR + " || exit 111; \"$@\";"
            + " code=$?; cd -P ..; echo $code > exit.tmp && mv exit.tmp exit; exit $code";

    private final GatewayConfig config;
    private final LocalConfig local;
    private final Sandbox sandbox;

    DriverLauncher(GatewayConfig config, LocalConfig local, Sandbox sandbox) {
        this.config = requireNonNull(config, "config is null");
        this.local = requireNonNull(local, "local is null");
        this.sandbox = requireNonNull(sandbox, "sandbox is null");
    }

    /** A started driver: its wrapper process, and the user its JVM runs as. */
    record DriverProcess(ProcessHandle process, Sandbox.RunUser user) {
    }

    /**
     * Starts a driver JVM in {@code runDir} under the exit-recording wrapper, as a run user of its own; returns the
     * wrapper process. With {@code reportEvents} the driver reports to {@code runDir/events.jsonl} from its start (a warm
     * driver reports from the hand-off of its job instead).
     */
    DriverProcess start(Path runDir, LaunchRequest request, SparkRuntime runtime, long driverMemory, boolean reportEvents) {
        Sandbox.RunUser user = sandbox.acquire();
        try {
            Sandbox.RunDirs dirs = sandbox.prepareRunDir(runDir, user);
            sandbox.createUserFile(runDir.resolve(DriverFiles.EVENTS), user);
            SparkSubmitCommand driver = SparkSubmitCommand.of(config.javaHome(), runtime)
                    .jvmOptions(sandbox.jvmOptions(dirs.scratch()))
                    .heap(driverMemory)
                    .master(local.master())
                    .application(request.name(), request.application().mainClass())
                    .conf(sparkConf(request, runDir, dirs.scratch(), driverMemory, reportEvents))
                    .jar(request.application().usesPlatformJar() ? runtime.coreEtlJar().toString()
                            : request.application().jar(), request.application().args());
            Path argFile = runDir.resolve(ARGS_FILE);
            sandbox.writeUserFile(argFile, driver.argFile(), user);
            Path logFile = runDir.resolve(LOG_FILE);
            if (!Files.exists(logFile)) {
                // The server's alone from the first byte: the driver writes it through the descriptor it inherits.
                Files.createFile(logFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.writeString(logFile, header(request, runtime, driverMemory, driver.redactedArguments(), user),
                    StandardCharsets.UTF_8, StandardOpenOption.APPEND);

            List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", WRAPPER, "dcp-driver"));
            command.addAll(sandbox.command(user, driver.command(argFile)));
            ProcessBuilder builder = new ProcessBuilder(Processes.inSchedulingGroup(SparkSubmitCommand.NICENESS, command))
                    .directory(runDir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectErrorStream(true);
            // A local driver listens on loopback only.
            driver.environment(builder.environment(), request.envVars(), "127.0.0.1");
            sandbox.environment(builder.environment(), user, dirs.scratch());
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

    /** The run folder of an execution. */
    Path runDir(String executionId) {
        return config.runsDir().resolve(executionId);
    }

    /** The process id the driver wrapper wrote into {@code runDir} when it started, if it did. */
    static Optional<Long> recordedPid(Path runDir) {
        return LogFiles.readIfExists(runDir.resolve(PID_FILE))
                .map(String::strip)
                .filter(text -> text.matches("[0-9]+"))
                .map(Long::parseLong);
    }

    private Map<String, String> sparkConf(LaunchRequest request, Path runDir, Path scratch, long driverMemory,
            boolean reportEvents) {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("spark.sql.shuffle.partitions", Integer.toString(local.shufflePartitions()));
        conf.putAll(request.sparkConf());
        conf.putAll(config.catalog().sparkConf());
        conf.put("spark.driver.host", "127.0.0.1");
        conf.put("spark.driver.bindAddress", "127.0.0.1");
        conf.put("spark.driver.memory", ByteSize.toMebibytes(driverMemory));
        conf.put("spark.ui.port", Integer.toString(Processes.freePort(4040)));
        // Other local processes (other teams' drivers) may not talk to this driver's RPC and block manager (the secret
        // is generated per application), nor kill its stages through its UI.
        conf.put("spark.authenticate", "true");
        conf.put("spark.ui.killEnabled", "false");
        conf.put("spark.local.dir", scratch.toString());
        // Tables the job writes stay writable by the next run's user (all run users share the warehouse's group).
        conf.put("spark.hadoop.fs.permissions.umask-mode", "002");
        conf.putAll(DriverConf.forDriver(request.executionId(), request.team(),
                reportEvents ? runDir.resolve(DriverFiles.EVENTS).toString() : null,
                !request.application().usesPlatformJar(), request.sparkConf().get("spark.extraListeners")));
        return conf;
    }

    private static String header(LaunchRequest request, SparkRuntime runtime, long driverMemory, List<String> arguments,
            Sandbox.RunUser user) {
        return "=== dcp: execution " + request.executionId() + " of '" + request.name() + "' (team " + request.team()
                + ") on backend local, Spark " + runtime.sparkVersion() + ", driver memory "
                + ByteSize.toMebibytes(driverMemory) + " (asked " + ByteSize.toMebibytes(request.driverMemoryBytes())
                + "), started " + Instant.now() + "\n"
                + (user.isServer() ? "" : "=== dcp: runs as OS user " + user.name() + " (uid " + user.uid() + ")\n")
                + "=== dcp: env vars set by the job: " + String.join(", ", request.envVars().keySet()) + "\n"
                + "=== dcp: java " + String.join(" ", arguments) + "\n";
    }
}
