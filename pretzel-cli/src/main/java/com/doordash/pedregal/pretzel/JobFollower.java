package com.doordash.pedregal.pretzel;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.client.DCPClientException;
import com.doordash.pedregal.client.DCPSparkClient;
import com.doordash.pedregal.client.JobMetrics;
import com.doordash.pedregal.client.JobState;
import com.doordash.pedregal.client.JobStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Follows a job until it ends, showing its progress — state, elapsed time, completed stages and tasks, rows written —
 * and then its result. On a terminal the progress rewrites one line; otherwise a line is printed whenever something
 * but the elapsed time changed.
 */
final class JobFollower {
    static final Duration POLL_INTERVAL = Duration.ofSeconds(1);
    static final int LOG_LINES_ON_FAILURE = 20;

    private final DCPSparkClient client;
    private final Terminal terminal;
    private final Duration interval;

    JobFollower(DCPSparkClient client, Terminal terminal, Duration interval) {
        this.client = requireNonNull(client, "client is null");
        this.terminal = requireNonNull(terminal, "terminal is null");
        this.interval = requireNonNull(interval, "interval is null");
    }

    /** Polls the job until it reaches a final state, printing progress unless {@code quiet}; returns that state. */
    JobStatus follow(String jobId, boolean quiet) {
        String shown = null;
        int width = 0;
        while (true) {
            JobStatus status = client.getJob(jobId);
            if (!quiet) {
                String line = progress(status, Instant.now());
                if (terminal.tty()) {
                    terminal.out().print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
                    terminal.out().flush();
                    width = line.length();
                }
                else {
                    String withoutTime = withoutElapsed(status);
                    if (!withoutTime.equals(shown)) {
                        terminal.out().println(line);
                        shown = withoutTime;
                    }
                }
            }
            if (status.isFinished()) {
                if (!quiet && terminal.tty()) {
                    terminal.out().println();
                }
                return status;
            }
            sleep(interval);
        }
    }

    /**
     * Prints the result of a finished job: on success what it wrote to standard output; otherwise its error and the
     * last lines of its log to standard error. Returns the exit code.
     */
    int report(JobStatus status, List<String> tables) {
        String took = elapsed(status, Instant.now()).map(d -> " in " + seconds(d)).orElse("");
        if (status.getStatus() == JobState.SUCCEEDED) {
            StringBuilder line = new StringBuilder(status.getStatus() + took);
            Optional<JobMetrics> metrics = status.getMetrics();
            if (metrics.isPresent()) {
                line.append(": wrote ").append(metrics.get().getRecordsWritten()).append(" rows");
                if (!tables.isEmpty()) {
                    line.append(" to ").append(String.join(", ", tables));
                }
            }
            else if (!tables.isEmpty()) {
                line.append(": wrote ").append(String.join(", ", tables));
            }
            terminal.out().println(line);
            terminal.out().println("job " + status.getJobId());
            return ExitCodes.OK;
        }
        terminal.err().println(Errors.PREFIX + "job " + status.getJobId() + " " + status.getStatus() + took
                + status.getErrorMessage().map(message -> ": " + message).orElse(""));
        try {
            String tail = client.logs(status.getJobId(), LOG_LINES_ON_FAILURE);
            if (!tail.isBlank()) {
                terminal.err().println("last lines of its log (pretzel jobs logs " + status.getJobId() + "):");
                tail.lines().forEach(logLine -> terminal.err().println("  " + logLine));
            }
        }
        catch (DCPClientException e) {
            terminal.err().println("(its log cannot be read: " + e.getServerMessage().orElse(e.getMessage()) + ")");
        }
        return ExitCodes.FAILED;
    }

    /** One line of progress: {@code RUNNING  0:12  stages 2  tasks 14  rows written 3000}. */
    static String progress(JobStatus status, Instant now) {
        StringBuilder line = new StringBuilder(String.format("%-9s", status.getStatus()));
        line.append("  ").append(elapsed(status, now).map(JobFollower::clock).orElse("-:--"));
        status.getMetrics().ifPresent(metrics -> line.append("  stages ").append(metrics.getStagesCompleted())
                .append("  tasks ").append(metrics.getTasksCompleted())
                .append("  rows written ").append(metrics.getRecordsWritten()));
        return line.toString();
    }

    private static String withoutElapsed(JobStatus status) {
        return status.getStatus() + status.getMetrics().map(metrics -> " " + metrics.getStagesCompleted() + " "
                + metrics.getTasksCompleted() + " " + metrics.getRecordsWritten()).orElse("");
    }

    /** How long the job has run: from its start (or submission) to its end, or to {@code now} while it runs. */
    static Optional<Duration> elapsed(JobStatus status, Instant now) {
        Optional<Instant> start = status.getStartTime().or(status::getSubmitTime);
        Instant end = status.getEndTime().orElse(now);
        return start.map(from -> end.isBefore(from) ? Duration.ZERO : Duration.between(from, end));
    }

    /** {@code 0:07}, {@code 12:30}, {@code 1:02:03}. */
    static String clock(Duration duration) {
        long seconds = duration.getSeconds();
        return seconds >= 3600
                ? String.format("%d:%02d:%02d", seconds / 3600, seconds % 3600 / 60, seconds % 60)
                : String.format("%d:%02d", seconds / 60, seconds % 60);
    }

    /** {@code 8.1s}. */
    static String seconds(Duration duration) {
        return String.format(java.util.Locale.ROOT, "%.1fs", duration.toMillis() / 1000.0);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UsageException("interrupted; the job keeps running");
        }
    }
}
