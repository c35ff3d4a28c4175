package com.doordash.pedregal.server.grpc;

import static com.doordash.pedregal.server.grpc.GrpcTestPlatform.DEMO_TOKEN;
import static com.doordash.pedregal.server.grpc.GrpcTestPlatform.JOB_TIMEOUT;
import static com.doordash.pedregal.server.grpc.GrpcTestPlatform.withToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.doordash.pedregal.runner.grpc.GrpcErrors;
import com.doordash.pedregal.runner.grpc.v1.CancelRequest;
import com.doordash.pedregal.runner.grpc.v1.CancelResponse;
import com.doordash.pedregal.runner.grpc.v1.CheckRequest;
import com.doordash.pedregal.runner.grpc.v1.Execution;
import com.doordash.pedregal.runner.grpc.v1.JobSpec;
import com.doordash.pedregal.runner.grpc.v1.ListRequest;
import com.doordash.pedregal.runner.grpc.v1.JobMetadata;
import com.doordash.pedregal.runner.grpc.v1.ResourceSpec;
import com.doordash.pedregal.runner.grpc.v1.SparkRunnerServiceGrpc;
import com.doordash.pedregal.runner.grpc.v1.SparkSpec;
import com.doordash.pedregal.runner.grpc.v1.ExecutionState;
import com.doordash.pedregal.runner.grpc.v1.SubmitRequest;
import com.doordash.pedregal.runner.grpc.v1.SubmitResponse;
import com.doordash.pedregal.server.DcpServer;
import com.doordash.pedregal.server.TestPlatform;
import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spark.runner.v1.SparkRunnerService} against a real server: a CoreETL job, a custom-jar job and a job
 * submitted over REST run on real Spark at the same time, and are followed by execution id.
 */
final class SparkRunnerGrpcTest {
    private static final Set<ExecutionState> FINAL = Set.of(ExecutionState.EXECUTION_STATE_SUCCEEDED,
            ExecutionState.EXECUTION_STATE_FAILED, ExecutionState.EXECUTION_STATE_CANCELLED, ExecutionState.EXECUTION_STATE_TIMEOUT);

    @TempDir
    static Path dataDir;
    private static DcpServer server;
    private static ManagedChannel channel;
    private static SparkRunnerServiceGrpc.SparkRunnerServiceBlockingStub runner;
    private static SubmitResponse coreEtlJob;
    private static SubmitResponse customJarJob;
    private static String restJobName;
    private static JsonNode restJob;
    private static SubmitResponse cancelledJob;
    private static CancelResponse cancelAnswer;

    @BeforeAll
    static void startServerAndSubmitJobs() {
        server = GrpcTestPlatform.start(dataDir);
        channel = GrpcTestPlatform.channel(server);
        runner = withToken(SparkRunnerServiceGrpc.newBlockingStub(channel), DEMO_TOKEN);

        // All Spark jobs start here, so that they run at the same time.
        coreEtlJob = runner.submit(SubmitRequest.newBuilder()
                .setJobSpec(spec("grpc-runner-coreetl-" + GrpcTestPlatform.unique(), "data-infra", SparkSpec.newBuilder()
                        .setCoreEtlJobSpecJson(GrpcTestPlatform.specJson("SELECT * FROM source WHERE event_type = 'order'", "runner_orders"))
                        .setDriver(ResourceSpec.newBuilder().setCores(1).setMemory("1g"))))
                .setIdempotencyKey("runner-coreetl-" + GrpcTestPlatform.unique())
                .build());
        customJarJob = runner.submit(SubmitRequest.newBuilder()
                .setJobSpec(spec("grpc-runner-jar-" + GrpcTestPlatform.unique(), "data-infra", SparkSpec.newBuilder()
                        .setJarPath(Path.of(System.getProperty("dcp.runtimes-dir")).toAbsolutePath().normalize()
                                .resolve("3.5/app/coreetl.jar").toString())
                        .setMainClass("com.doordash.pedregal.coreetl.QueryMain")
                        .addArgs("SELECT 1 AS one")))
                .build());
        restJobName = "grpc-rest-" + GrpcTestPlatform.unique();
        TestPlatform.Response submitted = TestPlatform.post(server, "/api/v1/jobs", """
                {"name": "%s", "team": "data-infra", "user": "user@doordash.com",
                 "config": {"spark_version": "3.5", "core_etl": {"version": "2.7.0", "job_spec": %s}}}
                """.formatted(restJobName, GrpcTestPlatform.specJson("SELECT user_id FROM source WHERE event_type = 'refund'", "rest_refunds")));
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        restJob = submitted.json();
        // A job whose name extends the REST job's, cancelled before it gets far: List must not return it for that name.
        cancelledJob = runner.submit(SubmitRequest.newBuilder()
                .setJobSpec(spec(restJobName + "-sleeper", "data-infra", SparkSpec.newBuilder()
                        .setCoreEtlJobSpecJson(GrpcTestPlatform.specJson(
                                "SELECT java_method('java.lang.Thread', 'sleep', 120000L) AS slept", "slept"))))
                .build());
        cancelAnswer = runner.cancel(CancelRequest.newBuilder()
                .setExecutionId(cancelledJob.getExecutionId()).setTeam("data-infra").build());
    }

