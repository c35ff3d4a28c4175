package com.doordash.pedregal.model.driver;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.model.JobMetrics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * One line of a driver's events file ({@link DriverConf#EVENTS_FILE}), written by the driver and read by the gateway:
 * <ul>
 *   <li>{@code {"event":"RUNNING","time":<epoch ms>,"app_id":"<id>","ui_url":"<url>"}} when the application starts (a warm
 *       driver adds {@code "warm":true} and {@code "hand_off_ms"});</li>
 *   <li>{@code {"event":"PROGRESS","time":…,"stages_completed":N,…}} with the metrics so far while it runs;</li>
 *   <li>{@code {"event":"METRICS","time":…,"stages_completed":N,…}} with the final metrics when it ends;</li>
 *   <li>{@code {"event":"FAILED","time":…,"message":"<the job's error>"}} when the job fails;</li>
 *   <li>{@code {"event":"ENDED","time":…,"exit_code":N}} when a warm driver finished its job: its outcome, as the exit
 *       code of a driver that exits after its job.</li>
 * </ul>
 * Metric fields, in this order: {@code stages_completed, tasks_completed, records_read, records_written, bytes_read,
 * bytes_written, executor_cpu_time_ms}.
 *
 * @param type {@link #RUNNING}, {@link #PROGRESS}, {@link #METRICS} or {@link #FAILED}; other types are ignored
 * @param time when it happened, epoch milliseconds
 * @param appId the Spark application id (RUNNING), or null
 * @param uiUrl the Spark UI address (RUNNING), or null
 * @param message the job's error (FAILED), or null
 * @param metrics the metrics (PROGRESS, METRICS), or null
 * @param handOffMillis how long a warm driver took to take its job (RUNNING of a warm driver), or null
 * @param exitCode the job's outcome on a warm driver (ENDED): 0 for success, or null
 */
public record DriverEvent(String type, long time, String appId, String uiUrl, String message, JobMetrics metrics,
        Long handOffMillis, Integer exitCode) {
    public static final String RUNNING = "RUNNING";
    public static final String PROGRESS = "PROGRESS";
    public static final String METRICS = "METRICS";
    public static final String FAILED = "FAILED";
    public static final String ENDED = "ENDED";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public DriverEvent {
        requireNonNull(type, "type is null");
    }

    /** The application started. */
    public static DriverEvent running(long time, String appId, String uiUrl) {
        return new DriverEvent(RUNNING, time, appId, uiUrl, null, null, null, null);
    }

    /** A warm driver started its job {@code handOffMillis} after it was assigned. */
    public static DriverEvent runningWarm(long time, String appId, String uiUrl, long handOffMillis) {
        return new DriverEvent(RUNNING, time, appId, uiUrl, null, null, handOffMillis, null);
    }

    /** The metrics so far. */
    public static DriverEvent progress(long time, JobMetrics metrics) {
        return new DriverEvent(PROGRESS, time, null, null, null, requireNonNull(metrics, "metrics is null"), null, null);
    }

    /** The final metrics. */
    public static DriverEvent metrics(long time, JobMetrics metrics) {
        return new DriverEvent(METRICS, time, null, null, null, requireNonNull(metrics, "metrics is null"), null, null);
    }

    /** The job failed with {@code message}. */
    public static DriverEvent failed(long time, String message) {
        return new DriverEvent(FAILED, time, null, null, requireNonNull(message, "message is null"), null, null, null);
    }

    /** A warm driver finished its job with {@code exitCode}. */
    public static DriverEvent ended(long time, int exitCode) {
        return new DriverEvent(ENDED, time, null, null, null, null, null, exitCode);
    }

    /** This event as one line of JSON (no line break); null fields are left out. */
    public String toLine() {
        ObjectNode line = MAPPER.createObjectNode();
        line.put("event", type);
        line.put("time", time);
        putIfSet(line, "app_id", appId);
        putIfSet(line, "ui_url", uiUrl);
        putIfSet(line, "message", message);
        if (handOffMillis != null) {
            line.put("warm", true);
            line.put("hand_off_ms", handOffMillis);
        }
        if (exitCode != null) {
            line.put("exit_code", exitCode);
        }
        if (metrics != null) {
            line.put("stages_completed", metrics.stagesCompleted());
            line.put("tasks_completed", metrics.tasksCompleted());
            line.put("records_read", metrics.recordsRead());
            line.put("records_written", metrics.recordsWritten());
            line.put("bytes_read", metrics.bytesRead());
            line.put("bytes_written", metrics.bytesWritten());
            line.put("executor_cpu_time_ms", metrics.executorCpuTimeMs());
        }
        return line.toString();
    }

    /** The event of one line; empty for a line that is not a JSON object with an event type (one being written). */
    public static Optional<DriverEvent> parse(String line) {
        JsonNode node;
        try {
            node = MAPPER.readTree(line);
        }
        catch (Exception e) {
            return Optional.empty();
        }
        if (node == null || !node.isObject() || text(node, "event") == null) {
            return Optional.empty();
        }
        String type = text(node, "event");
        boolean hasMetrics = type.equals(PROGRESS) || type.equals(METRICS);
        JobMetrics metrics = hasMetrics ? new JobMetrics(node.path("records_read").asLong(),
                node.path("records_written").asLong(), node.path("bytes_read").asLong(), node.path("bytes_written").asLong(),
                node.path("stages_completed").asLong(), node.path("tasks_completed").asLong(),
                node.path("executor_cpu_time_ms").asLong()) : null;
        String message = text(node, "message");
        if (type.equals(FAILED) && message == null) {
            message = "the job failed";
        }
        return Optional.of(new DriverEvent(type, node.path("time").asLong(), text(node, "app_id"), text(node, "ui_url"),
                message, metrics, node.has("hand_off_ms") ? node.path("hand_off_ms").asLong() : null,
                node.has("exit_code") ? node.path("exit_code").asInt() : null));
    }

    private static void putIfSet(ObjectNode line, String field, String value) {
        if (value != null) {
            line.put(field, value);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.asText().isBlank() ? null : value.asText();
    }
}
