package com.doordash.pedregal.client;

import static java.util.Objects.requireNonNull;

/** The answer to {@link DCPSparkClient#cancelJob(String)}. */
public final class CancelJobResponse {
    private final boolean success;
    private final String message;
    private final String jobId;
    private final JobState status;

    CancelJobResponse(boolean success, String message, String jobId, JobState status) {
        this.success = success;
        this.message = requireNonNull(message, "message is null");
        this.jobId = requireNonNull(jobId, "jobId is null");
        this.status = requireNonNull(status, "status is null");
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

    @Override
    public String toString() {
        return "CancelJobResponse{success=" + success + ", message=" + message + ", jobId=" + jobId
                + ", status=" + status + "}";
    }
}
