package com.doordash.pedregal.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The answer to {@code DELETE /api/v1/jobs/{id}}. */
public record CancelJobResponse(
        boolean success, String message, @JsonProperty("job_id") String jobId, JobState status) {
}
