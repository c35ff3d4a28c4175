package com.doordash.pedregal.server;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.model.JobState;
import com.doordash.pedregal.model.JobStatusResponse;
import com.doordash.pedregal.model.StateChange;
import com.doordash.pedregal.runner.Job;
import java.time.Instant;
import java.util.function.Supplier;

/** How a job is shown to clients: the REST status body, also sent to callbacks and mapped by gRPC. */
public final class JobViews {
    private final Supplier<String> publicUrl;

    /** Views whose links start with {@code publicUrl} (for example {@code http://localhost:8080}). */
    public JobViews(Supplier<String> publicUrl) {
        this.publicUrl = requireNonNull(publicUrl, "publicUrl is null");
    }

    /** The status of {@code job}. */
    public JobStatusResponse status(Job job) {
        return new JobStatusResponse(
                job.jobId(),
                job.executionId(),
                job.name(),
                job.team(),
                job.request().user(),
                job.state(),
                job.request().config().sparkVersion(),
                job.backend(),
                time(job.createdAt()),
                time(job.submittedAt()),
                time(job.endedAt()),
                job.state() == JobState.RUNNING ? job.sparkUiUrl() : null,
                logsUrl(job.jobId()),
                job.errorMessage(),
                job.history().stream().map(t -> new StateChange(t.state(), time(t.at()), t.reason())).toList(),
                job.metrics(),
                job.inPlayground() ? job.namespace() : null);
    }

    /** Where the job's driver log can be read. */
    public String logsUrl(String jobId) {
        return publicUrl.get() + "/api/v1/jobs/" + jobId + "/logs";
    }

    /** Where the job's status can be read. */
    public String jobUrl(String jobId) {
        return publicUrl.get() + "/api/v1/jobs/" + jobId;
    }

    /** RFC 3339 in UTC with millisecond precision, e.g. {@code 2026-11-21T12:30:00.123Z}. */
    static String time(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
