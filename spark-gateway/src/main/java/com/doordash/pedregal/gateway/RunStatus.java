package com.doordash.pedregal.gateway;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.model.JobMetrics;

/**
 * A backend's view of a run.
 *
 * @param state where the driver is
 * @param sparkUiUrl the Spark UI while the application runs, or null
 * @param message why the run failed or was lost, or null
 * @param metrics what the Spark application did: while it runs, the newest progress it reported (counting the
 *     tasks finished so far); once it ended, its final metrics (or, when it ended without reporting them, the
 *     newest progress); null when it reported nothing yet
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
