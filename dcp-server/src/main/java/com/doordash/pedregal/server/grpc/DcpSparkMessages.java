package com.doordash.pedregal.server.grpc;

import static com.doordash.pedregal.runner.grpc.GrpcServices.emptyToNull;
import static com.doordash.pedregal.runner.grpc.GrpcServices.nullToEmpty;

import com.doordash.pedregal.model.JobMetrics;
import com.doordash.pedregal.model.JobStatusResponse;
import com.doordash.pedregal.model.StateChange;
import com.doordash.pedregal.model.error.InvalidRequestException;
import com.doordash.pedregal.runner.grpc.GrpcServices;
import com.doordash.pedregal.server.grpc.v1.CoreEtlConfig;
import com.doordash.pedregal.server.grpc.v1.CustomJarConfig;
import com.doordash.pedregal.server.grpc.v1.DriverConfig;
import com.doordash.pedregal.server.grpc.v1.ExecutorConfig;
import com.doordash.pedregal.server.grpc.v1.JobState;
import com.doordash.pedregal.server.grpc.v1.JobStatus;
import com.doordash.pedregal.server.grpc.v1.JobType;
import com.doordash.pedregal.server.grpc.v1.ResourceConfig;
import com.doordash.pedregal.server.grpc.v1.SparkJobConfig;
import com.doordash.pedregal.server.grpc.v1.SubmitJobRequest;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Translations between the {@code dcp.spark.v1} messages and the platform's model (the REST bodies). */
final class DcpSparkMessages {
    private DcpSparkMessages() {
    }

    /** The REST request that {@code request} mirrors; absent values become nulls, as in a JSON body without them. */
    static com.doordash.pedregal.model.SubmitJobRequest toModel(SubmitJobRequest request) {
        return new com.doordash.pedregal.model.SubmitJobRequest(
                emptyToNull(request.getName()),
                emptyToNull(request.getTeam()),
                emptyToNull(request.getUser()),
                request.hasConfig() ? config(request.getConfig()) : null,
                emptyToNull(request.getIdempotencyKey()),
                emptyToNull(request.getCallbackUrl()),
                request.hasTimeoutSeconds() ? request.getTimeoutSeconds() : null);
    }

    private static com.doordash.pedregal.model.SparkJobConfig config(SparkJobConfig config) {
        return new com.doordash.pedregal.model.SparkJobConfig(
                emptyToNull(config.getSparkVersion()),
                jobType(config),
                config.hasCoreEtl() ? coreEtl(config.getCoreEtl()) : null,
                config.hasCustomJar() ? customJar(config.getCustomJar()) : null,
                config.hasResources() ? resources(config.getResources()) : null,
                config.getSparkConfigMap(),
                config.getEnvVarsMap());
    }

    private static com.doordash.pedregal.model.JobType jobType(SparkJobConfig config) {
        return switch (config.getJobType()) {
            case JOB_TYPE_UNSPECIFIED -> null;
            case BATCH -> com.doordash.pedregal.model.JobType.BATCH;
            case STREAMING -> com.doordash.pedregal.model.JobType.STREAMING;
            case UNRECOGNIZED -> throw new InvalidRequestException("config.job_type",
                    config.getJobTypeValue() + " is not a job type (expected one of: BATCH, STREAMING)");
        };
    }

    private static com.doordash.pedregal.model.CoreEtlConfig coreEtl(CoreEtlConfig coreEtl) {
        return new com.doordash.pedregal.model.CoreEtlConfig(
                emptyToNull(coreEtl.getVersion()),
                coreEtl.getJobSpecJson().isEmpty() ? null : GrpcServices.coreEtlSpec(coreEtl.getJobSpecJson(), "config.core_etl.job_spec"));
    }

    private static com.doordash.pedregal.model.CustomJarConfig customJar(CustomJarConfig jar) {
        return new com.doordash.pedregal.model.CustomJarConfig(emptyToNull(jar.getJarPath()), emptyToNull(jar.getMainClass()),
                jar.getArgsList());
    }

