package com.doordash.pedregal.runner.grpc;

import static com.doordash.pedregal.runner.grpc.GrpcServices.emptyToNull;
import static com.doordash.pedregal.runner.grpc.GrpcServices.nullToEmpty;

import com.doordash.pedregal.model.CoreEtlConfig;
import com.doordash.pedregal.model.CustomJarConfig;
import com.doordash.pedregal.model.DriverConfig;
import com.doordash.pedregal.model.ExecutorConfig;
import com.doordash.pedregal.model.JobState;
import com.doordash.pedregal.model.JobType;
import com.doordash.pedregal.model.ResourceConfig;
import com.doordash.pedregal.model.SparkJobConfig;
import com.doordash.pedregal.model.SubmitJobRequest;
import com.doordash.pedregal.model.error.InvalidRequestException;
import com.doordash.pedregal.runner.Job;
import com.doordash.pedregal.runner.grpc.v1.DriverResources;
import com.doordash.pedregal.runner.grpc.v1.Execution;
import com.doordash.pedregal.runner.grpc.v1.ExecutorResources;
import com.doordash.pedregal.runner.grpc.v1.JobSpec;
import com.doordash.pedregal.runner.grpc.v1.SparkSpec;
import com.doordash.pedregal.runner.grpc.v1.State;
import com.doordash.pedregal.runner.grpc.v1.SubmitRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Translations between the {@code spark.runner.v1} messages and the platform's model. */
final class SparkRunnerMessages {
    /** The Spark runtime of a spec that names none. */
    static final String DEFAULT_SPARK_VERSION = "3.5";
    private static final String SPEC_JSON = "spec.spark.core_etl_job_spec_json";

    /**
     * Where the fields of the platform's request are in a {@link SubmitRequest}, most specific first, so that
     * problems the platform finds name the field the client sent.
     */
    private static final List<Map.Entry<String, String>> FIELDS = List.of(
            Map.entry("config.core_etl.job_spec", SPEC_JSON),
            Map.entry("config.core_etl", SPEC_JSON),
            Map.entry("config.custom_jar.jar_path", "spec.spark.jar_path"),
            Map.entry("config.custom_jar.main_class", "spec.spark.main_class"),
            Map.entry("config.custom_jar.args", "spec.spark.args"),
            Map.entry("config.custom_jar", "spec.spark"),
            Map.entry("config.resources.driver", "spec.spark.driver"),
            Map.entry("config.resources.executor", "spec.spark.executor"),
            Map.entry("config.resources", "spec.spark"),
            Map.entry("config.spark_version", "spec.spark.spark_version"),
            Map.entry("config.job_type", "spec.spark.kind"),
            Map.entry("config.spark_config", "spec.spark.spark_config"),
            Map.entry("config.env_vars", "spec.spark.env_vars"),
            Map.entry("config", "spec.spark"),
            Map.entry("name", "spec.name"),
            Map.entry("team", "spec.metadata.team"),
            Map.entry("user", "spec.metadata.user"),
            Map.entry("timeout_seconds", "spec.spark.timeout_seconds"),
            Map.entry("callback_url", "spec.spark.callback_url"));

    private SparkRunnerMessages() {
    }

    /** The platform's request for {@code submit}; a custom-jar job when jar_path or main_class is set. */
    static SubmitJobRequest toModel(SubmitRequest submit) {
        JobSpec spec = submit.getSpec();
        com.doordash.pedregal.runner.grpc.v1.Metadata metadata = spec.getMetadata();
        SparkSpec spark = spec.getSpark();
        if (metadata.getLabelsCount() > 0) {
            throw new InvalidRequestException("spec.metadata.labels", "are not stored by the platform yet; leave them out");
        }
        String user = metadata.getUser().isEmpty() ? metadata.getOwnerEmail() : metadata.getUser();
        if (!metadata.getUser().isEmpty() && !metadata.getOwnerEmail().isEmpty() && !metadata.getUser().equals(metadata.getOwnerEmail())) {
            throw new InvalidRequestException("spec.metadata.owner_email", "\"" + metadata.getOwnerEmail()
                    + "\" differs from spec.metadata.user \"" + metadata.getUser() + "\" (set one of them, or both the same)");
        }
        boolean customJar = !spark.getJarPath().isEmpty() || !spark.getMainClass().isEmpty();
        CoreEtlConfig coreEtl = null;
        CustomJarConfig jar = null;
        if (!spark.getCoreEtlJobSpecJson().isEmpty()) {
            if (customJar) {
                throw new InvalidRequestException(spark.getJarPath().isEmpty() ? "spec.spark.main_class" : "spec.spark.jar_path",
                        "must be empty for a CoreETL job (core_etl_job_spec_json is set)");
            }
            coreEtl = new CoreEtlConfig(null, GrpcServices.coreEtlSpec(spark.getCoreEtlJobSpecJson(), SPEC_JSON));
        }
        else if (customJar) {
            jar = new CustomJarConfig(emptyToNull(spark.getJarPath()), emptyToNull(spark.getMainClass()), spark.getArgsList());
        }
        SparkJobConfig config = new SparkJobConfig(
                spark.getSparkVersion().isEmpty() ? DEFAULT_SPARK_VERSION : spark.getSparkVersion(),
                jobType(spark),
                coreEtl,
                jar,
                resources(spark),
                spark.getSparkConfigMap(),
                spark.getEnvVarsMap());
        return new SubmitJobRequest(
                emptyToNull(spec.getName()),
                emptyToNull(metadata.getTeam()),
                emptyToNull(user),
                config,
                emptyToNull(submit.getIdempotencyKey()),
                emptyToNull(spark.getCallbackUrl()),
                spark.getTimeoutSeconds() == 0 ? null : spark.getTimeoutSeconds());
    }

