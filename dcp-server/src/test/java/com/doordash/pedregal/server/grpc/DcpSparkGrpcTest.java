package com.doordash.pedregal.server.grpc;

import static com.doordash.pedregal.server.grpc.GrpcTestPlatform.DEMO_TOKEN;
import static com.doordash.pedregal.server.grpc.GrpcTestPlatform.JOB_TIMEOUT;
import static com.doordash.pedregal.server.grpc.GrpcTestPlatform.withToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.doordash.pedregal.runner.grpc.GrpcErrors;
import com.doordash.pedregal.server.DcpServer;
import com.doordash.pedregal.server.TestPlatform;
import com.doordash.pedregal.server.grpc.v1.CancelJobRequest;
import com.doordash.pedregal.server.grpc.v1.CoreETLConfig;
import com.doordash.pedregal.server.grpc.v1.CoreETLJobSpec;
import com.doordash.pedregal.server.grpc.v1.DCPSparkServiceGrpc;
import com.doordash.pedregal.server.grpc.v1.DriverConfig;
import com.doordash.pedregal.server.grpc.v1.ExecutorConfig;
import com.doordash.pedregal.server.grpc.v1.GetJobLogsRequest;
import com.doordash.pedregal.server.grpc.v1.GetJobLogsResponse;
import com.doordash.pedregal.server.grpc.v1.GetJobStatusRequest;
import com.doordash.pedregal.server.grpc.v1.GetJobStatusResponse;
import com.doordash.pedregal.server.grpc.v1.JobStatus;
import com.doordash.pedregal.server.grpc.v1.JobSummary;
import com.doordash.pedregal.server.grpc.v1.JobType;
import com.doordash.pedregal.server.grpc.v1.ListJobsRequest;
import com.doordash.pedregal.server.grpc.v1.ListJobsResponse;
import com.doordash.pedregal.server.grpc.v1.LogType;
import com.doordash.pedregal.server.grpc.v1.ResourceConfig;
import com.doordash.pedregal.server.grpc.v1.SinkConfig;
import com.doordash.pedregal.server.grpc.v1.SourceConfig;
import com.doordash.pedregal.server.grpc.v1.SparkJobConfig;
import com.doordash.pedregal.server.grpc.v1.SubmitJobRequest;
import com.doordash.pedregal.server.grpc.v1.SubmitJobResponse;
import com.doordash.pedregal.server.grpc.v1.TransformConfig;
import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dcp.spark.v1.DCPSparkService} against a real server, running the seed's example job on real Spark. */
final class DcpSparkGrpcTest {
    private static final Set<JobStatus> FINAL = Set.of(JobStatus.JOB_STATUS_SUCCEEDED, JobStatus.JOB_STATUS_FAILED,
            JobStatus.JOB_STATUS_CANCELLED, JobStatus.JOB_STATUS_TIMEOUT);

    @TempDir
    static Path dataDir;
    private static DcpServer server;
    private static ManagedChannel channel;
    private static DCPSparkServiceGrpc.DCPSparkServiceBlockingStub dcp;
    private static String seedJobName;
    private static SubmitJobResponse seedJob;

    @BeforeAll
    static void startServerAndSubmitTheSeedJob() {
        server = GrpcTestPlatform.start(dataDir);
        channel = GrpcTestPlatform.channel(server);
        dcp = withToken(DCPSparkServiceGrpc.newBlockingStub(channel), DEMO_TOKEN);
        // Submitted first, so that it runs on Spark while the quick tests go.
        seedJobName = "grpc-seed-" + GrpcTestPlatform.unique();
        seedJob = dcp.submitJob(seedRequest(seedJobName, "data-infra", "3.5"));
    }

    @AfterAll
    static void stopServer() throws InterruptedException {
        GrpcTestPlatform.close(channel);
        if (server != null) {
            server.close();
        }
    }