    @AfterAll
    static void stopServer() throws InterruptedException {
        GrpcTestPlatform.close(channel);
        if (server != null) {
            server.close();
        }
    }

    @Test
    void coreEtlSubmitSucceedsAsCheckShows() {
        assertThat(coreEtlJob.getExecutionId()).startsWith("exec-");
        assertThat(coreEtlJob.getJobId()).isNotEmpty();

        Execution execution = awaitFinal(coreEtlJob.getExecutionId());

        assertThat(execution.getState()).as(execution.toString()).isEqualTo(ExecutionState.EXECUTION_STATE_SUCCEEDED);
        assertThat(execution.getJobId()).isEqualTo(coreEtlJob.getJobId());
        assertThat(execution.getJobPath()).isEqualTo("/api/v1/jobs/" + coreEtlJob.getJobId());
        assertThat(execution.getOwner()).isEqualTo("user@doordash.com");
        assertThat(execution.getTeam()).isEqualTo("data-infra");
        assertThat(execution.getVendor()).isEqualTo("local");
        assertThat(execution.getVendorRunId()).isNotEmpty();
        assertThat(execution.getStartTimeMs()).isPositive().isLessThan(execution.getEndTimeMs());
        assertThat(execution.getVendorWebui()).isEmpty();
        assertThat(execution.getVendorLogsLink()).isEqualTo(server.url() + "/api/v1/jobs/" + coreEtlJob.getJobId() + "/logs");
        assertThat(execution.getErrorMessage()).isEmpty();
    }

    @Test
    void customJarSubmitSucceeds() {
        Execution execution = awaitFinal(customJarJob.getExecutionId());

        assertThat(execution.getState()).as(execution.toString()).isEqualTo(ExecutionState.EXECUTION_STATE_SUCCEEDED);
        TestPlatform.Response logs = TestPlatform.get(server, "/api/v1/jobs/" + customJarJob.getJobId() + "/logs");
        assertThat(logs.json().get("logs").asText()).contains("ROW 0 {\"one\":1}");
    }

    @Test
    void jobSubmittedOverRestIsCheckedListedAndNotCancelledOnceFinished() {
        String executionId = restJob.get("execution_id").asText();

        Execution execution = awaitFinal(executionId);

        assertThat(execution.getState()).as(execution.toString()).isEqualTo(ExecutionState.EXECUTION_STATE_SUCCEEDED);
        assertThat(execution.getJobId()).isEqualTo(restJob.get("job_id").asText());
        assertThat(execution.getJobName()).isEqualTo(restJobName);

        List<Execution> listed = runner.list(ListRequest.newBuilder().setJobName(restJobName).setLimit(10).build()).getExecutionsList();
        assertThat(listed).extracting(Execution::getExecutionId).containsExactly(executionId);

        CancelResponse cancel = runner.cancel(CancelRequest.newBuilder().setExecutionId(executionId).build());
        assertThat(cancel.getSuccess()).isFalse();
        assertThat(cancel.getState()).isEqualTo(ExecutionState.EXECUTION_STATE_SUCCEEDED);
        assertThat(cancel.getMessage())
                .isEqualTo("job " + execution.getJobId() + " already finished as SUCCEEDED and cannot be cancelled");
    }

