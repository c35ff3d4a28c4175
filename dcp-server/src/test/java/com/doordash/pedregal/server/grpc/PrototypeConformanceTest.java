package com.doordash.pedregal.server.grpc;

import static com.doordash.pedregal.server.grpc.GrpcTestPlatform.DEMO_TOKEN;
import static com.doordash.pedregal.server.grpc.GrpcTestPlatform.JOB_TIMEOUT;
import static com.doordash.pedregal.server.grpc.GrpcTestPlatform.withToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.doordash.dcp.spark.v1.DCPSparkServiceGrpc;
import com.doordash.dcp.spark.v1.DcpSpark;
import com.doordash.pedregal.runner.grpc.GrpcErrors;
import com.doordash.pedregal.server.DcpServer;
import com.doordash.pedregal.server.TestPlatform;
import com.doordash.spark.client.DCPSparkClient;
import com.doordash.spark.runner.v1.SparkRunner;
import com.doordash.spark.runner.v1.SparkRunnerServiceGrpc;
import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed prototype's clients, unchanged ({@code src/test/resources/prototype}), against a real server: stubs
 * generated from its protos call every RPC of both services, its Go REST client runs submit, wait, logs and
 * cancel, and its Java REST client submits. What they decode must be what REST says of the same job.
 */
final class PrototypeConformanceTest {
    private static final Set<DcpSpark.JobStatus> FINAL_STATUSES = Set.of(DcpSpark.JobStatus.JOB_STATUS_SUCCEEDED,
            DcpSpark.JobStatus.JOB_STATUS_FAILED, DcpSpark.JobStatus.JOB_STATUS_CANCELLED, DcpSpark.JobStatus.JOB_STATUS_TIMEOUT);
    private static final Set<SparkRunner.ExecutionState> FINAL_STATES = Set.of(
            SparkRunner.ExecutionState.EXECUTION_STATE_SUCCEEDED, SparkRunner.ExecutionState.EXECUTION_STATE_FAILED,
            SparkRunner.ExecutionState.EXECUTION_STATE_CANCELLED);
    private static final String QUERY_MAIN = "com.doordash.pedregal.coreetl.QueryMain";

    @TempDir
    static Path dataDir;
    private static DcpServer server;
    private static ManagedChannel channel;
    private static DCPSparkServiceGrpc.DCPSparkServiceBlockingStub dcp;
    private static SparkRunnerServiceGrpc.SparkRunnerServiceBlockingStub runner;
    private static CompletableFuture<PrototypeGoClient.Run> goClient;
    private static String seedName;
    private static DcpSpark.SubmitJobResponse seedJob;
    private static String jarName;
    private static SparkRunner.SubmitResponse jarJob;