    @Test
    void seedExampleJobSucceedsWithMetricsLogsAndTheSameStatusOverRest() {
        assertThat(seedJob.getExecutionId()).startsWith("exec-");
        assertThat(seedJob.getStatus()).isIn(JobStatus.JOB_STATUS_PENDING, JobStatus.JOB_STATUS_SUBMITTED);
        assertThat(seedJob.getCreated()).isTrue();

        GetJobStatusResponse status = awaitFinal(seedJob.getJobId());

        assertThat(status.getStatus()).as(status.toString()).isEqualTo(JobStatus.JOB_STATUS_SUCCEEDED);
        assertThat(status.getName()).isEqualTo(seedJobName);
        assertThat(status.getTeam()).isEqualTo("data-infra");
        assertThat(status.getUser()).isEqualTo("user@doordash.com");
        assertThat(status.getSparkVersion()).isEqualTo("3.5");
        assertThat(status.getBackend()).isEqualTo("local");
        assertThat(status.getErrorMessage()).isEmpty();
        assertThat(status.getSparkUiUrl()).isEmpty();
        assertThat(status.getLogsUrl()).isEqualTo(server.url() + "/api/v1/jobs/" + seedJob.getJobId() + "/logs");
        assertThat(status.getHistoryList()).extracting(change -> change.getStatus())
                .containsSubsequence(JobStatus.JOB_STATUS_PENDING, JobStatus.JOB_STATUS_SUBMITTED, JobStatus.JOB_STATUS_SUCCEEDED);
        assertThat(status.hasMetrics()).isTrue();
        assertThat(status.getMetrics().getRecordsWritten()).isEqualTo(3000);

        GetJobLogsResponse logs = dcp.getJobLogs(GetJobLogsRequest.newBuilder().setJobId(seedJob.getJobId()).build());
        assertThat(logs.getLogs()).contains("CoreETL SUCCEEDED");
        assertThat(logs.getLogsUrl()).isEqualTo(status.getLogsUrl());
        GetJobLogsResponse tail = dcp.getJobLogs(GetJobLogsRequest.newBuilder()
                .setJobId(seedJob.getJobId()).setLogType(LogType.LOG_TYPE_EXECUTOR).setTailLines(3).build());
        assertThat(tail.getLogs().lines()).hasSizeBetween(1, 3);
        assertThat(logs.getLogs()).contains(tail.getLogs().strip());

        TestPlatform.Response rest = TestPlatform.get(server, "/api/v1/jobs/" + seedJob.getJobId());
        assertThat(rest.status()).isEqualTo(200);
        assertThat(rest.json().get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(rest.json().get("execution_id").asText()).isEqualTo(seedJob.getExecutionId());
        assertThat(java.time.Instant.parse(rest.json().get("end_time").asText()).toEpochMilli()).isEqualTo(status.getEndTimeMs());
        assertThat(rest.json().get("metrics").get("records_written").asLong()).isEqualTo(3000);

        ListJobsResponse listed = dcp.listJobs(ListJobsRequest.newBuilder()
                .setTeam("data-infra").setJobNamePrefix(seedJobName).setStatusFilter(JobStatus.JOB_STATUS_SUCCEEDED).build());
        assertThat(listed.getJobsList()).extracting(JobSummary::getJobId).containsExactly(seedJob.getJobId());
        assertThat(listed.getNextPageToken()).isEmpty();

        StatusRuntimeException cancel = catchThrowableOfType(StatusRuntimeException.class,
                () -> dcp.cancelJob(CancelJobRequest.newBuilder().setJobId(seedJob.getJobId()).build()));
        assertThat(cancel.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(cancel.getStatus().getDescription())
                .isEqualTo("job " + seedJob.getJobId() + " already finished as SUCCEEDED and cannot be cancelled");
        assertThat(cancel.getTrailers().get(GrpcErrors.ERROR_CODE)).isEqualTo("JOB_ALREADY_FINISHED");
    }

    @Test
    void callWithoutTokenIsUnauthenticated() {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                () -> DCPSparkServiceGrpc.newBlockingStub(channel).getJobStatus(jobRequest(seedJob.getJobId())));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(e.getTrailers().get(GrpcErrors.ERROR_CODE)).isEqualTo("UNAUTHENTICATED");
    }

    @Test
    void callWithWrongTokenIsUnauthenticated() {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                () -> withToken(DCPSparkServiceGrpc.newBlockingStub(channel), "not-a-token").getJobStatus(jobRequest(seedJob.getJobId())));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(e.getStatus().getDescription()).doesNotContain("not-a-token");
    }