    @Test
    void cancelOfAnUnfinishedExecutionSucceeds() {
        assertThat(cancelAnswer.getSuccess()).as(cancelAnswer.getMessage()).isTrue();
        assertThat(cancelAnswer.getMessage()).isEqualTo("execution " + cancelledJob.getExecutionId() + " cancelled");
        assertThat(cancelAnswer.getState()).isEqualTo(ExecutionState.EXECUTION_STATE_CANCELLED);

        Execution execution = runner.check(CheckRequest.newBuilder().setExecutionId(cancelledJob.getExecutionId()).build())
                .getExecution();
        assertThat(execution.getState()).isEqualTo(ExecutionState.EXECUTION_STATE_CANCELLED);
        assertThat(execution.getEndTimeMs()).isPositive();
    }

    @Test
    void unknownExecutionIsNotFound() {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                () -> runner.check(CheckRequest.newBuilder().setExecutionId("exec-nope").build()));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(e.getStatus().getDescription()).isEqualTo("execution exec-nope does not exist");
        assertThat(e.getTrailers().get(GrpcErrors.ERROR_FIELD)).isEqualTo("execution_id");
    }

    @Test
    void unsupportedSparkVersionIsInvalidArgumentOnTheSpecField() {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> runner.submit(SubmitRequest.newBuilder()
                .setJobSpec(spec("grpc-runner-bad", "data-infra", SparkSpec.newBuilder()
                        .setSparkVersion("9.9")
                        .setCoreEtlJobSpecJson(GrpcTestPlatform.specJson("SELECT 1 AS one", "never"))))
                .build()));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(e.getStatus().getDescription()).isEqualTo("job_spec.spark.spark_version: \"9.9\" is not supported (supported: 3.5, 4.0)");
        assertThat(e.getTrailers().get(GrpcErrors.ERROR_FIELD)).isEqualTo("job_spec.spark.spark_version");
    }

    @Test
    void submitForAnotherTeamIsPermissionDeniedOnTheTeamField() {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> runner.submit(SubmitRequest.newBuilder()
                .setJobSpec(spec("grpc-runner-other", "other-team", SparkSpec.newBuilder()
                        .setCoreEtlJobSpecJson(GrpcTestPlatform.specJson("SELECT 1 AS one", "never"))))
                .build()));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(e.getTrailers().get(GrpcErrors.ERROR_FIELD)).isEqualTo("job_spec.metadata.team");
    }

    @Test
    void callWithoutTokenIsUnauthenticated() {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                () -> SparkRunnerServiceGrpc.newBlockingStub(channel).list(ListRequest.getDefaultInstance()));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    }

    private static Execution awaitFinal(String executionId) {
        long deadline = System.nanoTime() + JOB_TIMEOUT.toNanos();
        Execution execution;
        do {
            execution = runner.check(CheckRequest.newBuilder().setExecutionId(executionId).build()).getExecution();
            if (FINAL.contains(execution.getState())) {
                return execution;
            }
            TestPlatform.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("execution " + executionId + " did not end within " + JOB_TIMEOUT + "; last " + execution);
    }

    private static JobSpec spec(String name, String team, SparkSpec.Builder spark) {
        return JobSpec.newBuilder()
                .setName(name)
                .setMetadata(JobMetadata.newBuilder().setTeam(team).setUser("user@doordash.com"))
                .setSpark(spark)
                .build();
    }
}
