package com.doordash.pedregal.gateway.internal;

import com.doordash.pedregal.model.JobMetrics;
import com.doordash.pedregal.model.driver.DriverEvent;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a driver reported through its events file ({@code spark.pedregal.events.file}), one {@link DriverEvent} a
 * line: {@code RUNNING} with the Spark UI address, {@code FAILED} with the job's error, {@code PROGRESS} with the
 * metrics so far while it runs, {@code METRICS} when the application ended.
 *
 * @param running whether the Spark application has started
 * @param uiUrl the Spark UI address it reported, or null
 * @param failure the job's error, or null
 * @param metrics what the application did, once it ended, or null
 * @param progress the metrics of the newest PROGRESS line (the last in the file), or null
 * @param exitCode the job's outcome a warm driver reported with ENDED (it may live on for its team's next job), or null
 */
public record DriverEvents(boolean running, String uiUrl, String failure, JobMetrics metrics, JobMetrics progress,
        Integer exitCode) {
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
        Integer exitCode = null;
        for (String line : LogFiles.headAndTail(file, HEAD_BYTES, TAIL_BYTES).split("\n")) {
            // A line being written right now does not parse; the next poll reads it whole.
            Optional<DriverEvent> parsed = line.isBlank() ? Optional.empty() : DriverEvent.parse(line);
            if (parsed.isEmpty()) {
                continue;
            }
            DriverEvent event = parsed.get();
            switch (event.type()) {
                case DriverEvent.RUNNING -> {
                    running = true;
                    uiUrl = event.uiUrl() != null ? event.uiUrl() : uiUrl;
                }
                case DriverEvent.FAILED -> failure = event.message();
                case DriverEvent.METRICS -> metrics = event.metrics();
                case DriverEvent.PROGRESS -> progress = event.metrics();
                case DriverEvent.ENDED -> exitCode = event.exitCode();
                default -> {
                }
            }
        }
        return new DriverEvents(running, uiUrl, failure, metrics, progress, exitCode);
    }

    /** The final metrics once the application reported them, else the newest progress; null when there are neither. */
    public JobMetrics latestMetrics() {
        return metrics != null ? metrics : progress;
    }
}
