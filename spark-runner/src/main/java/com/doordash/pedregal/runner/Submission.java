package com.doordash.pedregal.runner;

import static java.util.Objects.requireNonNull;

/**
 * The outcome of a submit.
 *
 * @param job the job
 * @param created false when an earlier submit with the same idempotency key already created it
 */
public record Submission(Job job, boolean created) {
    public Submission {
        requireNonNull(job, "job is null");
    }
}
