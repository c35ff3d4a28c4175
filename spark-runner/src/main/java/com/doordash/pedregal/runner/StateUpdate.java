package com.doordash.pedregal.runner;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.gateway.BackendRun;
import com.doordash.pedregal.model.JobMetrics;
import com.doordash.pedregal.model.JobState;
import java.time.Instant;

/**
 * A state change to store, with what changes with it.
 *
 * @param state the new state
 * @param at when
 * @param reason why, for the history
 * @param run the backend run, when the job was just launched
 * @param sparkUiUrl the Spark UI, when the job just started running
 * @param errorMessage the error, when the job failed
 * @param metrics the Spark application's metrics, when the job ended and reported them
 */
public record StateUpdate(JobState state, Instant at, String reason, BackendRun run, String sparkUiUrl, String errorMessage,
        JobMetrics metrics) {
    public StateUpdate {
        requireNonNull(state, "state is null");
        requireNonNull(at, "at is null");
    }

    /** A change with only a reason. */
    public static StateUpdate to(JobState state, Instant at, String reason) {
        return new StateUpdate(state, at, reason, null, null, null, null);
    }
}
