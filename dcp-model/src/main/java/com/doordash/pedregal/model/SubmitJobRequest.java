package com.doordash.pedregal.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The body of {@code POST /api/v1/jobs}.
 *
 * @param name the job's name, for example {@code my-etl-job}
 * @param team the owning team, for example {@code data-infra}
 * @param user the submitting user, for example {@code user@doordash.com}
 * @param config how the job runs
 * @param idempotencyKey optional; a second submit with the same key from the same team returns the first job
 * @param callbackUrl optional; receives a POST of the final status (JSON) when the job ends
 * @param timeoutSeconds optional; the job is stopped and marked TIMEOUT after running this long
 */
public record SubmitJobRequest(
        String name,
        String team,
        String user,
        SparkJobConfig config,
        @JsonProperty("idempotency_key") String idempotencyKey,
        @JsonProperty("callback_url") String callbackUrl,
        @JsonProperty("timeout_seconds") Long timeoutSeconds) {
    /** A request without idempotency key, callback or timeout. */
    public SubmitJobRequest(String name, String team, String user, SparkJobConfig config) {
        this(name, team, user, config, null, null, null);
    }
}
