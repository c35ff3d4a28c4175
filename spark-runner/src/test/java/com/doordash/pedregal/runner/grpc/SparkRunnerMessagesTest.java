package com.doordash.pedregal.runner.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.doordash.pedregal.model.CustomJarConfig;
import com.doordash.pedregal.model.DriverConfig;
import com.doordash.pedregal.model.ExecutorConfig;
import com.doordash.pedregal.model.JobState;
import com.doordash.pedregal.model.JobType;
import com.doordash.pedregal.model.SubmitJobRequest;
import com.doordash.pedregal.model.error.ErrorCode;
import com.doordash.pedregal.model.error.InvalidRequestException;
import com.doordash.pedregal.model.error.PlatformException;
import com.doordash.pedregal.model.error.Violation;
import com.doordash.pedregal.runner.Job;
import com.doordash.pedregal.runner.grpc.v1.Execution;
import com.doordash.pedregal.runner.grpc.v1.ExecutionState;
import com.doordash.pedregal.runner.grpc.v1.JobMetadata;
import com.doordash.pedregal.runner.grpc.v1.JobSpec;
import com.doordash.pedregal.runner.grpc.v1.ResourceSpec;
import com.doordash.pedregal.runner.grpc.v1.SparkSpec;
import com.doordash.pedregal.runner.grpc.v1.StreamSpec;
import com.doordash.pedregal.runner.grpc.v1.SubmitRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class SparkRunnerMessagesTest {
    private static final String SPEC_JSON = """
            {"sources": [{"type": "iceberg", "catalog": "pedregal", "database": "raw", "table": "events"}],
             "transformations": [{"type": "sql", "query": "SELECT * FROM source WHERE event_type = 'order'"}],
             "sinks": [{"type": "iceberg", "catalog": "pedregal", "database": "derived", "table": "orders"}]}
            """;

    @Test
    void specWithCoreEtlJsonIsACoreEtlJobOnSpark35ByDefault() {
        SubmitJobRequest request = SparkRunnerMessages.toModel(SubmitRequest.newBuilder()
                .setJobSpec(spec(SparkSpec.newBuilder()
                        .setCoreEtlJobSpecJson(SPEC_JSON)
                        .setDriver(ResourceSpec.newBuilder().setCores(1).setMemory("1g"))
                        .setExecutor(ResourceSpec.newBuilder().setInstances(3).setMemory("2g").setMemoryOverhead("512m"))
                        .putSparkConfig("spark.sql.shuffle.partitions", "2")
                        .putEnvVars("MODE", "test")
                        .setTimeoutSeconds(600)
                        .setCallbackUrl("http://127.0.0.1:1/done")))
                .setIdempotencyKey("key-1")
                .build());

        assertThat(request.name()).isEqualTo("orders");
        assertThat(request.team()).isEqualTo("data-infra");
        assertThat(request.user()).isEqualTo("user@doordash.com");
        assertThat(request.idempotencyKey()).isEqualTo("key-1");
        assertThat(request.callbackUrl()).isEqualTo("http://127.0.0.1:1/done");
        assertThat(request.timeoutSeconds()).isEqualTo(600L);
        assertThat(request.config().sparkVersion()).isEqualTo("3.5");
        assertThat(request.config().jobType()).isEqualTo(JobType.BATCH);
        assertThat(request.config().customJar()).isNull();
        assertThat(request.config().coreEtl().jobSpec().sources().get(0).table()).isEqualTo("events");
        assertThat(request.config().resources().driver()).isEqualTo(new DriverConfig(1, "1g", null));
        assertThat(request.config().resources().executor()).isEqualTo(new ExecutorConfig(3, null, "2g", "512m"));
        assertThat(request.config().sparkConfig()).containsExactly(Map.entry("spark.sql.shuffle.partitions", "2"));
        assertThat(request.config().envVars()).containsExactly(Map.entry("MODE", "test"));
    }

    @Test
    void specWithJarIsACustomJarJob() {
        SubmitJobRequest request = SparkRunnerMessages.toModel(SubmitRequest.newBuilder()
                .setJobSpec(spec(SparkSpec.newBuilder()
                        .setJarPath("/jobs/app.jar")
                        .setMainClass("com.example.Main")
                        .addAllArgs(List.of("a", "b"))
                        .setSparkVersion("3.5")
                        .setStream(StreamSpec.getDefaultInstance())))
                .build());

        assertThat(request.config().customJar()).isEqualTo(new CustomJarConfig("/jobs/app.jar", "com.example.Main", List.of("a", "b")));
        assertThat(request.config().coreEtl()).isNull();
        assertThat(request.config().resources()).isNull();
        assertThat(request.config().jobType()).isEqualTo(JobType.STREAMING);
        assertThat(request.idempotencyKey()).isNull();
        assertThat(request.timeoutSeconds()).isNull();
    }

    @Test
    void ownerEmailStandsInForAMissingUser() {
        SubmitJobRequest request = SparkRunnerMessages.toModel(SubmitRequest.newBuilder()
                .setJobSpec(spec(SparkSpec.newBuilder().setCoreEtlJobSpecJson(SPEC_JSON)).toBuilder()
                        .setMetadata(JobMetadata.newBuilder().setTeam("data-infra").setOwnerEmail("owner@doordash.com")))
                .build());

        assertThat(request.user()).isEqualTo("owner@doordash.com");
    }

    @Test
    void coreEtlSpecWithJarIsRefused() {
        InvalidRequestException e = refused(spec(SparkSpec.newBuilder().setCoreEtlJobSpecJson(SPEC_JSON).setJarPath("/a.jar")));

        assertThat(e).hasMessage("job_spec.spark.jar_path: must be empty for a CoreETL job (core_etl_job_spec_json is set)");
    }

    @Test
    void problemsInsideTheSpecJsonNameTheirPathBelowTheField() {
        InvalidRequestException e = refused(spec(SparkSpec.newBuilder().setCoreEtlJobSpecJson("{\"sources\": 5}")));

        assertThat(e.field()).contains("job_spec.spark.core_etl_job_spec_json.sources");
        assertThat(e).hasMessage("job_spec.spark.core_etl_job_spec_json.sources: expected an array");
    }

    @Test
    void labelsAreRefusedRatherThanDropped() {
        JobSpec spec = spec(SparkSpec.newBuilder().setCoreEtlJobSpecJson(SPEC_JSON));
        InvalidRequestException e = refused(spec.toBuilder()
                .setMetadata(spec.getMetadata().toBuilder().putLabels("tier", "1"))
                .build());

        assertThat(e.field()).contains("job_spec.metadata.labels");
    }

    @Test
    void platformFieldPathsBecomeSubmitRequestPaths() {
        assertThat(SparkRunnerMessages.fieldOf("config.spark_version")).isEqualTo("job_spec.spark.spark_version");
        assertThat(SparkRunnerMessages.fieldOf("config.resources.executor.memory")).isEqualTo("job_spec.spark.executor.memory");
        assertThat(SparkRunnerMessages.fieldOf("config.core_etl.job_spec.sinks[0].table"))
                .isEqualTo("job_spec.spark.core_etl_job_spec_json.sinks[0].table");
        assertThat(SparkRunnerMessages.fieldOf("config.spark_config[\"spark.master\"]")).isEqualTo("job_spec.spark.spark_config[\"spark.master\"]");
        assertThat(SparkRunnerMessages.fieldOf("team")).isEqualTo("job_spec.metadata.team");
        assertThat(SparkRunnerMessages.fieldOf("teams")).isEqualTo("teams");
        assertThat(SparkRunnerMessages.fieldOf("idempotency_key")).isEqualTo("idempotency_key");
    }

    @Test
    void renamingKeepsCodeAndRewritesEveryViolation() {
        PlatformException renamed = GrpcServices.renameFields(new InvalidRequestException(List.of(
                new Violation("name", "is required"), new Violation("config.spark_version", "\"9.9\" is not supported"))),
                SparkRunnerMessages::fieldOf);

        assertThat(renamed.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(renamed.field()).contains("job_spec.name");
        assertThat(renamed).hasMessage("job_spec.name: is required; job_spec.spark.spark_version: \"9.9\" is not supported");
        assertThat(GrpcServices.renameFields(new PlatformException(ErrorCode.PERMISSION_DENIED, "no", "team"),
                SparkRunnerMessages::fieldOf).field()).contains("job_spec.metadata.team");
    }

    @Test
    void pendingJobIsASubmittedExecutionWithItsSubmitTimeOnly() {
        Job job = Job.accepted("job-1", "exec-1", SparkRunnerMessages.toModel(SubmitRequest.newBuilder()
                .setJobSpec(spec(SparkSpec.newBuilder().setCoreEtlJobSpecJson(SPEC_JSON))).build()), Instant.ofEpochMilli(1000));

        Execution execution = SparkRunnerMessages.toExecution(job, id -> "http://localhost:8080/api/v1/jobs/" + id + "/logs");

        assertThat(execution).isEqualTo(Execution.newBuilder()
                .setExecutionId("exec-1")
                .setJobPath("/api/v1/jobs/job-1")
                .setJobName("orders")
                .setOwner("user@doordash.com")
                .setTeam("data-infra")
                .setState(ExecutionState.EXECUTION_STATE_SUBMITTED)
                .setVendorLogsLink("http://localhost:8080/api/v1/jobs/job-1/logs")
                .setJobId("job-1")
                .setSubmitTimeMs(1000)
                .build());
        assertThat(SparkRunnerMessages.state(JobState.TIMEOUT)).isEqualTo(ExecutionState.EXECUTION_STATE_TIMEOUT);
    }

    @Test
    void zerosOfThePrototypesResourceSpecMeanTheDefaults() {
        SubmitJobRequest request = SparkRunnerMessages.toModel(SubmitRequest.newBuilder()
                .setJobSpec(spec(SparkSpec.newBuilder()
                        .setCoreEtlJobSpecJson(SPEC_JSON)
                        .setDriver(ResourceSpec.newBuilder().setMemory("1g"))
                        .setExecutor(ResourceSpec.newBuilder().setCores(2))))
                .build());

        assertThat(request.config().resources().driver()).isEqualTo(new DriverConfig(null, "1g", null));
        assertThat(request.config().resources().executor()).isEqualTo(new ExecutorConfig(null, 2, null, null));
    }

    @Test
    void executorDynamicAllocationBecomesTheJobsDynamicAllocation() {
        SubmitJobRequest request = SparkRunnerMessages.toModel(SubmitRequest.newBuilder()
                .setJobSpec(spec(SparkSpec.newBuilder()
                        .setCoreEtlJobSpecJson(SPEC_JSON)
                        .setExecutor(ResourceSpec.newBuilder().setDynamicAllocation(true).setMinExecutors(2).setMaxExecutors(10))))
                .build());

        assertThat(request.config().resources().dynamicAllocationEnabled()).isTrue();
        assertThat(request.config().resources().effectiveMinExecutors()).isEqualTo(2);
        assertThat(request.config().resources().effectiveMaxExecutors()).isEqualTo(10);
    }

    @Test
    void executorFieldsOnTheDriverAreRefused() {
        InvalidRequestException e = refused(spec(SparkSpec.newBuilder().setCoreEtlJobSpecJson(SPEC_JSON)
                .setDriver(ResourceSpec.newBuilder().setInstances(4))));

        assertThat(e.field()).contains("job_spec.spark.driver");
    }

    @Test
    void streamCheckpointAndTriggerAreRefusedNamingTheField() {
        assertThat(refused(spec(SparkSpec.newBuilder().setCoreEtlJobSpecJson(SPEC_JSON)
                .setStream(StreamSpec.newBuilder().setCheckpointLocation("/tmp/other-team/checkpoints")))).field())
                .contains("job_spec.spark.stream.checkpoint_location");
        assertThat(refused(spec(SparkSpec.newBuilder().setCoreEtlJobSpecJson(SPEC_JSON)
                .setStream(StreamSpec.newBuilder().setTriggerInterval("1 minute")))).field())
                .contains("job_spec.spark.stream.trigger_interval");
    }

    private static JobSpec spec(SparkSpec.Builder spark) {
        return JobSpec.newBuilder()
                .setName("orders")
                .setMetadata(JobMetadata.newBuilder().setTeam("data-infra").setUser("user@doordash.com"))
                .setSpark(spark)
                .build();
    }

    private static InvalidRequestException refused(JobSpec spec) {
        return catchThrowableOfType(InvalidRequestException.class,
                () -> SparkRunnerMessages.toModel(SubmitRequest.newBuilder().setJobSpec(spec).build()));
    }
}