    @BeforeAll
    static void startServerAndTheJobsThatRun() {
        server = GrpcTestPlatform.start(dataDir);
        channel = GrpcTestPlatform.channel(server);
        dcp = withToken(DCPSparkServiceGrpc.newBlockingStub(channel), DEMO_TOKEN);
        runner = withToken(SparkRunnerServiceGrpc.newBlockingStub(channel), DEMO_TOKEN);
        // The Go client builds and runs its jobs while the stubs' jobs run.
        goClient = CompletableFuture.supplyAsync(() -> PrototypeGoClient.run(server.url(), DEMO_TOKEN, queryMainJar(),
                "go-client-" + GrpcTestPlatform.unique()));

        seedName = "proto-seed-" + GrpcTestPlatform.unique();
        seedJob = dcp.submitJob(DcpSpark.SubmitJobRequest.newBuilder()
                .setName(seedName)
                .setTeam("data-infra")
                .setUser("user@doordash.com")
                .setConfig(DcpSpark.SparkJobConfig.newBuilder()
                        .setSparkVersion("3.5")
                        .setJobType(DcpSpark.JobType.JOB_TYPE_BATCH)
                        .setCoreEtl(DcpSpark.CoreETLConfig.newBuilder()
                                .setVersion("2.7.0")
                                .setJobSpec(ByteString.copyFromUtf8(GrpcTestPlatform.specJson(
                                        "SELECT * FROM source WHERE event_type = 'order'", "proto_orders"))))
                        .setResources(DcpSpark.ResourceConfig.newBuilder()
                                .setDriver(DcpSpark.DriverConfig.newBuilder().setCores(1).setMemory("1g"))
                                .setExecutor(DcpSpark.ExecutorConfig.newBuilder().setInstances(1).setCores(1).setMemory("1g")
                                        .setDynamicAllocation(true).setMinExecutors(1).setMaxExecutors(2)))
                        .putSparkConfig("spark.sql.shuffle.partitions", "4"))
                .build());

        // The Spark settings the driver got, printed by the job itself: the resources must land where they belong.
        jarName = "proto-jar-" + GrpcTestPlatform.unique();
        jarJob = runner.submit(SparkRunner.SubmitRequest.newBuilder()
                .setJobSpec(SparkRunner.JobSpec.newBuilder()
                        .setName(jarName)
                        .setMetadata(SparkRunner.JobMetadata.newBuilder().setTeam("data-infra").setUser("user@doordash.com"))
                        .setSpark(SparkRunner.SparkSpec.newBuilder()
                                .setMainClass(QUERY_MAIN)
                                .setJarPath(queryMainJar())
                                .addAllArgs(List.of("SET spark.executor.instances", "SET spark.executor.cores",
                                        "SET spark.executor.memory", "SET spark.executor.memoryOverhead", "SET spark.sql.shuffle.partitions"))
                                .putSparkConfig("spark.sql.shuffle.partitions", "3")
                                .setDriver(SparkRunner.ResourceSpec.newBuilder().setCores(1).setMemory("1g"))
                                .setExecutor(SparkRunner.ResourceSpec.newBuilder()
                                        .setCores(1).setMemory("1g").setMemoryOverhead("384m").setInstances(2))
                                .setBatch(SparkRunner.BatchSpec.getDefaultInstance())))
                .setIdempotencyKey("proto-jar-" + GrpcTestPlatform.unique())
                .build());
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (goClient != null) {
            goClient.cancel(true);
        }
        GrpcTestPlatform.close(channel);
        if (server != null) {
            server.close();
        }
    }