    @Test
    void submitForAnotherTeamIsPermissionDeniedOnTeam() {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                () -> dcp.submitJob(seedRequest("grpc-other-team", "other-team", "3.5")));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(e.getStatus().getDescription()).isEqualTo("user user@doordash.com may not act for team other-team");
        assertThat(e.getTrailers().get(GrpcErrors.ERROR_CODE)).isEqualTo("PERMISSION_DENIED");
        assertThat(e.getTrailers().get(GrpcErrors.ERROR_FIELD)).isEqualTo("team");
    }

    @Test
    void unsupportedSparkVersionIsInvalidArgumentOnItsField() {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                () -> dcp.submitJob(seedRequest("grpc-bad-version", "data-infra", "9.9")));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(e.getStatus().getDescription()).isEqualTo("config.spark_version: \"9.9\" is not supported (supported: 3.5, 4.0)");
        assertThat(e.getTrailers().get(GrpcErrors.ERROR_CODE)).isEqualTo("INVALID_REQUEST");
        assertThat(e.getTrailers().get(GrpcErrors.ERROR_FIELD)).isEqualTo("config.spark_version");
    }

    @Test
    void problemInsideTheJobSpecJsonIsReportedAtItsRestPath() {
        SubmitJobRequest request = seedRequest("grpc-bad-spec", "data-infra", "3.5");
        SubmitJobRequest broken = request.toBuilder()
                .setConfig(request.getConfig().toBuilder()
                        .setCoreEtl(CoreETLConfig.newBuilder().setVersion("2.7.0")
                                .setJobSpec(ByteString.copyFromUtf8("{\"sources\": [{\"type\": 1}"))))
                .build();

        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> dcp.submitJob(broken));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(e.getTrailers().get(GrpcErrors.ERROR_FIELD)).startsWith("config.core_etl.job_spec");
    }

    @Test
    void protobufEncodedJobSpecIsReadAsTheSpecMessage() {
        SubmitJobRequest request = seedRequest("grpc-proto-spec", "data-infra", "3.5");
        CoreETLJobSpec spec = structuredSpec("SELECT * FROM source", "proto_spec");
        SubmitJobRequest encoded = request.toBuilder()
                .setConfig(request.getConfig().toBuilder().setCoreEtl(CoreETLConfig.newBuilder()
                        .setJobSpec(spec.toBuilder().setSinks(0, spec.getSinks(0).toBuilder().setTable("")).build().toByteString())))
                .build();

        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> dcp.submitJob(encoded));

        // Decoded, then validated like any spec: the one problem is the emptied table, at its path in job_spec.
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(e.getTrailers().get(GrpcErrors.ERROR_FIELD)).isEqualTo("config.core_etl.job_spec.sinks[0].table");
    }

    @Test
    void bytesThatAreNeitherJsonNorASpecMessageAreRefusedOnJobSpec() {
        SubmitJobRequest request = seedRequest("grpc-garbage-spec", "data-infra", "3.5");
        SubmitJobRequest garbage = request.toBuilder()
                .setConfig(request.getConfig().toBuilder().setCoreEtl(CoreETLConfig.newBuilder()
                        .setJobSpec(ByteString.copyFrom(new byte[] {(byte) 0xff, (byte) 0xff, 0x01}))))
                .build();

        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> dcp.submitJob(garbage));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(e.getTrailers().get(GrpcErrors.ERROR_FIELD)).isEqualTo("config.core_etl.job_spec");
        assertThat(e.getStatus().getDescription()).contains("is neither a JSON object nor a protobuf-encoded CoreETLJobSpec");
    }

    @Test
    void structuredSpecProblemsAreReportedWhereTheClientPutThem() {
        SubmitJobRequest request = seedRequest("grpc-structured-bad", "data-infra", "3.5");
        CoreETLJobSpec spec = request.getConfig().getCoreEtl().getStructuredSpec();
        SubmitJobRequest noTable = request.toBuilder()
                .setConfig(request.getConfig().toBuilder().setCoreEtl(request.getConfig().getCoreEtl().toBuilder()
                        .setStructuredSpec(spec.toBuilder().setSources(0, spec.getSources(0).toBuilder().setTable("")))))
                .build();
        SubmitJobRequest withOptions = request.toBuilder()
                .setConfig(request.getConfig().toBuilder().setCoreEtl(request.getConfig().getCoreEtl().toBuilder()
                        .setStructuredSpec(spec.toBuilder().setSinks(0, spec.getSinks(0).toBuilder().putOptions("path", "/etc")))))
                .build();
        SubmitJobRequest merge = request.toBuilder()
                .setConfig(request.getConfig().toBuilder().setCoreEtl(request.getConfig().getCoreEtl().toBuilder()
                        .setStructuredSpec(spec.toBuilder().setSinks(0, spec.getSinks(0).toBuilder().setMode("merge")))))
                .build();
        SubmitJobRequest both = request.toBuilder()
                .setConfig(request.getConfig().toBuilder().setCoreEtl(request.getConfig().getCoreEtl().toBuilder()
                        .setJobSpec(ByteString.copyFromUtf8("{}"))))
                .build();

        assertThat(fieldOfRefusal(noTable)).isEqualTo("config.core_etl.structured_spec.sources[0].table");
        assertThat(fieldOfRefusal(withOptions)).isEqualTo("config.core_etl.structured_spec.sinks[0].options");
        assertThat(fieldOfRefusal(merge)).isEqualTo("config.core_etl.structured_spec.sinks[0].mode");
        assertThat(fieldOfRefusal(both)).isEqualTo("config.core_etl.job_spec");
    }

    @Test
    void unknownJobIsNotFound() {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                () -> dcp.getJobStatus(jobRequest("no-such-job")));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(e.getStatus().getDescription()).isEqualTo("job no-such-job does not exist");
        assertThat(e.getTrailers().get(GrpcErrors.ERROR_CODE)).isEqualTo("JOB_NOT_FOUND");
        assertThat(e.getTrailers().get(GrpcErrors.ERROR_FIELD)).isEqualTo("job_id");
    }

    @Test
    void listLimitOutOfRangeIsInvalidArgument() {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                () -> dcp.listJobs(ListJobsRequest.newBuilder().setLimit(501).build()));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(e.getTrailers().get(GrpcErrors.ERROR_FIELD)).isEqualTo("limit");
    }

    @Test
    void reflectionListsBothServicesWithoutCredentials() throws Exception {
        CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel).serverReflectionInfo(
                new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse response) {
                        answer.complete(response);
                    }

                    @Override
                    public void onError(Throwable t) {
                        answer.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
        requests.onCompleted();

        List<String> services = answer.get(30, TimeUnit.SECONDS).getListServicesResponse().getServiceList().stream()
                .map(ServiceResponse::getName).toList();

        assertThat(services).contains("dcp.spark.v1.DCPSparkService", "spark.runner.v1.SparkRunnerService");
    }

    private static GetJobStatusResponse awaitFinal(String jobId) {
        long deadline = System.nanoTime() + JOB_TIMEOUT.toNanos();
        GetJobStatusResponse status;
        do {
            status = dcp.getJobStatus(jobRequest(jobId));
            if (FINAL.contains(status.getStatus())) {
                return status;
            }
            TestPlatform.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("job " + jobId + " did not end within " + JOB_TIMEOUT + "; last status " + status
                + "; log tail:\n" + dcp.getJobLogs(GetJobLogsRequest.newBuilder().setJobId(jobId).setTailLines(40).build()).getLogs());
    }

    private static String fieldOfRefusal(SubmitJobRequest request) {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> dcp.submitJob(request));
        assertThat(e.getStatus().getCode()).as(String.valueOf(e)).isEqualTo(Status.Code.INVALID_ARGUMENT);
        return e.getTrailers().get(GrpcErrors.ERROR_FIELD);
    }

    private static GetJobStatusRequest jobRequest(String jobId) {
        return GetJobStatusRequest.newBuilder().setJobId(jobId).build();
    }

    /** The seed README's example spec as a message, writing to {@code sinkTable}. */
    private static CoreETLJobSpec structuredSpec(String query, String sinkTable) {
        return CoreETLJobSpec.newBuilder()
                .addSources(SourceConfig.newBuilder().setType("iceberg").setCatalog("pedregal").setDatabase("raw").setTable("events"))
                .addTransformations(TransformConfig.newBuilder().setType("sql").setQuery(query))
                .addSinks(SinkConfig.newBuilder().setType("iceberg").setCatalog("pedregal").setDatabase("derived").setTable(sinkTable)
                        .setMode("append"))
                .build();
    }

    /** The seed README's example job, sent as a structured spec, writing to a table of its own. */
    private static SubmitJobRequest seedRequest(String name, String team, String sparkVersion) {
        return SubmitJobRequest.newBuilder()
                .setName(name)
                .setTeam(team)
                .setUser("user@doordash.com")
                .setConfig(SparkJobConfig.newBuilder()
                        .setSparkVersion(sparkVersion)
                        .setJobType(JobType.JOB_TYPE_BATCH)
                        .setCoreEtl(CoreETLConfig.newBuilder()
                                .setVersion("2.7.0")
                                .setStructuredSpec(structuredSpec("SELECT * FROM source WHERE event_type = 'order'",
                                        "grpc_orders_" + GrpcTestPlatform.unique())))
                        .setResources(ResourceConfig.newBuilder()
                                .setDriver(DriverConfig.newBuilder().setCores(1).setMemory("1g"))
                                .setExecutor(ExecutorConfig.newBuilder().setInstances(1).setCores(1).setMemory("1g"))))
                .build();
    }
}
