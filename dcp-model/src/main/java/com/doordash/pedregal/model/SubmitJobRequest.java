package com.doordash.pedregal.model;

/**
 * The body of {@code POST /api/v1/jobs}.
 *
 * @param name the job's name, for example {@code my-etl-job}
 * @param team the owning team, for example {@code data-infra}
 * @param user the submitting user, for example {@code user@doordash.com}
 * @param config how the job runs
 */
public record SubmitJobRequest(String name, String team, String user, SparkJobConfig config) {
}
