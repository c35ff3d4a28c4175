package com.doordash.pedregal.runner;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.gateway.BackendRun;
import com.doordash.pedregal.model.JobMetrics;
import com.doordash.pedregal.model.JobState;
import java.time.Instant;

/**
 * A state change to store, with what changes with it. Made by the named factories, one per change the runner makes.
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

    /** The driver of the job was started as {@code run}. */
    public static StateUpdate submitted(Instant at, BackendRun run) {
        return new StateUpdate(JobState.SUBMITTED, at, "driver started on " + run.backend(), requireNonNull(run, "run is null"),
                null, null, null);
    }

    /** The job's Spark application came up, with its UI at {@code sparkUiUrl} (or null). */
    public static StateUpdate running(Instant at, String sparkUiUrl) {
        return new StateUpdate(JobState.RUNNING, at, "Spark application started", null, sparkUiUrl, null, null);
    }

    /** The driver exited with code 0. */
    public static StateUpdate succeeded(Instant at, JobMetrics metrics) {
        return new StateUpdate(JobState.SUCCEEDED, at, "driver exited with code 0", null, null, null, metrics);
    }

    /** The driver failed with {@code errorMessage}. */
    public static StateUpdate failed(Instant at, String errorMessage, JobMetrics metrics) {
        return new StateUpdate(JobState.FAILED, at, "driver failed", null, null, errorMessage, metrics);
    }

    /** The driver vanished without an exit status. */
    public static StateUpdate lost(Instant at, String errorMessage) {
        return new StateUpdate(JobState.FAILED, at, "driver lost", null, null, errorMessage, null);
    }

    /** The driver could not be started. */
    public static StateUpdate launchFailed(Instant at, String errorMessage) {
        return new StateUpdate(JobState.FAILED, at, "launch failed", null, null, errorMessage, null);
    }

    /** Cancelled by a caller, for {@code reason}. */
    public static StateUpdate cancelled(Instant at, String reason) {
        return to(JobState.CANCELLED, at, reason);
    }

    /** Stopped at its timeout. */
    public static StateUpdate timedOut(Instant at, String errorMessage) {
        return new StateUpdate(JobState.TIMEOUT, at, "timeout", null, null, errorMessage, null);
    }
}