    @Test
    void dcpSparkServiceStubsDecodeTheSameStatusListAndLogsAsRest() {
        assertThat(seedJob.getJobId()).isNotEmpty();
        assertThat(seedJob.getExecutionId()).startsWith("exec-");
        assertThat(seedJob.getStatus()).isIn(DcpSpark.JobStatus.JOB_STATUS_PENDING, DcpSpark.JobStatus.JOB_STATUS_SUBMITTED);
        assertThat(seedJob.getMessage()).isEqualTo("job accepted");

        DcpSpark.GetJobStatusResponse status = awaitFinal(seedJob.getJobId());
        JsonNode rest = TestPlatform.get(server, "/api/v1/jobs/" + seedJob.getJobId()).json();

        assertThat(status.getStatus()).as(status.toString()).isEqualTo(DcpSpark.JobStatus.JOB_STATUS_SUCCEEDED);
        assertThat(status.getJobId()).isEqualTo(rest.get("job_id").asText());
        assertThat(status.getExecutionId()).isEqualTo(rest.get("execution_id").asText()).isEqualTo(seedJob.getExecutionId());
        assertThat(status.getStatus().name()).isEqualTo("JOB_STATUS_" + rest.get("status").asText());
        assertThat(status.getStartTimeMs()).isEqualTo(millis(rest, "start_time")).isPositive();
        assertThat(status.getEndTimeMs()).isEqualTo(millis(rest, "end_time")).isGreaterThan(status.getStartTimeMs());
        assertThat(status.getSparkUiUrl()).isEqualTo(rest.path("spark_ui_url").asText(""));
        assertThat(status.getLogsUrl()).isEqualTo(rest.get("logs_url").asText());
        assertThat(status.getErrorMessage()).isEqualTo(rest.path("error_message").asText(""));
        JsonNode metrics = rest.get("metrics");
        assertThat(status.getMetrics().getRecordsRead()).isEqualTo(metrics.get("records_read").asLong()).isPositive();
        assertThat(status.getMetrics().getRecordsWritten()).isEqualTo(metrics.get("records_written").asLong()).isEqualTo(3000);
        assertThat(status.getMetrics().getBytesRead()).isEqualTo(metrics.get("bytes_read").asLong());
        assertThat(status.getMetrics().getBytesWritten()).isEqualTo(metrics.get("bytes_written").asLong());
        assertThat(status.getMetrics().getStagesCompleted()).isEqualTo(metrics.get("stages_completed").asInt()).isPositive();
        assertThat(status.getMetrics().getTasksCompleted()).isEqualTo(metrics.get("tasks_completed").asInt()).isPositive();
        assertThat(status.getMetrics().getExecutorCpuTimeMs()).isEqualTo(metrics.get("executor_cpu_time_ms").asDouble());

        DcpSpark.ListJobsResponse listed = dcp.listJobs(DcpSpark.ListJobsRequest.newBuilder()
                .setTeam("data-infra").setJobNamePrefix(seedName).setStatusFilter(DcpSpark.JobStatus.JOB_STATUS_SUCCEEDED)
                .setLimit(10).build());
        assertThat(listed.getJobsList()).hasSize(1);
        DcpSpark.JobSummary summary = listed.getJobs(0);
        assertThat(summary.getJobId()).isEqualTo(rest.get("job_id").asText());
        assertThat(summary.getName()).isEqualTo(rest.get("name").asText()).isEqualTo(seedName);
        assertThat(summary.getTeam()).isEqualTo(rest.get("team").asText());
        assertThat(summary.getStatus()).isEqualTo(status.getStatus());
        assertThat(summary.getStartTimeMs()).isEqualTo(status.getStartTimeMs());
        assertThat(summary.getEndTimeMs()).isEqualTo(status.getEndTimeMs());
        assertThat(listed.getNextPageToken()).isEmpty();

        DcpSpark.GetJobLogsResponse logs = dcp.getJobLogs(DcpSpark.GetJobLogsRequest.newBuilder()
                .setJobId(seedJob.getJobId()).setLogType(DcpSpark.LogType.LOG_TYPE_DRIVER).setTailLines(5).build());
        JsonNode restLogs = TestPlatform.get(server, "/api/v1/jobs/" + seedJob.getJobId() + "/logs?tail=5").json();
        assertThat(logs.getLogs()).isEqualTo(restLogs.get("logs").asText()).isNotEmpty();
        assertThat(logs.getLogsUrl()).isEqualTo(restLogs.get("logs_url").asText());

        StatusRuntimeException cancel = catchThrowableOfType(StatusRuntimeException.class,
                () -> dcp.cancelJob(DcpSpark.CancelJobRequest.newBuilder().setJobId(seedJob.getJobId()).build()));
        TestPlatform.Response restCancel = TestPlatform.delete(server, "/api/v1/jobs/" + seedJob.getJobId());
        assertThat(cancel.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(restCancel.status()).isEqualTo(409);
        assertThat(cancel.getStatus().getDescription()).isEqualTo(restCancel.json().at("/error/message").asText());
    }

    @Test
    void dcpSparkServiceStubsCancelARunningJob() {
        DcpSpark.SubmitJobResponse sleeper = dcp.submitJob(DcpSpark.SubmitJobRequest.newBuilder()
                .setName("proto-sleeper-" + GrpcTestPlatform.unique())
                .setTeam("data-infra")
                .setUser("user@doordash.com")
                .setConfig(DcpSpark.SparkJobConfig.newBuilder()
                        .setSparkVersion("3.5")
                        .setCoreEtl(DcpSpark.CoreETLConfig.newBuilder()
                                .setJobSpec(ByteString.copyFromUtf8(GrpcTestPlatform.specJson(
                                        "SELECT java_method('java.lang.Thread', 'sleep', 120000L) AS slept", "proto_slept")))))
                .build());

        DcpSpark.CancelJobResponse cancel = dcp.cancelJob(DcpSpark.CancelJobRequest.newBuilder()
                .setJobId(sleeper.getJobId()).setReason("conformance test").build());

        assertThat(cancel.getSuccess()).as(cancel.getMessage()).isTrue();
        assertThat(cancel.getMessage()).isEqualTo("job " + sleeper.getJobId() + " cancelled");
        JsonNode rest = TestPlatform.get(server, "/api/v1/jobs/" + sleeper.getJobId()).json();
        assertThat(rest.get("status").asText()).isEqualTo("CANCELLED");
        DcpSpark.GetJobStatusResponse status = dcp.getJobStatus(DcpSpark.GetJobStatusRequest.newBuilder()
                .setJobId(sleeper.getJobId()).build());
        assertThat(status.getStatus()).isEqualTo(DcpSpark.JobStatus.JOB_STATUS_CANCELLED);
        assertThat(status.getEndTimeMs()).isEqualTo(millis(rest, "end_time")).isPositive();
        assertThat(status.getErrorMessage()).isEqualTo(rest.path("error_message").asText(""));
    }

    @Test
    void sparkRunnerServiceStubsDecodeTheSameExecutionAsRestAndTheResourcesReachTheDriver() {
        assertThat(jarJob.getExecutionId()).startsWith("exec-");

        SparkRunner.Execution execution = awaitFinalExecution(jarJob.getExecutionId());
        String jobId = execution.getJobPath().substring("/api/v1/jobs/".length());
        JsonNode rest = TestPlatform.get(server, "/api/v1/jobs/" + jobId).json();

        assertThat(execution.getState()).as(execution.toString()).isEqualTo(SparkRunner.ExecutionState.EXECUTION_STATE_SUCCEEDED);
        assertThat(execution.getExecutionId()).isEqualTo(rest.get("execution_id").asText());
        assertThat(execution.getOwner()).isEqualTo(rest.get("user").asText()).isEqualTo("user@doordash.com");
        assertThat(execution.getTeam()).isEqualTo(rest.get("team").asText());
        assertThat(execution.getStartTimeMs()).isEqualTo(millis(rest, "start_time")).isPositive();
        assertThat(execution.getEndTimeMs()).isEqualTo(millis(rest, "end_time")).isGreaterThan(execution.getStartTimeMs());
        assertThat(execution.getState().name()).isEqualTo("EXECUTION_STATE_" + rest.get("status").asText());
        assertThat(execution.getVendor()).isEqualTo(rest.get("backend").asText()).isEqualTo("local");
        assertThat(execution.getVendorRunId()).isNotEmpty();
        assertThat(execution.getVendorWebui()).isEqualTo(rest.path("spark_ui_url").asText(""));
        assertThat(execution.getVendorLogsLink()).isEqualTo(rest.get("logs_url").asText());

        // The prototype's ResourceSpec is {cores, memory, memory_overhead, instances}: each must reach its own setting.
        String logs = TestPlatform.get(server, "/api/v1/jobs/" + jobId + "/logs").json().get("logs").asText();
        assertThat(logs)
                .contains("ROW 0 {\"key\":\"spark.executor.instances\",\"value\":\"2\"}")
                .contains("ROW 1 {\"key\":\"spark.executor.cores\",\"value\":\"1\"}")
                .contains("ROW 2 {\"key\":\"spark.executor.memory\",\"value\":\"1g\"}")
                .contains("ROW 3 {\"key\":\"spark.executor.memoryOverhead\",\"value\":\"384m\"}")
                .contains("ROW 4 {\"key\":\"spark.sql.shuffle.partitions\",\"value\":\"3\"}");

        List<SparkRunner.Execution> listed = runner.list(SparkRunner.ListRequest.newBuilder().setJobName(jarName).setLimit(5).build())
                .getExecutionsList();
        assertThat(listed).containsExactly(execution);

        SparkRunner.CancelResponse cancel = runner.cancel(SparkRunner.CancelRequest.newBuilder()
                .setExecutionId(execution.getExecutionId()).setTeam("data-infra").build());
        assertThat(cancel.getSuccess()).isFalse();
        assertThat(cancel.getMessage()).isEqualTo("job " + jobId + " already finished as SUCCEEDED and cannot be cancelled");
    }

    @Test
    void sparkRunnerServiceStubsCancelARunningExecution() {
        SparkRunner.SubmitResponse sleeper = runner.submit(SparkRunner.SubmitRequest.newBuilder()
                .setJobSpec(SparkRunner.JobSpec.newBuilder()
                        .setName("proto-jar-sleeper-" + GrpcTestPlatform.unique())
                        .setMetadata(SparkRunner.JobMetadata.newBuilder().setTeam("data-infra").setOwnerEmail("user@doordash.com"))
                        .setSpark(SparkRunner.SparkSpec.newBuilder()
                                .setMainClass(QUERY_MAIN)
                                .setJarPath(queryMainJar())
                                .addArgs("SELECT java_method('java.lang.Thread', 'sleep', 120000L) AS slept")))
                .build());

        SparkRunner.CancelResponse cancel = runner.cancel(SparkRunner.CancelRequest.newBuilder()
                .setExecutionId(sleeper.getExecutionId()).build());

        assertThat(cancel.getSuccess()).as(cancel.getMessage()).isTrue();
        SparkRunner.Execution execution = runner.check(SparkRunner.CheckRequest.newBuilder()
                .setExecutionId(sleeper.getExecutionId()).build()).getExecution();
        assertThat(execution.getState()).isEqualTo(SparkRunner.ExecutionState.EXECUTION_STATE_CANCELLED);
        assertThat(execution.getOwner()).isEqualTo("user@doordash.com");
        assertThat(execution.getEndTimeMs()).isPositive();
    }

    @Test
    void streamSettingsThePlatformDoesNotTakeAreRefusedNamingTheField() {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> runner.submit(
                SparkRunner.SubmitRequest.newBuilder()
                        .setJobSpec(SparkRunner.JobSpec.newBuilder()
                                .setName("proto-stream")
                                .setMetadata(SparkRunner.JobMetadata.newBuilder().setTeam("data-infra").setUser("user@doordash.com"))
                                .setSpark(SparkRunner.SparkSpec.newBuilder()
                                        .setMainClass(QUERY_MAIN)
                                        .setJarPath(queryMainJar())
                                        .setStream(SparkRunner.StreamSpec.newBuilder()
                                                .setCheckpointLocation("/tmp/another-teams/checkpoints"))))
                        .build()));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(e.getTrailers().get(GrpcErrors.ERROR_FIELD)).isEqualTo("job_spec.spark.stream.checkpoint_location");
    }

