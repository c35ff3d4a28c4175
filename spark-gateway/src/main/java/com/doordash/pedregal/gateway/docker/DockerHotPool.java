package com.doordash.pedregal.gateway.docker;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.gateway.Application;
import com.doordash.pedregal.gateway.LaunchRequest;
import com.doordash.pedregal.gateway.PoolStatus;
import com.doordash.pedregal.gateway.SparkRuntimes;
import com.doordash.pedregal.gateway.internal.DockerEngine;
import com.doordash.pedregal.gateway.internal.DriverEvents;
import com.doordash.pedregal.gateway.internal.LogFiles;
import com.doordash.pedregal.gateway.internal.Sandbox;
import com.doordash.pedregal.gateway.internal.SparkContainers;
import com.doordash.pedregal.gateway.internal.WarmDrivers;
import com.doordash.pedregal.gateway.internal.WarmPool;
import com.doordash.pedregal.gateway.local.HotPoolConfig;
import com.doordash.pedregal.model.ByteSize;
import com.doordash.pedregal.model.concurrent.Daemons;
import com.doordash.pedregal.model.driver.DriverClasses;
import com.doordash.pedregal.model.driver.DriverFiles;
import com.github.dockerjava.api.model.Container;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warm driver containers of the docker backend, per runtime and namespace. A warm container runs {@code WarmDriverMain}
 * from the runtime image, as a run user of its own, with its folder {@code <runs-dir>/.docker-pool/<id>} mounted at
 * {@code /dcp/run}: it warms up (a Spark session with the catalog, a first query planned) and waits for one job.
 *
 * <p>Handing a job over renames the container after the execution, lowers its CPU limit to the cores the job asked,
 * renames its folder to the job's run folder (the mount follows the folder) and writes the assignment there: from then
 * on the run is an ordinary docker run — status, logs, cancel and re-attach after a restart work as for a cold one. The
 * driver runs that one job and exits. A job starts cold when it asks more heap or cores than a warm container has, or
 * needs a driver of its own ({@link WarmDrivers#whyCold}). A background task keeps every pool at its size, grows it
 * when a job started cold for want of an idle container (up to {@code max-size}), shrinks it back after
 * {@code idle-timeout}, and replaces containers that die or never get ready. Idle containers a stopped platform left
 * are removed when the backend starts.
 */
final class DockerHotPool implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DockerHotPool.class);
    static final String POOL_DIR = ".docker-pool";
    /** Label of a warm container: its warm id. Its folder under {@link #POOL_DIR} exists until it is handed a job. */
    static final String LABEL_WARM = "com.doordash.pedregal.warm-driver";
    private static final long REFILL_MILLIS = 500;
    private static final long ACK_TIMEOUT_MILLIS = 5_000;
    /**
     * The CPU weights of a warming container and of a job's: a container warming up yields the CPUs to jobs at once (the
     * engine's default weight is 1024), as local warm drivers run at the lowest priority.
     */
    private static final int WARMING_CPU_SHARES = 2;
    private static final int JOB_CPU_SHARES = 1024;
    /** How long a pool waits before it tries again to start a container after a start failed. */
    private static final long START_RETRY_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final DockerBackend backend;
    private final DockerEngine engine;
    private final Sandbox sandbox;
    private final DockerConfig.HotPool config;
    private final Path poolDir;
    private final Map<String, WarmPool<WarmContainer>> pools = new LinkedHashMap<>();
    /** When each pool's last container start failed, {@link System#nanoTime()}. */
    private final Map<String, Long> failedStarts = new java.util.concurrent.ConcurrentHashMap<>();
    private final ScheduledExecutorService refiller;

    DockerHotPool(DockerBackend backend, DockerEngine engine, Sandbox sandbox, DockerConfig.HotPool config,
            SparkRuntimes runtimes, Path runsDir) {
        this.backend = requireNonNull(backend, "backend is null");
        this.engine = requireNonNull(engine, "engine is null");
        this.sandbox = requireNonNull(sandbox, "sandbox is null");
        this.config = requireNonNull(config, "config is null");
        this.poolDir = runsDir.resolve(POOL_DIR);
        for (HotPoolConfig.Pool pool : config.pools()) {
            if (!runtimes.versions().contains(pool.sparkVersion())) {
                throw new IllegalArgumentException("gateway.docker.hot-pool.pools: runtime \"" + pool.sparkVersion()
                        + "\" does not exist (runtimes: " + String.join(", ", runtimes.versions()) + ")");
            }
            pools.put(WarmPool.key(pool.sparkVersion(), pool.namespace()),
                    new WarmPool<>(pool.sparkVersion(), pool.namespace(), pool.size(), config.maxSize()));
        }
        this.refiller = Executors.newSingleThreadScheduledExecutor(Daemons.named("dcp-docker-hot-pool"));
    }

    /** Removes the idle warm containers a stopped platform left, then fills the pools in the background. */
    void start() {
        removeLeftovers();
        try {
            // Searchable, not listable: a run finds its own folder, not the warm drivers' names.
            Files.createDirectories(poolDir);
            Files.setPosixFilePermissions(poolDir, PosixFilePermissions.fromString("rwx--x--x"));
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot create " + poolDir, e);
        }
        if (!pools.isEmpty()) {
            log.info("Docker hot pools: {} ({} heap, {} cores each)", pools.values().stream()
                            .map(pool -> pool + "=" + pool.size() + " (up to " + pool.max() + ")").toList(),
                    ByteSize.toMebibytes(config.driverMemory()), config.driverCores());
            refiller.scheduleWithFixedDelay(this::refillSafely, 0, REFILL_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Hands {@code request} to an idle warm container of its runtime and namespace (or, for a namespace without a pool
     * of its own, of the runtime's {@code default} pool): the container's id, which now runs the job. Empty when no pool
     * serves it, the job needs a container of its own, or none is idle — the caller starts one cold.
     */
    Optional<String> handOff(LaunchRequest request) {
        WarmPool<WarmContainer> pool = servingPool(request.sparkVersion(), request.namespace());
        if (pool == null || WarmDrivers.isPlatformTool(request.application())) {
            return Optional.empty();
        }
        Optional<String> whyCold = whyCold(request);
        WarmContainer warm;
        try {
            warm = whyCold.isPresent() ? null : pool.takeIdle(this::discard);
        }
        catch (RuntimeException e) {
            log.warn("Cannot take a warm container of pool {}; execution {} starts cold: {}", pool,
                    request.executionId(), e.toString());
            warm = null;
        }
        if (warm == null) {
            pool.countColdStart();
            log.info("Execution {} starts cold: {}", request.executionId(),
                    whyCold.orElse("no idle warm container in pool " + pool));
            if (whyCold.isEmpty()) {
                grow(pool, "a job started cold for want of an idle one");
            }
            return Optional.empty();
        }
        long handOffStart = System.nanoTime();
        Path runDir = backend.runDir(request.executionId());
        try {
            // Renamed first: a platform stopped in the middle finds the container by its new name, or the folder idle.
            engine.rename(warm.containerId, "dcp-" + request.executionId());
            // From now on a job's container: the cores it asked, the weight of any other.
            engine.setCpus(warm.containerId, request.driverCores(), JOB_CPU_SHARES);
            Files.writeString(warm.dir.resolve(DockerBackend.LOG_FILE), "=== dcp: execution " + request.executionId()
                    + " of '" + request.name() + "' (team " + request.team() + ") handed to warm container " + warm.id
                    + " (pool " + pool + ", " + request.driverCores() + " cores) at " + Instant.now() + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            Files.move(warm.dir, runDir, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (IOException | RuntimeException e) {
            log.warn("Cannot hand execution {} to warm container {}; starting it cold: {}", request.executionId(), warm.id,
                    e.toString());
            discard(warm);
            if (Files.exists(runDir)) {
                sandbox.seal(runDir);
                Sandbox.deleteTree(runDir);
            }
            pool.countColdStart();
            return Optional.empty();
        }
        try {
            // The driver reads it from its working directory, written so that it appears whole, for its user alone.
            sandbox.writeUserFile(runDir.resolve(Sandbox.WORK_DIR).resolve(DriverFiles.ASSIGNMENT),
                    WarmDrivers.assignment(request, SparkContainers.RUN_DIR.resolve(DriverFiles.EVENTS).toString(), null,
                            false).toJson(), warm.user);
        }
        catch (RuntimeException e) {
            log.warn("Cannot hand execution {} to warm container {}; starting it cold: {}", request.executionId(), warm.id,
                    e.toString());
            engine.remove(warm.containerId);
            sandbox.seal(runDir);
            Sandbox.deleteTree(runDir);
            pool.countColdStart();
            return Optional.empty();
        }
        long handOffMillis = awaitAcknowledgement(runDir, warm.containerId, handOffStart);
        pool.countHandOff(handOffMillis);
        log.info("Handed execution {} to warm container {} ({}) of pool {} in {} ms", request.executionId(), warm.id,
                DockerBackend.shortId(warm.containerId), pool, handOffMillis);
        return Optional.of(warm.containerId);
    }

    /** Why {@code request} cannot run in a warm container of this backend, or empty when it can. */
    Optional<String> whyCold(LaunchRequest request) {
        Optional<String> why = WarmDrivers.whyCold(request);
        if (why.isPresent()) {
            return why;
        }
        if (request.driverMemoryBytes() > config.driverMemory()) {
            return Optional.of("the job asks " + ByteSize.toMebibytes(request.driverMemoryBytes())
                    + " of driver memory; warm containers have " + ByteSize.toMebibytes(config.driverMemory()));
        }
        if (request.driverCores() > config.driverCores()) {
            return Optional.of("the job asks " + request.driverCores() + " driver cores; warm containers have "
                    + config.driverCores());
        }
        return Optional.empty();
    }

    /** Waits until the driver reports the job running (or its container ends); the hand-off time in milliseconds. */
    private long awaitAcknowledgement(Path runDir, String containerId, long handOffStart) {
        long deadline = handOffStart + TimeUnit.MILLISECONDS.toNanos(ACK_TIMEOUT_MILLIS);
        Path events = runDir.resolve(DriverFiles.EVENTS);
        long nextLivenessCheck = System.nanoTime();
        try {
            while (System.nanoTime() < deadline) {
                if (DriverEvents.read(events).running()) {
                    break;
                }
                if (System.nanoTime() >= nextLivenessCheck) {
                    if (!isRunning(containerId)) {
                        break;
                    }
                    nextLivenessCheck = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(250);
                }
                Thread.sleep(2);
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        catch (RuntimeException e) {
            log.warn("Cannot follow the hand-off to container {}: {}", DockerBackend.shortId(containerId), e.toString());
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - handOffStart);
    }

    private boolean isRunning(String containerId) {
        return engine.inspect(containerId).map(container -> Boolean.TRUE.equals(container.getState().getRunning()))
                .orElse(false);
    }

    /** The pools' state. */
    List<PoolStatus> status() {
        return pools.values().stream().map(pool -> pool.status(DockerBackend.NAME)).toList();
    }

    /**
     * Jobs of {@code namespace} are about to come: each pool that would serve them grows by one warm container, as a
     * cold start would make it; it gives the container back after its idle timeout if no job came.
     */
    void anticipate(String namespace) {
        WarmPool.servingNamespace(pools, namespace)
                .forEach(pool -> grow(pool, "jobs of namespace " + namespace + " are about to come"));
    }

    @Override
    public void close() {
        Daemons.shutdown(refiller, Duration.ofSeconds(10));
        for (WarmPool<WarmContainer> pool : pools.values()) {
            pool.drain().forEach(this::discard);
        }
    }

    private WarmPool<WarmContainer> servingPool(String sparkVersion, String namespace) {
        return WarmPool.serving(pools, sparkVersion, namespace);
    }

    private void grow(WarmPool<WarmContainer> pool, String why) {
        if (pool.grow()) {
            log.info("Docker pool {} grows to {} warm containers: {}", pool, pool.target(), why);
        }
    }

    private void refillSafely() {
        for (WarmPool<WarmContainer> pool : pools.values()) {
            try {
                refill(pool);
            }
            catch (RuntimeException e) {
                log.warn("Cannot refill docker pool {}; retrying: {}", pool, e.toString());
            }
        }
    }

    private void refill(WarmPool<WarmContainer> pool) {
        for (WarmContainer warm : pool.checkDrivers(config.startTimeout().toNanos())) {
            log.warn("Warm container {} of pool {} {}; replacing it. Its log ends with:\n{}", warm.id, pool,
                    warm.isAlive() ? "did not warm up within " + config.startTimeout() : "ended",
                    LogFiles.tail(warm.dir.resolve(DockerBackend.LOG_FILE), 20));
            discard(warm);
        }
        WarmContainer spare = pool.shrinkIfIdle(config.idleTimeout().toNanos());
        if (spare != null) {
            log.info("Docker pool {} shrinks to {} warm containers: none was handed off for {}", pool, pool.target(),
                    config.idleTimeout());
            discard(spare);
        }
        Long failed = failedStarts.get(pool.toString());
        if (failed != null && System.nanoTime() - failed < START_RETRY_NANOS) {
            return;
        }
        while (pool.missing() > 0) {
            try {
                pool.addStarting(startWarmContainer(pool));
                failedStarts.remove(pool.toString());
            }
            catch (RuntimeException e) {
                failedStarts.put(pool.toString(), System.nanoTime());
                log.warn("Cannot start a warm container for docker pool {} (trying again in {} s): {}", pool,
                        TimeUnit.NANOSECONDS.toSeconds(START_RETRY_NANOS), e.toString());
                return;
            }
        }
    }

    private WarmContainer startWarmContainer(WarmPool<WarmContainer> pool) {
        String id = "warm-" + pool.sparkVersion() + "-" + pool.namespace().replaceAll("[^A-Za-z0-9_.-]", "_") + "-"
                + UUID.randomUUID().toString().substring(0, 8);
        Path dir = poolDir.resolve(id);
        LaunchRequest request = new LaunchRequest(id, "dcp-warm-driver-" + pool.sparkVersion() + "-" + pool.namespace(),
                "dcp-system", pool.namespace(), "BATCH", pool.sparkVersion(),
                // No owner process to watch across the container's boundary: the backend removes leftovers at start.
                Application.platformTool(DriverClasses.WARM_DRIVER_MAIN, List.of()),
                Map.of(), Map.of(), config.driverCores(), config.driverMemory());
        DockerBackend.Started started = backend.startContainer(dir, "dcp-" + id, request, Map.of(
                DockerBackend.LABEL_BACKEND, DockerBackend.NAME, LABEL_WARM, id,
                DockerBackend.LABEL_RUNS_DIR, backend.runsDirLabel()), WARMING_CPU_SHARES);
        log.info("Starting warm container {} ({}) for docker pool {}", id, DockerBackend.shortId(started.containerId()),
                pool);
        return new WarmContainer(id, dir, started.containerId(), started.user(), System.nanoTime());
    }

    /** Removes a warm container that never ran a job, and its folder. */
    private void discard(WarmContainer warm) {
        try {
            engine.remove(warm.containerId);
        }
        catch (RuntimeException e) {
            log.warn("Cannot remove warm container {}: {}", warm.id, e.toString());
        }
        if (Files.exists(warm.dir)) {
            sandbox.seal(warm.dir);
            Sandbox.deleteTree(warm.dir);
        }
    }

    /**
     * Removes the warm containers a stopped platform left idle (their folder is still in the pool), and folders of the
     * pool without a container. Containers handed a job carry their execution's name and are followed as its run.
     */
    private void removeLeftovers() {
        String runsDir = backend.runsDirLabel();
        for (Container container : engine.withLabel(LABEL_WARM)) {
            String id = container.getLabels().get(LABEL_WARM);
            if (!runsDir.equals(container.getLabels().get(DockerBackend.LABEL_RUNS_DIR)) || id == null) {
                continue; // another platform's
            }
            if (Files.exists(poolDir.resolve(id)) || handedOffExecution(container).isEmpty()) {
                log.info("Removing warm container {} ({}) left idle by an earlier run", id,
                        DockerBackend.shortId(container.getId()));
                engine.remove(container.getId());
            }
        }
        if (!Files.isDirectory(poolDir)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(poolDir)) {
            for (Path dir : dirs.toList()) {
                sandbox.seal(dir);
                Sandbox.deleteTree(dir);
            }
        }
        catch (IOException e) {
            log.warn("Cannot clean {}: {}", poolDir, e.toString());
        }
    }

    /** The execution a warm container was handed (its name, {@code dcp-<execution id>}), or empty while it is idle. */
    static Optional<String> handedOffExecution(Container container) {
        if (container.getNames() == null) {
            return Optional.empty();
        }
        return Stream.of(container.getNames())
                .map(name -> name.startsWith("/") ? name.substring(1) : name)
                .filter(name -> name.startsWith("dcp-") && !name.startsWith("dcp-warm-"))
                .map(name -> name.substring("dcp-".length()))
                .findFirst();
    }


    /** A warm container: its id in the pool, its folder, the engine's id, its run user. */
    private final class WarmContainer implements WarmPool.Warm {
        private final String id;
        private final Path dir;
        private final String containerId;
        private final Sandbox.RunUser user;
        private final long startedNanos;

        WarmContainer(String id, Path dir, String containerId, Sandbox.RunUser user, long startedNanos) {
            this.id = id;
            this.dir = dir;
            this.containerId = containerId;
            this.user = user;
            this.startedNanos = startedNanos;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public long startedNanos() {
            return startedNanos;
        }

        @Override
        public boolean isAlive() {
            return isRunning(containerId);
        }

        @Override
        public boolean isReady() {
            return Files.exists(dir.resolve(Sandbox.WORK_DIR).resolve(DriverFiles.READY));
        }
    }
}
