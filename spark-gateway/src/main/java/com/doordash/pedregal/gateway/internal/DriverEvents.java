package com.doordash.pedregal.gateway.internal;

import com.doordash.pedregal.model.JobMetrics;
import com.doordash.pedregal.model.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a driver reported through its events file ({@code spark.pedregal.events.file}), one JSON object a
 * line: {@code RUNNING} with the Spark UI address, {@code FAILED} with the job's error, {@code PROGRESS} with the
 * metrics so far while it runs, {@code METRICS} when the application ended.
 *
 * @param running whether the Spark application has started
 * @param uiUrl the Spark UI address it reported, or null
 * @param failure the job's error, or null
 * @param metrics what the application did, once it ended, or null
 * @param progress the metrics of the newest PROGRESS line (the last in the file), or null
 */
public record DriverEvents(boolean running, String uiUrl, String failure, JobMetrics metrics, JobMetrics progress) {
    /** The events in {@code file}; none when it does not exist. */
    /** The start of an events file that is read (its RUNNING line), and its end (the latest metrics and failure). */
    private static final int HEAD_BYTES = 64 << 10;
    private static final int TAIL_BYTES = 4 << 20;

    /**
     * The events of {@code file}, read from its first 64 KiB and last 4 MiB only: the driver writes the file, and however
     * large it makes it, the server reads a bounded part.
     */
    public static DriverEvents read(Path file) {
        boolean running = false;
        String uiUrl = null;
        String failure = null;
        JobMetrics metrics = null;
        JobMetrics progress = null;
        for (String line : LogFiles.headAndTail(file, HEAD_BYTES, TAIL_BYTES).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode event;
            try {
                event = Json.mapper().readTree(line);
            }
            catch (Exception e) {
                continue; // a line being written right now; the next poll reads it whole
            }
            switch (event.path("event").asText()) {
                case "RUNNING" -> {
                    running = true;
                    uiUrl = text(event, "ui_url").orElse(uiUrl);
                }
                case "FAILED" -> failure = text(event, "message").orElse("the job failed");
                case "METRICS" -> metrics = metricsOf(event);
                case "PROGRESS" -> progress = metricsOf(event);
                default -> {
                }
            }
        }
        return new DriverEvents(running, uiUrl, failure, metrics, progress);
    }

    /** The final metrics once the application reported them, else the newest progress; null when there are neither. */
    public JobMetrics latestMetrics() {
        return metrics != null ? metrics : progress;
    }

    private static JobMetrics metricsOf(JsonNode event) {
        return new JobMetrics(event.path("records_read").asLong(), event.path("records_written").asLong(),
                event.path("bytes_read").asLong(), event.path("bytes_written").asLong(),
                event.path("stages_completed").asLong(), event.path("tasks_completed").asLong(),
                event.path("executor_cpu_time_ms").asLong());
    }

    private static Optional<String> text(JsonNode event, String field) {
        JsonNode value = event.get(field);
        return value == null || value.isNull() || value.asText().isBlank() ? Optional.empty() : Optional.of(value.asText());
    }
}
