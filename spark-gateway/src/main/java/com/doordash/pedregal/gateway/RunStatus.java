package com.doordash.pedregal.gateway;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.model.JobMetrics;

/**
 * A backend's view of a run.
 *
 * @param state where the driver is
 * @param sparkUiUrl the Spark UI while the application runs, or null
 * @param message why the run failed or was lost, or null
 * @param metrics what the Spark application did, once it ended and reported it, or null
 */
public record RunStatus(RunState state, String sparkUiUrl, String message, JobMetrics metrics) {
    public RunStatus {
        requireNonNull(state, "state is null");
    }

    /** A status without metrics. */
    public RunStatus(RunState state, String sparkUiUrl, String message) {
        this(state, sparkUiUrl, message, null);
    }
}
