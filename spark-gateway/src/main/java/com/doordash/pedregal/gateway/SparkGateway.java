package com.doordash.pedregal.gateway;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import com.doordash.pedregal.model.ByteSize;

/**
 * The one door to the backends: the router picks the backend of a job, and each run's calls go to the backend that
 * started it.
 */
public final class SparkGateway implements AutoCloseable {
    private final Map<String, SparkBackend> backends = new LinkedHashMap<>();
    private final SparkRuntimes runtimes;
    private final Router router;

    /** A gateway over {@code backends}, sending new jobs where {@code router} says. */
    public SparkGateway(List<SparkBackend> backends, SparkRuntimes runtimes, Router router) {
        requireNonNull(backends, "backends is null");
        this.runtimes = requireNonNull(runtimes, "runtimes is null");
        this.router = requireNonNull(router, "router is null");
        for (SparkBackend backend : backends) {
            if (this.backends.putIfAbsent(backend.name(), backend) != null) {
                throw new IllegalArgumentException("two backends are named " + backend.name());
            }
        }
        checkBackend("gateway.default-backend", router.defaultBackend());
        for (Router.Rule rule : router.rules()) {
            checkBackend("gateway.route." + rule.name() + ".backend", rule.backend());
        }
    }

    private void checkBackend(String key, String name) {
        if (!backends.containsKey(name)) {
            throw new IllegalArgumentException(key + ": \"" + name + "\" is not a backend (backends: "
                    + String.join(", ", backends.keySet()) + ")");
        }
    }

    /** Starts what the backends keep running beside jobs (hot pools). */
    public void start() {
        backends.values().forEach(SparkBackend::start);
    }

    /** Stops what the backends keep running beside jobs; jobs keep running. */
    @Override
    public void close() {
        backends.values().forEach(SparkBackend::close);
    }

    /** The Spark versions jobs may ask for. */
    public Set<String> sparkVersions() {
        return runtimes.versions();
    }

    /** The runtimes, by version. */
    public SparkRuntimes runtimes() {
        return runtimes;
    }

    /** The names of the backends, in order. */
    public Set<String> backendNames() {
        return Collections.unmodifiableSet(backends.keySet());
    }

    /** What the backend named {@code name} can grant one job. */
    public BackendCapabilities capabilities(String name) {
        return backend(name).capabilities();
    }

    /** The hot pools of every backend. */
    public List<PoolStatus> pools() {
        return backends.values().stream().flatMap(backend -> backend.pools().stream()).toList();
    }

    /** Lets every backend prepare for jobs of {@code namespace} (see {@link SparkBackend#anticipate}). */
    public void anticipate(String namespace) {
        backends.values().forEach(backend -> backend.anticipate(namespace));
    }

    /**
     * Where a job with {@code key} runs: the backend the router picks, once checked that it runs the job's runtime and
     * can ever grant {@code resources}. Fails with a {@link PlacementException} for a job that can never run there.
     */
    public Placement place(RouteKey key, ResourceRequest resources) {
        String name = router.route(key);
        BackendCapabilities capabilities = backend(name).capabilities();
        String where = " on backend " + name + ", where jobs of team " + key.team() + " in namespace " + key.namespace()
                + " run";
        if (!runtimes.versions().contains(key.sparkVersion()) || !capabilities.sparkVersions().contains(key.sparkVersion())) {
            Set<String> available = new TreeSet<>(capabilities.sparkVersions());
            available.retainAll(runtimes.versions());
            throw new PlacementException(PlacementException.Resource.SPARK_VERSION, key.sparkVersion(),
                    String.join(", ", available), where);
        }
        checkAtMost(PlacementException.Resource.DRIVER_CORES, resources.driverCores(), capabilities.maxDriverCores(), where);
        checkAtMost(PlacementException.Resource.DRIVER_MEMORY, resources.driverMemory(), capabilities.maxDriverMemory(),
                where);
        checkAtMost(PlacementException.Resource.EXECUTORS, resources.executors(), capabilities.maxExecutors(), where);
        if (resources.executors() > 0) {
            checkAtMost(PlacementException.Resource.EXECUTOR_CORES, resources.executorCores(),
                    capabilities.maxExecutorCores(), where);
            checkAtMost(PlacementException.Resource.EXECUTOR_MEMORY, resources.executorMemory(),
                    capabilities.maxExecutorMemory(), where);
        }
        return new Placement(name, key.sparkVersion());
    }

    private static void checkAtMost(PlacementException.Resource resource, long asked, long most, String where) {
        if (asked > most) {
            boolean memory = resource == PlacementException.Resource.DRIVER_MEMORY
                    || resource == PlacementException.Resource.EXECUTOR_MEMORY;
            throw new PlacementException(resource, memory ? ByteSize.toMebibytes(asked) : Long.toString(asked),
                    memory ? ByteSize.toMebibytes(most) : Long.toString(most), where);
        }
    }

    /** Starts a driver for {@code request} on the backend of its {@code placement}. */
    public BackendRun launch(Placement placement, LaunchRequest request) {
        if (!placement.sparkVersion().equals(request.sparkVersion())) {
            throw new IllegalArgumentException("execution " + request.executionId() + " asks runtime "
                    + request.sparkVersion() + " but was placed for " + placement.sparkVersion());
        }
        return backend(placement.backend()).launch(request);
    }

    /**
     * Starts a driver for one of the platform's own short tasks (demo data, a playground's tables) where the router
     * sends it. Jobs are placed when they are accepted and launched with {@link #launch(Placement, LaunchRequest)}.
     */
    public BackendRun launch(LaunchRequest request) {
        return launch(new Placement(router.route(request.routeKey()), request.sparkVersion()), request);
    }

    /** Where {@code run} is now. */
    public RunStatus status(BackendRun run) {
        return backend(run.backend()).status(run);
    }

    /** Stops {@code run}; returns once its processes are gone. */
    public void cancel(BackendRun run) {
        backend(run.backend()).cancel(run);
    }

    /** The driver log of {@code run}, whole or its last lines. */
    public String logs(BackendRun run, OptionalInt tailLines) {
        return backend(run.backend()).logs(run, tailLines);
    }

    /**
     * Waits until {@code run} ends and returns its final status; on timeout, stops the run and fails.
     * For the platform's own short tasks (demo data, inspection), not for jobs: jobs are followed by the runner.
     */
    public RunStatus awaitEnd(BackendRun run, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            RunStatus status = status(run);
            if (status.state().isFinal()) {
                return status;
            }
            if (System.nanoTime() > deadline) {
                cancel(run);
                throw new IllegalStateException("execution " + run.executionId() + " did not end within " + timeout);
            }
            try {
                Thread.sleep(100);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                cancel(run);
                throw new IllegalStateException("interrupted while waiting for execution " + run.executionId(), e);
            }
        }
    }

    /** A run of {@code executionId} started on any backend but never recorded. */
    public Optional<BackendRun> find(String executionId) {
        return backends.values().stream().flatMap(backend -> backend.find(executionId).stream()).findFirst();
    }

    private SparkBackend backend(String name) {
        SparkBackend backend = backends.get(name);
        if (backend == null) {
            throw new IllegalStateException("no backend named " + name + " is configured");
        }
        return backend;
    }
}
