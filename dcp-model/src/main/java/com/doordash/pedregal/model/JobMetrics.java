package com.doordash.pedregal.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a job's Spark application did, summed over its tasks; reported when the application ends.
 *
 * @param recordsRead records read by all tasks
 * @param recordsWritten records written by all tasks
 * @param bytesRead bytes read by all tasks
 * @param bytesWritten bytes written by all tasks
 * @param stagesCompleted stages that completed successfully
 * @param tasksCompleted tasks that completed successfully
 * @param executorCpuTimeMs CPU time the executors spent, in milliseconds
 */
public record JobMetrics(
        @JsonProperty("records_read") long recordsRead,
        @JsonProperty("records_written") long recordsWritten,
        @JsonProperty("bytes_read") long bytesRead,
        @JsonProperty("bytes_written") long bytesWritten,
        @JsonProperty("stages_completed") long stagesCompleted,
        @JsonProperty("tasks_completed") long tasksCompleted,
        @JsonProperty("executor_cpu_time_ms") long executorCpuTimeMs) {
}
