package com.doordash.pedregal.gateway;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * The gateway's SPI: a place that runs Spark drivers. Each backend lives in its own package; the
 * gateway only sees this interface. Implementations must be thread-safe, and must be able to answer
 * {@link #status} for a run they started before a restart of the platform.
 */
public interface SparkBackend {
    /** The backend's name in configuration and in job status, for example {@code local}. */
    String name();

    /** What this backend can ever grant one job, and which runtimes it runs. */
    BackendCapabilities capabilities();

    /** The hot pools of pre-started drivers this backend keeps; empty when it keeps none. */
    default java.util.List<PoolStatus> pools() {
        return java.util.List.of();
    }

    /**
     * Jobs of {@code namespace} are about to come (a playground was just created: its owner is about to run): a
     * backend with hot pools may start a warm driver for them now. Does nothing by default.
     */
    default void anticipate(String namespace) {
    }

    /** Starts a driver for {@code request}; returns once it is started, not when it ends. */
    BackendRun launch(LaunchRequest request);

    /** Where the run is now. Never throws for a run that vanished: that is {@link RunState#LOST}. */
    RunStatus status(BackendRun run);

    /** Stops the run and everything it started; returns once they are gone. Idempotent. */
    void cancel(BackendRun run);

    /** The driver log, whole or its last {@code tailLines} lines. */
    String logs(BackendRun run, OptionalInt tailLines);

    /**
     * A run of {@code executionId} that was started but never recorded (the platform stopped between
     * the two), so that it can be adopted instead of started twice.
     */
    Optional<BackendRun> find(String executionId);

    /** Starts what the backend keeps running beside jobs (hot pools); called once before the first launch. */
    default void start() {
    }

    /** Stops what the backend itself keeps running (pools, clients); runs of jobs are left running. */
    default void close() {
    }
}
