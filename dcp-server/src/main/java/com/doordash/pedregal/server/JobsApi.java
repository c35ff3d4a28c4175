package com.doordash.pedregal.server;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.model.CancelJobResponse;
import com.doordash.pedregal.model.JobListResponse;
import com.doordash.pedregal.model.JobLogsResponse;
import com.doordash.pedregal.model.JobState;
import com.doordash.pedregal.model.SubmitJobRequest;
import com.doordash.pedregal.model.SubmitJobResponse;
import com.doordash.pedregal.model.error.InvalidRequestException;
import com.doordash.pedregal.model.json.Json;
import com.doordash.pedregal.runner.Job;
import com.doordash.pedregal.runner.JobPage;
import com.doordash.pedregal.runner.JobQuery;
import com.doordash.pedregal.runner.JobRunner;
import com.doordash.pedregal.runner.Submission;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.Arrays;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

/** The DCP REST API for jobs: {@code /api/v1/jobs}. */
final class JobsApi {
    private final JobRunner runner;
    private final JobViews views;

    JobsApi(JobRunner runner, JobViews views) {
        this.runner = requireNonNull(runner, "runner is null");
        this.views = requireNonNull(views, "views is null");
    }

    void install(Javalin app) {
        app.post("/api/v1/jobs", this::submit);
        app.get("/api/v1/jobs", this::list);
        app.get("/api/v1/jobs/{id}", ctx -> ctx.json(views.status(runner.job(ctx.pathParam("id"), RestAuth.caller(ctx)))));
        app.delete("/api/v1/jobs/{id}", this::cancel);
        app.get("/api/v1/jobs/{id}/logs", this::logs);
    }

    private void submit(Context ctx) {
        SubmitJobRequest request = Json.read(ctx.body(), SubmitJobRequest.class);
        Submission submission = runner.submit(request, RestAuth.caller(ctx));
        Job job = submission.job();
        ctx.status(submission.created() ? HttpStatus.ACCEPTED : HttpStatus.OK)
                .header("Location", views.jobUrl(job.jobId()))
                .json(new SubmitJobResponse(job.jobId(), job.executionId(), job.state()));
    }

    private void list(Context ctx) {
        String team = blankToNull(ctx.queryParam("team"));
        JobState state = parseState(ctx.queryParam("status"));
        int limit = intParam(ctx, "limit", JobQuery.DEFAULT_LIMIT, 1, JobQuery.MAX_LIMIT);
        String pageToken = ctx.queryParam("page_token");
        JobQuery query = new JobQuery(team == null ? null : Set.of(team), blankToNull(ctx.queryParam("name_prefix")), state,
                limit, blankToNull(pageToken));
        JobPage page = runner.list(query, RestAuth.caller(ctx));
        ctx.json(new JobListResponse(page.jobs().stream().map(views::status).toList(), page.nextPageToken()));
    }

    private void cancel(Context ctx) {
        Job job = runner.cancel(ctx.pathParam("id"), ctx.queryParam("reason"), RestAuth.caller(ctx));
        ctx.json(new CancelJobResponse(true, "job " + job.jobId() + " cancelled", job.jobId(), job.state()));
    }

    private void logs(Context ctx) {
        String type = ctx.queryParam("type");
        if (type != null && !Arrays.asList("driver", "executor", "all").contains(type.toLowerCase(Locale.ROOT))) {
            throw new InvalidRequestException("type", "\"" + type + "\" is not a log type (expected one of: driver, executor, all)");
        }
        OptionalInt tail = ctx.queryParam("tail") == null
                ? OptionalInt.empty()
                : OptionalInt.of(intParam(ctx, "tail", 0, 1, JobRunner.MAX_TAIL_LINES));
        String id = ctx.pathParam("id");
        String logs = runner.logs(id, tail, RestAuth.caller(ctx));
        String accept = ctx.header("Accept");
        if (accept != null && accept.contains("text/plain") && !accept.contains("application/json")) {
            ctx.contentType("text/plain; charset=utf-8").result(logs);
        }
        else {
            ctx.json(new JobLogsResponse(logs, views.logsUrl(id)));
        }
    }

    private static JobState parseState(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return JobState.valueOf(text.trim().toUpperCase(Locale.ROOT));
        }
        catch (IllegalArgumentException e) {
            throw new InvalidRequestException("status", "\"" + text + "\" is not a job status (expected one of: "
                    + Arrays.stream(JobState.values()).map(Enum::name).collect(Collectors.joining(", ")) + ")");
        }
    }

    private static int intParam(Context ctx, String name, int defaultValue, int min, int max) {
        String text = ctx.queryParam(name);
        if (text == null || text.isBlank()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= min && value <= max) {
                return value;
            }
        }
        catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidRequestException(name, "\"" + text + "\" is not an integer from " + min + " to " + max);
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }
}
