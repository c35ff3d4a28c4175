package com.doordash.pedregal.client;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Optional;

/**
 * A job as the server last reported it: who submitted it, its state, its times and where to look at it.
 * Values the server did not report are empty.
 */
public final class JobStatus {
    private final String jobId;
    private final String executionId;
    private final String name;
    private final String team;
    private final String user;
    private final JobState status;
    private final String sparkVersion;
    private final String backend;
    private final Instant submitTime;
    private final Instant startTime;
    private final Instant endTime;
    private final String sparkUiUrl;
    private final String logsUrl;
    private final String errorMessage;
    private final JobMetrics metrics;
    private final JsonNode json;

    // One argument per field of the wire format; only WireFormat calls this.
    JobStatus(String jobId, String executionId, String name, String team, String user, JobState status,
            String sparkVersion, String backend, Instant submitTime, Instant startTime, Instant endTime,
            String sparkUiUrl, String logsUrl, String errorMessage, JobMetrics metrics, JsonNode json) {
        this.jobId = requireNonNull(jobId, "jobId is null");
        this.executionId = requireNonNull(executionId, "executionId is null");
        this.name = requireNonNull(name, "name is null");
        this.team = requireNonNull(team, "team is null");
        this.user = requireNonNull(user, "user is null");
        this.status = requireNonNull(status, "status is null");
        this.sparkVersion = requireNonNull(sparkVersion, "sparkVersion is null");
        this.backend = requireNonNull(backend, "backend is null");
        this.submitTime = submitTime;
        this.startTime = startTime;
        this.endTime = endTime;
        this.sparkUiUrl = sparkUiUrl;
        this.logsUrl = logsUrl;
        this.errorMessage = errorMessage;
        this.metrics = metrics;
        this.json = requireNonNull(json, "json is null");
    }

    /** The job's id. */
    public String getJobId() {
        return jobId;
    }

    /** The id of the job's execution; empty when the server did not report one. */
    public String getExecutionId() {
        return executionId;
    }

    /** The job's name. */
    public String getName() {
        return name;
    }

    /** The owning team. */
    public String getTeam() {
        return team;
    }

    /** The submitting user. */
    public String getUser() {
        return user;
    }

    /** The job's state; {@link JobState#UNKNOWN} when a newer server reports a state this client does not know. */
    public JobState getStatus() {
        return status;
    }

    /** The Spark runtime the job runs on, such as {@code 3.5}; empty when the server did not report it. */
    public String getSparkVersion() {
        return sparkVersion;
    }

    /** The backend that runs the job, such as {@code local}; empty when the server did not report it. */
    public String getBackend() {
        return backend;
    }

    /** When the platform accepted the job. */
    public Optional<Instant> getSubmitTime() {
        return Optional.ofNullable(submitTime);
    }

    /** When the job's driver was started; empty before that. */
    public Optional<Instant> getStartTime() {
        return Optional.ofNullable(startTime);
    }

    /** When the job reached its final state; empty before that. */
    public Optional<Instant> getEndTime() {
        return Optional.ofNullable(endTime);
    }

    /** The Spark UI, while the job runs. */
    public Optional<String> getSparkUiUrl() {
        return Optional.ofNullable(sparkUiUrl);
    }

    /** Where the driver log can be read over REST; {@link DCPSparkClient#logs(String)} reads it. */
    public Optional<String> getLogsUrl() {
        return Optional.ofNullable(logsUrl);
    }

    /** Why the job failed, such as {@code transformations[0]: [PARSE_SYNTAX_ERROR] …}; empty unless it failed. */
    public Optional<String> getErrorMessage() {
        return Optional.ofNullable(errorMessage);
    }

    /** What the Spark application did, once it ended and if the server reports it. */
    public Optional<JobMetrics> getMetrics() {
        return Optional.ofNullable(metrics);
    }

    /** Whether the job reached a final state (succeeded, failed, was cancelled or timed out) and can no longer change. */
    public boolean isFinished() {
        return status.isFinal();
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
        return "JobStatus{jobId=" + jobId + ", executionId=" + executionId + ", name=" + name + ", team=" + team
                + ", user=" + user + ", status=" + status + ", sparkVersion=" + sparkVersion + ", backend=" + backend
                + ", submitTime=" + submitTime + ", startTime=" + startTime + ", endTime=" + endTime
                + ", sparkUiUrl=" + sparkUiUrl + ", logsUrl=" + logsUrl + ", errorMessage=" + errorMessage
                + ", metrics=" + metrics + "}";
    }
}
