package com.doordash.pedregal.client;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;

/** The answer to {@link DCPSparkClient#submitJob(SubmitJobRequest)}: the new job's ids and its first state. */
public final class SubmitJobResponse {
    private final String jobId;
    private final String executionId;
    private final JobState status;
    private final JsonNode json;

    SubmitJobResponse(String jobId, String executionId, JobState status, JsonNode json) {
        this.jobId = requireNonNull(jobId, "jobId is null");
        this.executionId = requireNonNull(executionId, "executionId is null");
        this.status = requireNonNull(status, "status is null");
        this.json = requireNonNull(json, "json is null");
    }

    /** The job's id, for {@link DCPSparkClient#getJob(String)} and the other calls about the job. */
    public String getJobId() {
        return jobId;
    }

    /** The id of the job's execution; empty when the server did not report one. */
    public String getExecutionId() {
        return executionId;
    }

    /** The job's state when it was accepted, usually {@link JobState#PENDING}. */
    public JobState getStatus() {
        return status;
    }

    /**
     * The server's answer as it came, with fields this client does not model (a copy: changing it changes nothing
     * here); for tools that pass the server's JSON on, such as {@code pretzel --output json}.
     */
    public JsonNode getJson() {
        return json.deepCopy();
    }

    @Override
    public String toString() {
        return "SubmitJobResponse{jobId=" + jobId + ", executionId=" + executionId + ", status=" + status + "}";
    }
}
