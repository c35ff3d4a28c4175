package com.doordash.pedregal.server.grpc;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.model.TestReport;
import com.doordash.pedregal.model.TestSpecRequest;
import com.doordash.pedregal.model.error.InvalidRequestException;
import com.doordash.pedregal.model.error.PlatformException;
import com.doordash.pedregal.model.json.Json;
import com.doordash.pedregal.runner.Job;
import com.doordash.pedregal.runner.JobPage;
import com.doordash.pedregal.runner.JobQuery;
import com.doordash.pedregal.runner.JobRunner;
import com.doordash.pedregal.runner.Submission;
import com.doordash.pedregal.runner.grpc.GrpcAuth;
import com.doordash.pedregal.runner.grpc.GrpcServices;
import com.doordash.pedregal.server.JobViews;
import com.doordash.pedregal.server.SpecTester;
import com.doordash.pedregal.server.grpc.v1.CancelJobRequest;
import com.doordash.pedregal.server.grpc.v1.CancelJobResponse;
import com.doordash.pedregal.server.grpc.v1.DCPSparkServiceGrpc;
import com.doordash.pedregal.server.grpc.v1.GetJobLogsRequest;
import com.doordash.pedregal.server.grpc.v1.GetJobLogsResponse;
import com.doordash.pedregal.server.grpc.v1.GetJobStatusRequest;
import com.doordash.pedregal.server.grpc.v1.GetJobStatusResponse;
import com.doordash.pedregal.server.grpc.v1.ListJobsRequest;
import com.doordash.pedregal.server.grpc.v1.ListJobsResponse;
import com.doordash.pedregal.server.grpc.v1.LogType;
import com.doordash.pedregal.server.grpc.v1.SubmitJobRequest;
import com.doordash.pedregal.server.grpc.v1.SubmitJobResponse;
import com.doordash.pedregal.server.grpc.v1.TestJobRequest;
import com.doordash.pedregal.server.grpc.v1.TestJobResponse;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * {@code dcp.spark.v1.DCPSparkService}: the REST API's operations on the same runner, with the same rules.
 * Failures are thrown and mapped by {@code GrpcErrors}.
 */
final class DcpSparkGrpcService extends DCPSparkServiceGrpc.DCPSparkServiceImplBase {
    private final JobRunner runner;
    private final JobViews views;
    private final SpecTester tester;

    DcpSparkGrpcService(JobRunner runner, JobViews views, SpecTester tester) {
        this.runner = requireNonNull(runner, "runner is null");
        this.views = requireNonNull(views, "views is null");
        this.tester = requireNonNull(tester, "tester is null");
    }

    @Override
    public void testJob(TestJobRequest request, StreamObserver<TestJobResponse> response) {
        Map<String, Object> options = request.getOptionsJson().isEmpty()
                ? Map.of()
                : options(request.getOptionsJson());
        TestSpecRequest test = new TestSpecRequest(request.getTeam().isEmpty() ? null : request.getTeam(),
                request.getJobSpecJson().isEmpty() ? null : GrpcServices.coreEtlSpec(request.getJobSpecJson(), "job_spec"),
                options);
        TestReport report = tester.test(test, GrpcAuth.caller());
        answer(response, TestJobResponse.newBuilder()
                .setStatus(report.status())
                .setReportJson(Json.write(report))
                .build());
    }

    @Override
    public void submitJob(SubmitJobRequest request, StreamObserver<SubmitJobResponse> response) {
        Submission submission;
        try {
            submission = runner.submit(DcpSparkMessages.toModel(request), GrpcAuth.caller());
        }
        catch (PlatformException e) {
            throw GrpcServices.renameFields(e, field -> DcpSparkMessages.fieldOf(request, field));
        }
        Job job = submission.job();
        answer(response, SubmitJobResponse.newBuilder()
                .setJobId(job.jobId())
                .setExecutionId(job.executionId())
                .setStatus(DcpSparkMessages.state(job.state()))
                .setSparkUiUrl(job.state() == com.doordash.pedregal.model.JobState.RUNNING ? GrpcServices.nullToEmpty(job.sparkUiUrl()) : "")
                .setMessage(submission.created() ? "job accepted" : "an earlier submit with this idempotency key created the job")
                .setCreated(submission.created())
                .build());
    }

