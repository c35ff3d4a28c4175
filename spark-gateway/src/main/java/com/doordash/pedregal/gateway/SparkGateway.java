package com.doordash.pedregal.gateway;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The one door to the backends: picks the backend for a job and forwards each run's calls to the
 * backend that started it.
 */
public final class SparkGateway {
    private final Map<String, SparkBackend> backends = new LinkedHashMap<>();
    private final SparkRuntimes runtimes;
    private final String defaultBackend;

    /** A gateway over {@code backends}, sending new jobs to {@code defaultBackend}. */
    public SparkGateway(List<SparkBackend> backends, SparkRuntimes runtimes, String defaultBackend) {
        requireNonNull(backends, "backends is null");
        this.runtimes = requireNonNull(runtimes, "runtimes is null");
        this.defaultBackend = requireNonNull(defaultBackend, "defaultBackend is null");
        for (SparkBackend backend : backends) {
            if (this.backends.putIfAbsent(backend.name(), backend) != null) {
                throw new IllegalArgumentException("two backends are named " + backend.name());
            }
        }
        if (!this.backends.containsKey(defaultBackend)) {
            throw new IllegalArgumentException("gateway.default-backend: \"" + defaultBackend
                    + "\" is not a backend (backends: " + String.join(", ", this.backends.keySet()) + ")");
        }
    }

    /** The Spark versions jobs may ask for. */
    public Set<String> sparkVersions() {
        return runtimes.versions();
    }

    /** The backend a job of {@code team} on {@code sparkVersion} goes to. */
    public String route(String team, String sparkVersion) {
        runtimes.runtime(sparkVersion);
        return defaultBackend;
    }

    /** Starts a driver for {@code request} on its backend. */
    public BackendRun launch(LaunchRequest request) {
        return backend(route(request.team(), request.sparkVersion())).launch(request);
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
