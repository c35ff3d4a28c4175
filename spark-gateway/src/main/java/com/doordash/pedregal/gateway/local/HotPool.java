package com.doordash.pedregal.gateway.local;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.gateway.Application;
import com.doordash.pedregal.gateway.GatewayConfig;
import com.doordash.pedregal.gateway.LaunchRequest;
import com.doordash.pedregal.gateway.PoolStatus;
import com.doordash.pedregal.gateway.SparkRuntime;
import com.doordash.pedregal.gateway.SparkRuntimes;
import com.doordash.pedregal.gateway.internal.DriverEvents;
import com.doordash.pedregal.gateway.internal.LogFiles;
import com.doordash.pedregal.gateway.internal.Processes;
import com.doordash.pedregal.gateway.internal.Sandbox;
import com.doordash.pedregal.gateway.internal.WarmDrivers;
import com.doordash.pedregal.gateway.internal.WarmPool;
import com.doordash.pedregal.model.ByteSize;
import com.doordash.pedregal.model.concurrent.Daemons;
import com.doordash.pedregal.model.driver.Assignment;
import com.doordash.pedregal.model.driver.DriverClasses;
import com.doordash.pedregal.model.driver.DriverFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pre-started ("warm") drivers of the local backend, per runtime and namespace. A warm driver is a Spark driver
 * JVM running {@code WarmDriverMain}, already warmed up, waiting in its own folder {@code <runs-dir>/.pool/<id>}
 * for one job. Handing a job over renames that folder to the job's run folder (the driver's log, pid and exit
 * files move with it; the process keeps its working directory) and writes the assignment there: from then on the
 * run is an ordinary local run — status, logs, cancel and re-attach after a restart work the same as for a cold
 * one. The driver runs that one job and exits; a background task keeps every pool at its size and replaces warm
 * drivers that die or never get ready.
 */
