package com.doordash.pedregal.runner;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.model.JobState;
import java.time.Instant;

/**
 * One state a job entered, when, and why.
 *
 * @param state the state entered
 * @param at when
 * @param reason why, or null
 */
public record Transition(JobState state, Instant at, String reason) {
    public Transition {
        requireNonNull(state, "state is null");
        requireNonNull(at, "at is null");
    }
}
