package com.doordash.pedregal.client;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;

/** The answer to {@link DCPSparkClient#cancelJob(String)}. */
public final class CancelJobResponse {
    private final boolean success;
    private final String message;
    private final String jobId;
    private final JobState status;
    private final JsonNode json;

    CancelJobResponse(boolean success, String message, String jobId, JobState status, JsonNode json) {
        this.success = success;
        this.message = requireNonNull(message, "message is null");
        this.jobId = requireNonNull(jobId, "jobId is null");
        this.status = requireNonNull(status, "status is null");
        this.json = requireNonNull(json, "json is null");
    }

    /** Whether the job was cancelled. */
    public boolean isSuccess() {
        return success;
    }

    /** What the server did, for a person, such as {@code job 3f0c… cancelled}; empty when it said nothing. */
    public String getMessage() {
        return message;
    }

    /** The cancelled job's id. */
    public String getJobId() {
        return jobId;
    }

    /** The job's state after the cancel, normally {@link JobState#CANCELLED}. */
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
        return "CancelJobResponse{success=" + success + ", message=" + message + ", jobId=" + jobId
                + ", status=" + status + "}";
    }
}