    private static com.doordash.pedregal.model.ResourceConfig resources(ResourceConfig resources) {
        com.doordash.pedregal.model.DriverConfig driver = null;
        if (resources.hasDriver()) {
            DriverConfig d = resources.getDriver();
            driver = new com.doordash.pedregal.model.DriverConfig(d.hasCores() ? d.getCores() : null, emptyToNull(d.getMemory()),
                    emptyToNull(d.getMemoryOverhead()));
        }
        com.doordash.pedregal.model.ExecutorConfig executor = null;
        if (resources.hasExecutor()) {
            ExecutorConfig e = resources.getExecutor();
            executor = new com.doordash.pedregal.model.ExecutorConfig(e.hasInstances() ? e.getInstances() : null,
                    e.hasCores() ? e.getCores() : null, emptyToNull(e.getMemory()), emptyToNull(e.getMemoryOverhead()));
        }
        return new com.doordash.pedregal.model.ResourceConfig(driver, executor,
                resources.hasDynamicAllocation() ? resources.getDynamicAllocation() : null,
                resources.hasMinExecutors() ? resources.getMinExecutors() : null,
                resources.hasMaxExecutors() ? resources.getMaxExecutors() : null);
    }

    /** The REST status {@code status} as a message; absent values become empty strings. */
    static JobStatus toMessage(JobStatusResponse status) {
        JobStatus.Builder message = JobStatus.newBuilder()
                .setJobId(status.jobId())
                .setExecutionId(status.executionId())
                .setName(nullToEmpty(status.name()))
                .setTeam(nullToEmpty(status.team()))
                .setUser(nullToEmpty(status.user()))
                .setStatus(state(status.status()))
                .setSparkVersion(nullToEmpty(status.sparkVersion()))
                .setBackend(nullToEmpty(status.backend()))
                .setSubmitTime(nullToEmpty(status.submitTime()))
                .setStartTime(nullToEmpty(status.startTime()))
                .setEndTime(nullToEmpty(status.endTime()))
                .setSparkUiUrl(nullToEmpty(status.sparkUiUrl()))
                .setLogsUrl(nullToEmpty(status.logsUrl()))
                .setErrorMessage(nullToEmpty(status.errorMessage()));
        for (StateChange change : status.history()) {
            message.addHistory(com.doordash.pedregal.server.grpc.v1.StateChange.newBuilder()
                    .setStatus(state(change.status()))
                    .setTime(nullToEmpty(change.time()))
                    .setReason(nullToEmpty(change.reason())));
        }
        JobMetrics metrics = status.metrics();
        if (metrics != null) {
            message.setMetrics(com.doordash.pedregal.server.grpc.v1.JobMetrics.newBuilder()
                    .setRecordsRead(metrics.recordsRead())
                    .setRecordsWritten(metrics.recordsWritten())
                    .setBytesRead(metrics.bytesRead())
                    .setBytesWritten(metrics.bytesWritten())
                    .setStagesCompleted(metrics.stagesCompleted())
                    .setTasksCompleted(metrics.tasksCompleted())
                    .setExecutorCpuTimeMs(metrics.executorCpuTimeMs()));
        }
        return message.build();
    }

    /** The message state of a job state. */
    static JobState state(com.doordash.pedregal.model.JobState state) {
        return switch (state) {
            case PENDING -> JobState.PENDING;
            case SUBMITTED -> JobState.SUBMITTED;
            case RUNNING -> JobState.RUNNING;
            case SUCCEEDED -> JobState.SUCCEEDED;
            case FAILED -> JobState.FAILED;
            case CANCELLED -> JobState.CANCELLED;
            case TIMEOUT -> JobState.TIMEOUT;
        };
    }

    /** The job state of a filter, or null for any state. */
    static com.doordash.pedregal.model.JobState stateFilter(JobState state, int number) {
        return switch (state) {
            case JOB_STATE_UNSPECIFIED -> null;
            case PENDING -> com.doordash.pedregal.model.JobState.PENDING;
            case SUBMITTED -> com.doordash.pedregal.model.JobState.SUBMITTED;
            case RUNNING -> com.doordash.pedregal.model.JobState.RUNNING;
            case SUCCEEDED -> com.doordash.pedregal.model.JobState.SUCCEEDED;
            case FAILED -> com.doordash.pedregal.model.JobState.FAILED;
            case CANCELLED -> com.doordash.pedregal.model.JobState.CANCELLED;
            case TIMEOUT -> com.doordash.pedregal.model.JobState.TIMEOUT;
            case UNRECOGNIZED -> throw new InvalidRequestException("status", number + " is not a job status (expected one of: "
                    + Arrays.stream(com.doordash.pedregal.model.JobState.values()).map(Enum::name).collect(Collectors.joining(", "))
                    + ")");
        };
    }
}
