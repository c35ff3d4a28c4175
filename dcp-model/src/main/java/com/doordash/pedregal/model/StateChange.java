package com.doordash.pedregal.model;

/**
 * One transition of a job, as reported by the status API.
 *
 * @param status the state entered
 * @param time when, as an RFC 3339 UTC timestamp
 * @param reason why, when the platform knows
 */
public record StateChange(JobState status, String time, String reason) {
}