    @Override
    public void getJobStatus(GetJobStatusRequest request, StreamObserver<GetJobStatusResponse> response) {
        answer(response, DcpSparkMessages.toMessage(views.status(runner.job(jobId(request.getJobId()), GrpcAuth.caller()))));
    }

    @Override
    public void cancelJob(CancelJobRequest request, StreamObserver<CancelJobResponse> response) {
        Job job = runner.cancel(jobId(request.getJobId()), request.getReason(), GrpcAuth.caller());
        answer(response, CancelJobResponse.newBuilder()
                .setSuccess(true)
                .setMessage("job " + job.jobId() + " cancelled")
                .setStatus(DcpSparkMessages.state(job.state()))
                .setJobId(job.jobId())
                .build());
    }

    @Override
    public void listJobs(ListJobsRequest request, StreamObserver<ListJobsResponse> response) {
        int limit = request.getLimit() == 0 ? JobQuery.DEFAULT_LIMIT : request.getLimit();
        if (limit < 1 || limit > JobQuery.MAX_LIMIT) {
            throw new InvalidRequestException("limit", request.getLimit() + " is not from 1 to " + JobQuery.MAX_LIMIT
                    + " (0: " + JobQuery.DEFAULT_LIMIT + ")");
        }
        String team = GrpcServices.emptyToNull(request.getTeam());
        JobQuery query = new JobQuery(team == null ? null : Set.of(team), GrpcServices.emptyToNull(request.getJobNamePrefix()),
                DcpSparkMessages.stateFilter(request.getStatusFilter(), request.getStatusFilterValue()), limit,
                GrpcServices.emptyToNull(request.getPageToken()));
        JobPage page = runner.list(query, GrpcAuth.caller());
        ListJobsResponse.Builder answer = ListJobsResponse.newBuilder()
                .setNextPageToken(GrpcServices.nullToEmpty(page.nextPageToken()));
        page.jobs().forEach(job -> answer.addJobs(DcpSparkMessages.toSummary(views.status(job))));
        answer(response, answer.build());
    }

    /** The driver log whatever the type: the local backend runs executors inside the driver. */
    @Override
    public void getJobLogs(GetJobLogsRequest request, StreamObserver<GetJobLogsResponse> response) {
        if (request.getLogType() == LogType.UNRECOGNIZED) {
            throw new InvalidRequestException("log_type", request.getLogTypeValue()
                    + " is not a log type (expected one of: LOG_TYPE_DRIVER, LOG_TYPE_EXECUTOR, LOG_TYPE_ALL)");
        }
        int tail = request.getTailLines();
        if (tail < 0 || tail > JobRunner.MAX_TAIL_LINES) {
            throw new InvalidRequestException("tail_lines", tail + " is not from 1 to " + JobRunner.MAX_TAIL_LINES
                    + " (0: the whole log)");
        }
        String id = jobId(request.getJobId());
        String logs = runner.logs(id, tail == 0 ? OptionalInt.empty() : OptionalInt.of(tail), GrpcAuth.caller());
        answer(response, GetJobLogsResponse.newBuilder().setLogs(logs).setLogsUrl(views.logsUrl(id)).build());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> options(String json) {
        try {
            return Json.mapper().readValue(json, Map.class);
        }
        catch (java.io.IOException | RuntimeException e) {
            throw new InvalidRequestException("options_json", "is not a JSON object: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static String jobId(String jobId) {
        if (jobId.isEmpty()) {
            throw new InvalidRequestException("job_id", "is required");
        }
        return jobId;
    }

    private static <T> void answer(StreamObserver<T> response, T message) {
        response.onNext(message);
        response.onCompleted();
    }
}