    @Test
    void goClientRunsSubmitWaitLogsAndCancelAndItsDynamicAllocationReachesTheDriver() throws Exception {
        PrototypeGoClient.Run run;
        try {
            run = goClient.get(JOB_TIMEOUT.toSeconds() + 240, TimeUnit.SECONDS);
        }
        catch (ExecutionException e) {
            // Without Go this aborts (the test skips) or, under DCP_REQUIRE_GO=1, fails: rethrow what the run threw.
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
        JsonNode report = run.report();

        JsonNode submitted = report.get("submitted");
        JsonNode rest = TestPlatform.get(server, "/api/v1/jobs/" + submitted.get("job_id").asText()).json();
        JsonNode fin = report.get("final");
        assertThat(fin.get("status").asText()).as(report.toString()).isEqualTo("SUCCEEDED");
        assertThat(fin.get("job_id").asText()).isEqualTo(rest.get("job_id").asText());
        assertThat(fin.get("execution_id").asText()).isEqualTo(rest.get("execution_id").asText())
                .isEqualTo(submitted.get("execution_id").asText());
        assertThat(Instant.parse(fin.get("start_time").asText())).isEqualTo(Instant.parse(rest.get("start_time").asText()));
        assertThat(Instant.parse(fin.get("end_time").asText())).isEqualTo(Instant.parse(rest.get("end_time").asText()));
        assertThat(fin.get("logs_url").asText()).isEqualTo(rest.get("logs_url").asText());
        assertThat(report.at("/logs/logs_url").asText()).isEqualTo(rest.get("logs_url").asText());
        assertThat(report.at("/logs/logs").asText())
                .contains("ROW 0 {\"key\":\"spark.dynamicAllocation.enabled\",\"value\":\"true\"}")
                .contains("ROW 1 {\"key\":\"spark.dynamicAllocation.minExecutors\",\"value\":\"1\"}")
                .contains("ROW 2 {\"key\":\"spark.dynamicAllocation.maxExecutors\",\"value\":\"3\"}");

        assertThat(report.get("cancel_error").asText()).isEmpty();
        assertThat(report.at("/after_cancel/status").asText()).isEqualTo("CANCELLED");
        // The client's streaming example is refused for what the platform does not run, not for where it puts executors.
        assertThat(report.get("streaming_error").asText()).startsWith("unexpected status code 400")
                .contains("config.job_type").doesNotContain("executor");
        assertThat(report.get("unknown_job_error").asText()).isEqualTo("job not found: no-such-job");
    }

    @Test
    void javaClientSubmitsWithItsExecutorConfigAndCancels() throws Exception {
        DCPSparkClient client = new DCPSparkClient(server.url(), Duration.ofSeconds(30));
        client.setAuthToken(DEMO_TOKEN);
        // Its ExecutorConfig always sends dynamic_allocation, min_executors and max_executors (false, 0, 0 here).
        DCPSparkClient.SubmitJobRequest request = DCPSparkClient.SubmitJobRequest.builder()
                .name("java-client-" + GrpcTestPlatform.unique())
                .team("data-infra")
                .user("user@doordash.com")
                .config(DCPSparkClient.SparkJobConfig.builder()
                        .sparkVersion("3.5")
                        .jobType("BATCH")
                        .coreEtl(DCPSparkClient.CoreETLConfig.builder()
                                .version("2.7.0")
                                .jobSpec(GrpcTestPlatform.specJson("SELECT java_method('java.lang.Thread', 'sleep', 120000L) AS slept",
                                        "java_client_slept"))
                                .build())
                        .resources(DCPSparkClient.ResourceConfig.builder()
                                .driver(DCPSparkClient.DriverConfig.builder().memory("1g").build())
                                .executor(DCPSparkClient.ExecutorConfig.builder().instances(1).cores(1).memory("1g").build())
                                .build())
                        .build())
                .build();

        DCPSparkClient.SubmitJobResponse response = client.submitJob(request);
        client.cancelJob(response.getJobId());

        assertThat(response.getJobId()).isNotEmpty();
        assertThat(response.getStatus()).isIn("PENDING", "SUBMITTED");
        assertThat(TestPlatform.get(server, "/api/v1/jobs/" + response.getJobId()).json().get("status").asText())
                .isEqualTo("CANCELLED");
        assertThat(client.getJobLogs(response.getJobId()).getLogsUrl())
                .isEqualTo(server.url() + "/api/v1/jobs/" + response.getJobId() + "/logs");
    }

    private static DcpSpark.GetJobStatusResponse awaitFinal(String jobId) {
        long deadline = System.nanoTime() + JOB_TIMEOUT.toNanos();
        DcpSpark.GetJobStatusResponse status;
        do {
            status = dcp.getJobStatus(DcpSpark.GetJobStatusRequest.newBuilder().setJobId(jobId).build());
            if (FINAL_STATUSES.contains(status.getStatus())) {
                return status;
            }
            TestPlatform.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("job " + jobId + " did not end within " + JOB_TIMEOUT + "; last status " + status);
    }

    private static SparkRunner.Execution awaitFinalExecution(String executionId) {
        long deadline = System.nanoTime() + JOB_TIMEOUT.toNanos();
        SparkRunner.Execution execution;
        do {
            execution = runner.check(SparkRunner.CheckRequest.newBuilder().setExecutionId(executionId).build()).getExecution();
            if (FINAL_STATES.contains(execution.getState())) {
                return execution;
            }
            TestPlatform.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("execution " + executionId + " did not end within " + JOB_TIMEOUT + "; last " + execution);
    }

    private static long millis(JsonNode status, String field) {
        return status.hasNonNull(field) ? Instant.parse(status.get(field).asText()).toEpochMilli() : 0;
    }

    private static String queryMainJar() {
        return Path.of(System.getProperty("dcp.runtimes-dir")).toAbsolutePath().normalize().resolve("3.5/app/coreetl.jar").toString();
    }
}
