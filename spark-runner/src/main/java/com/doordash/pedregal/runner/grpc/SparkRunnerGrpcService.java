package com.doordash.pedregal.runner.grpc;

import static java.util.Objects.requireNonNull;

import com.doordash.pedregal.model.auth.Caller;
import com.doordash.pedregal.model.error.ErrorCode;
import com.doordash.pedregal.model.error.InvalidRequestException;
import com.doordash.pedregal.model.error.PlatformException;
import com.doordash.pedregal.runner.Job;
import com.doordash.pedregal.runner.JobPage;
import com.doordash.pedregal.runner.JobQuery;
import com.doordash.pedregal.runner.JobRunner;
import com.doordash.pedregal.runner.Submission;
import com.doordash.pedregal.runner.grpc.v1.CancelRequest;
import com.doordash.pedregal.runner.grpc.v1.CancelResponse;
import com.doordash.pedregal.runner.grpc.v1.CheckRequest;
import com.doordash.pedregal.runner.grpc.v1.CheckResponse;
import com.doordash.pedregal.runner.grpc.v1.Execution;
import com.doordash.pedregal.runner.grpc.v1.ListRequest;
import com.doordash.pedregal.runner.grpc.v1.ListResponse;
import com.doordash.pedregal.runner.grpc.v1.SparkRunnerServiceGrpc;
import com.doordash.pedregal.runner.grpc.v1.SubmitRequest;
import com.doordash.pedregal.runner.grpc.v1.SubmitResponse;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * {@code spark.runner.v1.SparkRunnerService} on a {@link JobRunner}: executions are jobs, found by their
 * execution id. Failures are thrown and mapped by {@link GrpcErrors}; serve it through
 * {@link GrpcServices#secured}.
 */
public final class SparkRunnerGrpcService extends SparkRunnerServiceGrpc.SparkRunnerServiceImplBase {
    static final int DEFAULT_LIST_LIMIT = 50;
    static final int MAX_LIST_LIMIT = 500;

    private final JobRunner runner;
    private final Function<String, String> logsLink;

    /** A service over {@code runner}; {@code logsLink} gives the URL of a job's logs from its job id. */
    public SparkRunnerGrpcService(JobRunner runner, Function<String, String> logsLink) {
        this.runner = requireNonNull(runner, "runner is null");
        this.logsLink = requireNonNull(logsLink, "logsLink is null");
    }

    @Override
    public void submit(SubmitRequest request, StreamObserver<SubmitResponse> response) {
        Submission submission;
        try {
            submission = runner.submit(SparkRunnerMessages.toModel(request), GrpcAuth.caller());
        }
        catch (PlatformException e) {
            throw GrpcServices.renameFields(e, SparkRunnerMessages::fieldOf);
        }
        Job job = submission.job();
        answer(response, SubmitResponse.newBuilder()
                .setExecutionId(job.executionId())
                .setVendorRunId(GrpcServices.nullToEmpty(job.backendRunId()))
                .setJobId(job.jobId())
                .build());
    }

    @Override
    public void check(CheckRequest request, StreamObserver<CheckResponse> response) {
        answer(response, CheckResponse.newBuilder()
                .setExecution(SparkRunnerMessages.toExecution(execution(request.getExecutionId(), GrpcAuth.caller()), logsLink))
                .build());
    }

    /** Cancels an unfinished execution; one that already ended answers {@code success = false}. */
    @Override
    public void cancel(CancelRequest request, StreamObserver<CancelResponse> response) {
        Caller caller = GrpcAuth.caller();
        Job job = execution(request.getExecutionId(), caller);
        if (!request.getTeam().isEmpty() && !request.getTeam().equals(job.team())) {
            throw new InvalidRequestException("team", "execution " + job.executionId() + " belongs to team " + job.team()
                    + ", not " + request.getTeam());
        }
        CancelResponse answer;
        try {
            Job cancelled = runner.cancel(job.jobId(), null, caller);
            answer = CancelResponse.newBuilder()
                    .setSuccess(true)
                    .setMessage("execution " + cancelled.executionId() + " cancelled")
                    .setState(SparkRunnerMessages.state(cancelled.state()))
                    .build();
        }
        catch (PlatformException e) {
            if (e.code() != ErrorCode.JOB_ALREADY_FINISHED) {
                throw e;
            }
            answer = CancelResponse.newBuilder()
                    .setSuccess(false)
                    .setMessage(e.getMessage())
                    .setState(SparkRunnerMessages.state(runner.job(job.jobId(), caller).state()))
                    .build();
        }
        answer(response, answer);
    }

    /** The caller's executions of the job named exactly {@code job_name} (all of them when it is empty), newest first. */
    @Override
    public void list(ListRequest request, StreamObserver<ListResponse> response) {
        Caller caller = GrpcAuth.caller();
        int limit = request.getLimit() == 0 ? DEFAULT_LIST_LIMIT : request.getLimit();
        if (limit < 1 || limit > MAX_LIST_LIMIT) {
            throw new InvalidRequestException("limit", request.getLimit() + " is not from 1 to " + MAX_LIST_LIMIT + " (0: "
                    + DEFAULT_LIST_LIMIT + ")");
        }
        String name = GrpcServices.emptyToNull(request.getJobName());
        // Names are matched by prefix in the store, so longer names sharing it are skipped page by page.
        List<Execution> executions = new ArrayList<>();
        String pageToken = null;
        do {
            JobPage page = runner.list(new JobQuery(null, name, null, limit, pageToken), caller);
            for (Job job : page.jobs()) {
                if (executions.size() < limit && (name == null || job.name().equals(name))) {
                    executions.add(SparkRunnerMessages.toExecution(job, logsLink));
                }
            }
            pageToken = page.nextPageToken();
        } while (pageToken != null && executions.size() < limit);
        answer(response, ListResponse.newBuilder().addAllExecutions(executions).build());
    }

    private Job execution(String executionId, Caller caller) {
        if (executionId.isEmpty()) {
            throw new InvalidRequestException("execution_id", "is required");
        }
        return runner.jobByExecutionId(executionId, caller);
    }

    private static <T> void answer(StreamObserver<T> response, T message) {
        response.onNext(message);
        response.onCompleted();
    }
}
