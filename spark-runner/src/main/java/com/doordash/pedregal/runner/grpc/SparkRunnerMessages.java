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
import java.util.function.Function;

/** Translations between the {@code spark.runner.v1} messages and the platform's model. */
final class SparkRunnerMessages {
    /** The Spark runtime of a spec that names none. */
    static final String DEFAULT_SPARK_VERSION = "3.5";
    private static final String SPEC_JSON = "job_spec.spark.core_etl_job_spec_json";

    /**
     * Where the fields of the platform's request are in a {@link SubmitRequest}, most specific first, so that
     * problems the platform finds name the field the client sent.
     */
    private static final List<Map.Entry<String, String>> FIELDS = List.of(
            Map.entry("config.core_etl.job_spec", SPEC_JSON),
            Map.entry("config.core_etl", SPEC_JSON),
            Map.entry("config.custom_jar.jar_path", "job_spec.spark.jar_path"),
            Map.entry("config.custom_jar.main_class", "job_spec.spark.main_class"),
            Map.entry("config.custom_jar.args", "job_spec.spark.args"),
            Map.entry("config.custom_jar", "job_spec.spark"),
            Map.entry("config.resources.driver", "job_spec.spark.driver"),
            Map.entry("config.resources.executor", "job_spec.spark.executor"),
            Map.entry("config.resources", "job_spec.spark.executor"),
            Map.entry("config.spark_version", "job_spec.spark.spark_version"),
            Map.entry("config.job_type", "job_spec.spark.job_type"),
            Map.entry("config.spark_config", "job_spec.spark.spark_config"),
            Map.entry("config.env_vars", "job_spec.spark.env_vars"),
            Map.entry("config", "job_spec.spark"),
            Map.entry("name", "job_spec.name"),
            Map.entry("team", "job_spec.metadata.team"),
            Map.entry("user", "job_spec.metadata.user"),
            Map.entry("timeout_seconds", "job_spec.spark.timeout_seconds"),
            Map.entry("callback_url", "job_spec.spark.callback_url"));

    private SparkRunnerMessages() {
    }

    /** The platform's request for {@code submit}; a custom-jar job when jar_path or main_class is set. */
    static SubmitJobRequest toModel(SubmitRequest submit) {
        JobSpec spec = submit.getJobSpec();
        JobMetadata metadata = spec.getMetadata();
        SparkSpec spark = spec.getSpark();
        if (metadata.getLabelsCount() > 0) {
            throw new InvalidRequestException("job_spec.metadata.labels", "are not stored by the platform yet; leave them out");
        }
        String user = metadata.getUser().isEmpty() ? metadata.getOwnerEmail() : metadata.getUser();
        if (!metadata.getUser().isEmpty() && !metadata.getOwnerEmail().isEmpty() && !metadata.getUser().equals(metadata.getOwnerEmail())) {
            throw new InvalidRequestException("job_spec.metadata.owner_email", "\"" + metadata.getOwnerEmail()
                    + "\" differs from job_spec.metadata.user \"" + metadata.getUser() + "\" (set one of them, or both the same)");
        }
        boolean customJar = !spark.getJarPath().isEmpty() || !spark.getMainClass().isEmpty();
        CoreEtlConfig coreEtl = null;
        CustomJarConfig jar = null;
        if (!spark.getCoreEtlJobSpecJson().isEmpty()) {
            if (customJar) {
                throw new InvalidRequestException(spark.getJarPath().isEmpty() ? "job_spec.spark.main_class" : "job_spec.spark.jar_path",
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
                .setOwner(job.request().user())
                .setTeam(job.team())
                .setStartTimeMs(millis(job.submittedAt()))
                .setEndTimeMs(millis(job.endedAt()))
                .setState(state(job.state()))
                .setVendor(nullToEmpty(job.backend()))
                .setVendorRunId(nullToEmpty(job.backendRunId()))
                .setVendorWebui(job.state() == JobState.RUNNING ? nullToEmpty(job.sparkUiUrl()) : "")
                .setVendorLogsLink(logsLink.apply(job.jobId()))
                .setJobName(job.name())
                .setJobId(job.jobId())
                .setErrorMessage(nullToEmpty(job.errorMessage()))
                .setSubmitTimeMs(millis(job.createdAt()))
                .build();
    }

    /** The execution state of a job state; PENDING shows as SUBMITTED. */
    static ExecutionState state(JobState state) {
        return switch (state) {
            case PENDING, SUBMITTED -> ExecutionState.EXECUTION_STATE_SUBMITTED;
            case RUNNING -> ExecutionState.EXECUTION_STATE_RUNNING;
            case SUCCEEDED -> ExecutionState.EXECUTION_STATE_SUCCEEDED;
            case FAILED -> ExecutionState.EXECUTION_STATE_FAILED;
            case CANCELLED -> ExecutionState.EXECUTION_STATE_CANCELLED;
            case TIMEOUT -> ExecutionState.EXECUTION_STATE_TIMEOUT;
        };
    }

    /**
     * BATCH, or STREAMING for a {@code stream} spec. The platform does not run streaming CoreETL jobs yet, so it
     * does not take a checkpoint location or trigger interval either: they are refused rather than dropped.
     */
    private static JobType jobType(SparkSpec spark) {
        if (!spark.hasStream()) {
            return JobType.BATCH;
        }
        StreamSpec stream = spark.getStream();
        if (!stream.getCheckpointLocation().isEmpty()) {
            throw new InvalidRequestException("job_spec.spark.stream.checkpoint_location", "is not supported: the platform does"
                    + " not run streaming CoreETL jobs yet, and a custom-jar streaming job sets its own checkpoint location");
        }
        if (!stream.getTriggerInterval().isEmpty()) {
            throw new InvalidRequestException("job_spec.spark.stream.trigger_interval", "is not supported: the platform does"
                    + " not run streaming CoreETL jobs yet, and a custom-jar streaming job sets its own trigger");
        }
        return JobType.STREAMING;
    }

    private static ResourceConfig resources(SparkSpec spark) {
        if (!spark.hasDriver() && !spark.hasExecutor()) {
            return null;
        }
        DriverConfig driver = null;
        if (spark.hasDriver()) {
            ResourceSpec d = spark.getDriver();
            if (d.getInstances() > 1 || d.getDynamicAllocation() || d.getMinExecutors() != 0 || d.getMaxExecutors() != 0) {
                throw new InvalidRequestException("job_spec.spark.driver", "sets executor fields (instances, dynamic_allocation,"
                        + " min_executors or max_executors); a job has one driver: set them in job_spec.spark.executor");
            }
            driver = new DriverConfig(d.getCores(), d.getMemory(), d.getMemoryOverhead());
        }
        ExecutorConfig executor = null;
        if (spark.hasExecutor()) {
            ResourceSpec e = spark.getExecutor();
            executor = GrpcServices.executorConfig(e.getInstances(), e.getCores(), e.getMemory(), e.getMemoryOverhead(),
                    e.getDynamicAllocation(), e.getMinExecutors(), e.getMaxExecutors());
        }
        return new ResourceConfig(driver, executor, null, null, null);
    }

    private static long millis(Instant instant) {
        return instant == null ? 0 : instant.toEpochMilli();
    }
}
