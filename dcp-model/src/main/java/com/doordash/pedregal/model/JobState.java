package com.doordash.pedregal.model;

import java.util.EnumSet;
import java.util.Set;

/**
 * The life of a job: PENDING → SUBMITTED → RUNNING → SUCCEEDED | FAILED | CANCELLED | TIMEOUT.
 * A job may also fail or be cancelled before it runs.
 */
public enum JobState {
    /** Accepted and stored; not yet handed to a backend. */
    PENDING,
    /** A backend has started the driver. */
    SUBMITTED,
    /** The Spark application is up. */
    RUNNING,
    /** Finished without error. */
    SUCCEEDED,
    /** Finished with an error. */
    FAILED,
    /** Stopped on request. */
    CANCELLED,
    /** Stopped because it ran longer than allowed. */
    TIMEOUT;

    /** Whether the job can no longer change. */
    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED || this == TIMEOUT;
    }

    /** The states this state may move to. */
    public Set<JobState> successors() {
        return switch (this) {
            case PENDING -> EnumSet.of(SUBMITTED, FAILED, CANCELLED);
            case SUBMITTED -> EnumSet.of(RUNNING, SUCCEEDED, FAILED, CANCELLED, TIMEOUT);
            case RUNNING -> EnumSet.of(SUCCEEDED, FAILED, CANCELLED, TIMEOUT);
            case SUCCEEDED, FAILED, CANCELLED, TIMEOUT -> EnumSet.noneOf(JobState.class);
        };
    }

    /** Whether a job in this state may move to {@code next}. */
    public boolean canMoveTo(JobState next) {
        return successors().contains(next);
    }
}