    /** The path in a {@link SubmitRequest} of a field of the platform's request ({@code config.spark_version}). */
    static String fieldOf(String modelField) {
        for (Map.Entry<String, String> entry : FIELDS) {
            String prefix = entry.getKey();
            if (modelField.equals(prefix)) {
                return entry.getValue();
            }
            if (modelField.startsWith(prefix) && (modelField.charAt(prefix.length()) == '.' || modelField.charAt(prefix.length()) == '[')) {
                return entry.getValue() + modelField.substring(prefix.length());
            }
        }
        return modelField;
    }

    /** {@code job} as an execution; {@code logsLink} gives the logs URL of a job id. */
    static Execution toExecution(Job job, Function<String, String> logsLink) {
        return Execution.newBuilder()
                .setExecutionId(job.executionId())
                .setJobPath("/api/v1/jobs/" + job.jobId())
                .setJobName(job.name())
                .setOwner(job.request().user())
                .setTeam(job.team())
                .setStartTimeMs(millis(job.submittedAt()))
                .setEndTimeMs(millis(job.endedAt()))
                .setState(state(job.state()))
                .setBackend(nullToEmpty(job.backend()))
                .setBackendRunId(nullToEmpty(job.backendRunId()))
                .setWebUiLink(job.state() == JobState.RUNNING ? nullToEmpty(job.sparkUiUrl()) : "")
                .setLogsLink(logsLink.apply(job.jobId()))
                .setJobId(job.jobId())
                .setErrorMessage(nullToEmpty(job.errorMessage()))
                .build();
    }

    /** The execution state of a job state; PENDING shows as SUBMITTED. */
    static State state(JobState state) {
        return switch (state) {
            case PENDING, SUBMITTED -> State.SUBMITTED;
            case RUNNING -> State.RUNNING;
            case SUCCEEDED -> State.SUCCEEDED;
            case FAILED -> State.FAILED;
            case CANCELLED -> State.CANCELLED;
            case TIMEOUT -> State.TIMEOUT;
        };
    }

    private static JobType jobType(SparkSpec spark) {
        return switch (spark.getKind()) {
            case JOB_KIND_UNSPECIFIED, BATCH -> JobType.BATCH;
            case STREAM -> JobType.STREAMING;
            case UNRECOGNIZED -> throw new InvalidRequestException("spec.spark.kind",
                    spark.getKindValue() + " is not a job kind (expected one of: BATCH, STREAM)");
        };
    }

    private static ResourceConfig resources(SparkSpec spark) {
        if (!spark.hasDriver() && !spark.hasExecutor()) {
            return null;
        }
        DriverConfig driver = null;
        if (spark.hasDriver()) {
            DriverResources d = spark.getDriver();
            driver = new DriverConfig(d.hasCores() ? d.getCores() : null, emptyToNull(d.getMemory()), emptyToNull(d.getMemoryOverhead()));
        }
        ExecutorConfig executor = null;
        if (spark.hasExecutor()) {
            ExecutorResources e = spark.getExecutor();
            executor = new ExecutorConfig(e.hasInstances() ? e.getInstances() : null, e.hasCores() ? e.getCores() : null,
                    emptyToNull(e.getMemory()), emptyToNull(e.getMemoryOverhead()));
        }
        return new ResourceConfig(driver, executor, null, null, null);
    }

    private static long millis(Instant instant) {
        return instant == null ? 0 : instant.toEpochMilli();
    }
}
