package com.doordash.pedregal.client;

import static java.util.Objects.requireNonNull;

/** The answer to {@link DCPSparkClient#submitJob(SubmitJobRequest)}: the new job's ids and its first state. */
public final class SubmitJobResponse {
    private final String jobId;
    private final String executionId;
    private final JobState status;

    SubmitJobResponse(String jobId, String executionId, JobState status) {
        this.jobId = requireNonNull(jobId, "jobId is null");
        this.executionId = requireNonNull(executionId, "executionId is null");
        this.status = requireNonNull(status, "status is null");
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

    @Override
    public String toString() {
        return "SubmitJobResponse{jobId=" + jobId + ", executionId=" + executionId + ", status=" + status + "}";
    }
}