final class HotPool implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HotPool.class);
    static final String POOL_DIR = ".pool";
    private static final long REFILL_MILLIS = 200;
    /** The most jobs one warm driver runs (of one team in one namespace) before it exits. */
    static final int MAX_JOBS_PER_DRIVER = 20;
    /** How long a driver that ran a job waits for its team's next one before it is stopped. */
    static final int REUSE_IDLE_SECONDS = 60;
    private static final long ACK_TIMEOUT_MILLIS = 5_000;

    private final DriverLauncher launcher;
    private final GatewayConfig config;
    private final SparkRuntimes runtimes;
    private final LocalConfig local;
    private final HotPoolConfig poolConfig;
    private final Map<String, WarmPool<WarmDriver>> pools = new LinkedHashMap<>();
    /** Drivers running a job, by execution id. */
    private final Map<String, Lent> lent = new ConcurrentHashMap<>();
    /** Drivers that ran a job and wait for their team's next one; guarded by itself. */
    private final Map<Affinity, Deque<Lent>> affine = new HashMap<>();
    /** Drivers that ran their last job and are exiting. */
    private final List<Lent> retiring = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService refiller;

    HotPool(DriverLauncher launcher, GatewayConfig config, LocalConfig local, SparkRuntimes runtimes) {
        this.launcher = requireNonNull(launcher, "launcher is null");
        this.config = requireNonNull(config, "config is null");
        this.runtimes = requireNonNull(runtimes, "runtimes is null");
        this.local = requireNonNull(local, "local is null");
        this.poolConfig = local.hotPool();
        for (HotPoolConfig.Pool pool : poolConfig.pools()) {
            if (!runtimes.versions().contains(pool.sparkVersion())) {
                throw new IllegalArgumentException("gateway.hot-pool.pools: runtime \"" + pool.sparkVersion()
                        + "\" does not exist (runtimes: " + String.join(", ", runtimes.versions()) + ")");
            }
            pools.put(WarmPool.key(pool.sparkVersion(), pool.namespace()),
                    new WarmPool<>(pool.sparkVersion(), pool.namespace(), pool.size(), poolConfig.maxSize()));
        }
        this.refiller = Executors.newSingleThreadScheduledExecutor(Daemons.named("dcp-hot-pool"));
    }

    /** Removes warm drivers a previous run of the platform left, then fills the pools in the background. */
    void start() {
        stopLeftovers();
        try {
            // Searchable, not listable: a run finds its own folder, not the warm drivers' names.
            Files.createDirectories(poolDir());
            Files.setPosixFilePermissions(poolDir(), java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot create " + poolDir(), e);
        }
        if (!pools.isEmpty()) {
            log.info("Hot pools: {}", pools.values().stream().map(pool -> pool + "=" + pool.size() + " (up to " + pool.max() + ")")
                    .toList());
            refiller.scheduleWithFixedDelay(this::refillSafely, 0, REFILL_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Hands {@code request} to a warm driver: one that just ran a job of the same team in the same namespace and runtime
     * (with {@code gateway.hot-pool.reuse}), else an idle one of its runtime and namespace — or, for a namespace without
     * a pool of its own (a playground's), of the runtime's {@code default} pool. A driver never serves two teams or two
     * namespaces: its write wall is armed by its first job and refuses any other scope. Empty when there is no such
     * pool, the job needs a driver of its own (see {@link #whyCold}), or no warm driver is idle. Else the driver's
     * wrapper process, which now runs the job.
     */
    Optional<ProcessHandle> handOff(LaunchRequest request) {
        WarmPool<WarmDriver> pool = servingPool(request.sparkVersion(), request.namespace());
        if (pool == null || WarmDrivers.isPlatformTool(request.application())) {
            return Optional.empty();
        }
        Optional<String> whyCold = whyCold(request);
        if (whyCold.isEmpty() && poolConfig.reuse()) {
            Lent reused = takeAffine(new Affinity(request.sparkVersion(), request.namespace(), request.team()));
            if (reused != null) {
                Optional<ProcessHandle> process = handToReused(reused, request, pool);
                if (process.isPresent()) {
                    return process;
                }
            }
        }
        WarmDriver driver = whyCold.isPresent() ? null : pool.takeIdle(this::discard);
        if (driver == null) {
            pool.countColdStart();
            log.info("Execution {} starts cold: {}", request.executionId(),
                    whyCold.orElse("no idle warm driver in pool " + pool));
            if (whyCold.isEmpty()) {
                grow(pool, "a job started cold for want of an idle one");
            }
            return Optional.empty();
        }
        long handOffStart = System.nanoTime();
        Path runDir = launcher.runDir(request.executionId());
        try {
            Files.writeString(driver.dir.resolve(DriverLauncher.LOG_FILE), "=== dcp: execution " + request.executionId()
                    + " of '" + request.name() + "' (team " + request.team() + ") handed to warm driver " + driver.id
                    + " (pool " + pool + ") at " + Instant.now() + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            Files.move(driver.dir, runDir, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (IOException e) {
            log.warn("Cannot hand execution {} to warm driver {}; starting it cold", request.executionId(), driver.id, e);
            discard(driver);
            pool.countColdStart();
            return Optional.empty();
        }
        Lent lentOut = new Lent(driver, runDir, runDir.resolve(Sandbox.WORK_DIR),
                new Affinity(request.sparkVersion(), request.namespace(), request.team()), 1, 0);
        lent.put(request.executionId(), lentOut);
        writeAssignment(runDir, lentOut.workDir(), request, driver.user, null, lentOut.reusable(poolConfig));
        long handOffMillis = awaitAcknowledgement(runDir, driver, handOffStart);
        pool.countHandOff(handOffMillis);
        log.info("Handed execution {} to warm driver {} (process {}) of pool {} in {} ms", request.executionId(),
                driver.id, driver.process.pid(), pool, handOffMillis);
        return Optional.of(driver.process);
    }

    /**
     * Starts a driver for {@code request} that can serve its team's next jobs afterwards: a warm driver that skips its
     * warm-up and takes the job at once ({@code --assigned}). Empty when reuse is off, no pool serves the job's runtime
     * and namespace, or the job needs a driver of its own ({@link #whyCold}); the caller then starts an ordinary driver.
     */
    Optional<ProcessHandle> startReusable(LaunchRequest request) {
        if (!poolConfig.reuse() || servingPool(request.sparkVersion(), request.namespace()) == null
                || WarmDrivers.isPlatformTool(request.application()) || whyCold(request).isPresent()) {
            return Optional.empty();
        }
        Path runDir = launcher.runDir(request.executionId());
        SparkRuntime runtime = runtimes.runtime(request.sparkVersion());
        LaunchRequest driverRequest = new LaunchRequest(request.executionId(), request.name(), request.team(),
                request.namespace(), request.jobType(), request.sparkVersion(),
                Application.platformTool(DriverClasses.WARM_DRIVER_MAIN, List.of("--owner-pid",
                        Long.toString(ProcessHandle.current().pid()), "--assigned")),
                Map.of(), Map.of(), 1, warmDriverMemory());
        DriverLauncher.DriverProcess started = launcher.start(runDir, driverRequest, runtime, warmDriverMemory(), false);
        WarmDriver driver = new WarmDriver("driver-" + request.executionId(), runDir, started.process(), started.user(),
                System.nanoTime());
        Lent out = new Lent(driver, runDir, runDir.resolve(Sandbox.WORK_DIR),
                new Affinity(request.sparkVersion(), request.namespace(), request.team()), 1, 0);
        lent.put(request.executionId(), out);
        writeAssignment(runDir, out.workDir(), request, driver.user, null, out.reusable(poolConfig));
        log.info("Started driver of execution {} as process {} (runtime {}); it takes its team's next jobs afterwards",
                request.executionId(), started.process().pid(), runtime.version());
        return Optional.of(started.process());
    }

    /**
     * Hands {@code request} to {@code reused}, which just ran a job of the same team, namespace and runtime: the job gets
     * a run folder of its own (its log, events and pid), and the assignment goes where the driver waits.
     */
    private Optional<ProcessHandle> handToReused(Lent reused, LaunchRequest request, WarmPool<WarmDriver> pool) {
        long handOffStart = System.nanoTime();
        WarmDriver driver = reused.driver();
        Path runDir = launcher.runDir(request.executionId());
        Path logFile = runDir.resolve(DriverLauncher.LOG_FILE);
        try {
            Files.createDirectory(runDir);
            Files.writeString(logFile, "=== dcp: execution " + request.executionId() + " of '" + request.name() + "' (team "
                    + request.team() + ") handed to warm driver " + driver.id + " (pool " + pool + "), its job "
                    + (reused.jobs() + 1) + " for this team in namespace " + request.namespace() + ", at " + Instant.now()
                    + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
            launcher.sandbox().createUserFile(logFile, driver.user);
            launcher.sandbox().createUserFile(runDir.resolve(DriverFiles.EVENTS), driver.user);
            Files.writeString(runDir.resolve(DriverLauncher.PID_FILE), driver.process.pid() + "\n", StandardCharsets.UTF_8);
        }
        catch (IOException | UncheckedIOException e) {
            log.warn("Cannot hand execution {} to warm driver {} again; it is stopped", request.executionId(), driver.id, e);
            retire(reused, true);
            return Optional.empty();
        }
        Lent next = new Lent(driver, reused.originDir(), reused.workDir(), reused.affinity(), reused.jobs() + 1, 0);
        lent.put(request.executionId(), next);
        writeAssignment(runDir, next.workDir(), request, driver.user, logFile.toString(), next.reusable(poolConfig));
        long handOffMillis = awaitAcknowledgement(runDir, driver, handOffStart);
        pool.countHandOff(handOffMillis);
        log.info("Handed execution {} to warm driver {} (process {}) again, its job {} of team {} in namespace {}, in {} ms",
                request.executionId(), driver.id, driver.process.pid(), next.jobs(), request.team(), request.namespace(),
                handOffMillis);
        return Optional.of(driver.process);
    }

    /** Why {@code request} cannot run on a warm driver of this pool, or empty when it can. */
    Optional<String> whyCold(LaunchRequest request) {
        Optional<String> why = WarmDrivers.whyCold(request);
        if (why.isPresent()) {
            return why;
        }
        // A cold driver gets at most the local maximum too: a warm one of that size serves every request.
        long granted = Math.min(request.driverMemoryBytes(), local.maxDriverMemory());
        if (granted > warmDriverMemory()) {
            return Optional.of("the job asks " + ByteSize.toMebibytes(request.driverMemoryBytes())
                    + " of driver memory; warm drivers have " + ByteSize.toMebibytes(warmDriverMemory()));
        }
        return Optional.empty();
    }

    private void writeAssignment(Path runDir, Path workDir, LaunchRequest request, Sandbox.RunUser user, String logFile,
            boolean reusable) {
        Assignment assignment = WarmDrivers.assignment(request, runDir.resolve(DriverFiles.EVENTS).toString(), logFile,
                reusable);
        // The driver reads it from its working directory, written so that it appears whole, for its user alone.
        launcher.sandbox().writeUserFile(workDir.resolve(DriverFiles.ASSIGNMENT), assignment.toJson(), user);
    }

    /** Waits until the driver reports the job running (or ends); returns the hand-off time in milliseconds. */
    private static long awaitAcknowledgement(Path runDir, WarmDriver driver, long handOffStart) {
        long deadline = handOffStart + TimeUnit.MILLISECONDS.toNanos(ACK_TIMEOUT_MILLIS);
        Path events = runDir.resolve(DriverFiles.EVENTS);
        while (System.nanoTime() < deadline && driver.process.isAlive()) {
            if (Files.exists(events) && DriverEvents.read(events).running()) {
                break;
            }
            try {
                Thread.sleep(2);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - handOffStart);
    }

    /** The pools' state, as pools of {@code backend}. */
    List<PoolStatus> status(String backend) {
        return pools.values().stream().map(pool -> pool.status(backend)).toList();
    }

    @Override
    public void close() {
        Daemons.shutdown(refiller, Duration.ofSeconds(10));
        for (WarmPool<WarmDriver> pool : pools.values()) {
            pool.drain().forEach(this::discard);
        }
        synchronized (affine) {
            affine.values().forEach(drivers -> drivers.forEach(driver -> retire(driver, true)));
            affine.clear();
        }
    }

    /**
     * Follows the drivers handed off: once one is gone, its first run folder is sealed (its user freed); affine drivers
     * idle for {@value #REUSE_IDLE_SECONDS} s are stopped. That a job ended, the backend says ({@link #ended}): it reads
     * the run's events for its status anyway.
     */
    private void followLent() {
        for (Map.Entry<String, Lent> entry : List.copyOf(lent.entrySet())) {
            if (!entry.getValue().driver().process.isAlive() && lent.remove(entry.getKey(), entry.getValue())) {
                retire(entry.getValue(), false);
            }
        }
        for (Lent out : List.copyOf(retiring)) {
            if (!out.driver().process.isAlive()) {
                retiring.remove(out);
                retire(out, false);
            }
        }
        synchronized (affine) {
            for (Deque<Lent> drivers : affine.values()) {
                drivers.removeIf(out -> {
                    boolean expired = System.nanoTime() - out.idleSinceNanos() > TimeUnit.SECONDS.toNanos(REUSE_IDLE_SECONDS);
                    if (expired || !out.driver().process.isAlive()) {
                        retire(out, true);
                        return true;
                    }
                    return false;
                });
            }
        }
    }

    /**
     * The job of {@code executionId} ended on a handed-off driver (the backend read its ENDED): the driver now waits
     * for its team's next job, or exits after its last. Nothing for a run no warm driver ran.
     */
    void ended(String executionId) {
        Lent out = lent.remove(executionId);
        if (out == null) {
            return;
        }
        if (out.reusable(poolConfig)) {
            synchronized (affine) {
                affine.computeIfAbsent(out.affinity(), key -> new ArrayDeque<>()).addLast(out.idleSince(System.nanoTime()));
            }
        }
        else {
            retiring.add(out);
        }
    }

    /** How many drivers wait for their team's next job. */
    int affineCount() {
        synchronized (affine) {
            return affine.values().stream().mapToInt(Deque::size).sum();
        }
    }

    /** An idle driver that ran a job of {@code affinity}'s team, namespace and runtime, or null. */
    private Lent takeAffine(Affinity affinity) {
        synchronized (affine) {
            Deque<Lent> drivers = affine.get(affinity);
            while (drivers != null && !drivers.isEmpty()) {
                Lent out = drivers.pollLast();
                if (out.driver().process.isAlive()) {
                    return out;
                }
                retire(out, false);
            }
            return null;
        }
    }

    /** Ends a handed-off driver's hold on the machine: stops it (with {@code stop}) and seals its first run folder. */
    private void retire(Lent out, boolean stop) {
        if (stop && out.driver().process.isAlive()) {
            Processes.stopTree(out.driver().process, 0);
        }
        launcher.sandbox().seal(out.originDir());
    }

    private void refillSafely() {
        try {
            followLent();
            for (WarmPool<WarmDriver> pool : pools.values()) {
                refill(pool);
            }
        }
        catch (RuntimeException e) {
            log.warn("Cannot refill the hot pools; retrying", e);
        }
    }

    /**
     * Jobs of {@code namespace} are about to come: each pool that would serve them (the namespace's own, else its
     * runtime's {@code default} pool) grows by one warm driver, as a cold start would make it — the first run of a new
     * playground then starts hot. The pool gives the driver back after its idle timeout if no job came.
     */
    void anticipate(String namespace) {
        WarmPool.servingNamespace(pools, namespace)
                .forEach(pool -> grow(pool, "jobs of namespace " + namespace + " are about to come"));
    }

    /** The pool serving jobs of {@code namespace} on runtime {@code sparkVersion}: its own, else the runtime's default; or null. */
    private WarmPool<WarmDriver> servingPool(String sparkVersion, String namespace) {
        return WarmPool.serving(pools, sparkVersion, namespace);
    }

    /**
     * One more warm driver for {@code pool}, whose jobs outran it (one started cold for want of an idle driver),
     * up to its maximum and within the memory budget of all pools together.
     */
    private void grow(WarmPool<WarmDriver> pool, String why) {
        long budget = poolConfig.memoryBudget() == 0 ? GatewayConfig.physicalMemory() / 2 : poolConfig.memoryBudget();
        synchronized (pools) {
            long held = (pools.values().stream().mapToLong(WarmPool::target).sum() + affineCount()) * warmDriverMemory();
            if (held + warmDriverMemory() > budget) {
                log.info("Pool {} stays at {} warm drivers: one more would pass the memory budget of {}"
                        + " (gateway.hot-pool.memory-budget)", pool, pool.target(), ByteSize.toMebibytes(budget));
                return;
            }
            if (pool.grow()) {
                log.info("Pool {} grows to {} warm drivers: {}", pool, pool.target(), why);
            }
        }
    }

    private void refill(WarmPool<WarmDriver> pool) {
        for (WarmDriver driver : pool.checkDrivers(poolConfig.startTimeout().toNanos())) {
            String reason = driver.isAlive() ? "did not warm up within " + poolConfig.startTimeout() : "died";
            log.warn("Warm driver {} of pool {} {}; replacing it. Its log ends with:\n{}", driver.id, pool, reason,
                    LogFiles.tail(driver.dir.resolve(DriverLauncher.LOG_FILE), 20));
            discard(driver);
        }
        WarmDriver spare = pool.shrinkIfIdle(poolConfig.idleTimeout().toNanos());
        if (spare != null) {
            log.info("Pool {} shrinks to {} warm drivers: none was handed off for {}", pool, pool.target(),
                    poolConfig.idleTimeout());
            discard(spare);
        }
        while (pool.missing() > 0) {
            pool.addStarting(startWarmDriver(pool));
        }
    }

    private WarmDriver startWarmDriver(WarmPool<WarmDriver> pool) {
        String id = "warm-" + pool.sparkVersion() + "-" + pool.namespace() + "-" + UUID.randomUUID().toString().substring(0, 8);
        Path dir = poolDir().resolve(id);
        SparkRuntime runtime = runtimes.runtime(pool.sparkVersion());
        LaunchRequest request = new LaunchRequest(id, "dcp-warm-driver-" + pool.sparkVersion() + "-" + pool.namespace(),
                "dcp-system", pool.namespace(), "BATCH", pool.sparkVersion(),
                Application.platformTool(DriverClasses.WARM_DRIVER_MAIN,
                        List.of("--owner-pid", Long.toString(ProcessHandle.current().pid()))),
                Map.of(), Map.of(), 1, warmDriverMemory());
        DriverLauncher.DriverProcess started = launcher.start(dir, request, runtime, warmDriverMemory(), false);
        log.info("Starting warm driver {} (process {}) for pool {}", id, started.process().pid(), pool);
        return new WarmDriver(id, dir, started.process(), started.user(), System.nanoTime());
    }

    private long warmDriverMemory() {
        long asked = poolConfig.driverMemory();
        return asked == 0 ? local.maxDriverMemory() : Math.min(asked, local.maxDriverMemory());
    }

    private void discard(WarmDriver driver) {
        if (driver.process.isAlive()) {
            Processes.stopTree(driver.process, 0);
        }
        remove(driver.dir);
    }

    /** Stops the idle warm drivers an earlier run of the platform left behind (it was killed, or crashed). */
    private void stopLeftovers() {
        Path poolDir = poolDir();
        if (!Files.isDirectory(poolDir)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(poolDir)) {
            for (Path dir : dirs.toList()) {
                DriverLauncher.recordedPid(dir)
                        .flatMap(ProcessHandle::of)
                        // The wrapper's command line names the driver's argument file in this folder.
                        .filter(process -> process.info().commandLine().orElse("").contains(dir.toString()))
                        .ifPresent(process -> {
                            log.info("Stopping warm driver {} left by an earlier run (process {})", dir.getFileName(),
                                    process.pid());
                            Processes.stopTree(process, 0);
                        });
                remove(dir);
            }
        }
        catch (IOException e) {
            log.warn("Cannot clean {}: {}", poolDir, e.toString());
        }
    }

    private Path poolDir() {
        return config.runsDir().resolve(POOL_DIR);
    }

    /** Removes a warm driver's folder: what its user still runs, its scratch folder, then the folder itself. */
    private void remove(Path dir) {
        launcher.sandbox().seal(dir);
        Sandbox.deleteTree(dir);
    }

    /** Whose jobs a driver that ran one may take next: the same runtime, namespace and team. */
    private record Affinity(String sparkVersion, String namespace, String team) {
    }

    /**
     * A warm driver handed off: where it started (its first run folder holds its user and its exit code), where it
     * waits for its next assignment, whose jobs it may take, how many it ran, since when it waits (affine).
     */
    private record Lent(WarmDriver driver, Path originDir, Path workDir, Affinity affinity, int jobs, long idleSinceNanos) {
        boolean reusable(HotPoolConfig config) {
            return config.reuse() && jobs < MAX_JOBS_PER_DRIVER;
        }

        Lent idleSince(long nanos) {
            return new Lent(driver, originDir, workDir, affinity, jobs, nanos);
        }
    }


    private record WarmDriver(String id, Path dir, ProcessHandle process, Sandbox.RunUser user, long startedNanos)
            implements WarmPool.Warm {
        @Override
        public boolean isAlive() {
            return process.isAlive();
        }

        @Override
        public boolean isReady() {
            return Files.exists(dir.resolve(Sandbox.WORK_DIR).resolve(DriverFiles.READY));
        }
    }
}
