package com.doordash.pedregal.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The body of {@code GET /api/v1/jobs/{id}}. Times are RFC 3339 UTC strings; absent values are omitted.
 *
 * @param jobId the job's id
 * @param executionId the id of the job's execution
 * @param name the job's name
 * @param team the owning team
 * @param user the submitting user
 * @param status the current state
 * @param sparkVersion the Spark runtime
 * @param backend the backend that runs the job, for example {@code local}
 * @param submitTime when the platform accepted the job
 * @param startTime when the driver was started
 * @param endTime when the job reached a final state
 * @param sparkUiUrl the Spark UI, while the job runs
 * @param logsUrl where the driver log can be read
 * @param errorMessage why the job failed
 * @param history every state the job went through, oldest first
 * @param metrics what the Spark application did: so far while it runs, in total once it ended
 * @param namespace the playground namespace the job ran in; absent for jobs outside playgrounds
 */
public record JobStatusResponse(
        @JsonProperty("job_id") String jobId,
        @JsonProperty("execution_id") String executionId,
        String name,
        String team,
        String user,
        JobState status,
        @JsonProperty("spark_version") String sparkVersion,
        String backend,
        @JsonProperty("submit_time") String submitTime,
        @JsonProperty("start_time") String startTime,
        @JsonProperty("end_time") String endTime,
        @JsonProperty("spark_ui_url") String sparkUiUrl,
        @JsonProperty("logs_url") String logsUrl,
        @JsonProperty("error_message") String errorMessage,
        List<StateChange> history,
        JobMetrics metrics,
        String namespace) {
    public JobStatusResponse {
        history = history == null ? List.of() : List.copyOf(history);
    }
}
