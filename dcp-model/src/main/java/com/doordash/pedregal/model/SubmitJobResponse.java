package com.doordash.pedregal.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The answer to a submit: the new job's id, its execution id and its state. */
public record SubmitJobResponse(
        @JsonProperty("job_id") String jobId,
        @JsonProperty("execution_id") String executionId,
        JobState status) {
}
