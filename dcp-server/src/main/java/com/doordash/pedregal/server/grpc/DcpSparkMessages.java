package com.doordash.pedregal.server.grpc;

import static com.doordash.pedregal.runner.grpc.GrpcServices.emptyToNull;
import static com.doordash.pedregal.runner.grpc.GrpcServices.nullToEmpty;

import com.doordash.pedregal.model.JobMetrics;
import com.doordash.pedregal.model.JobStatusResponse;
import com.doordash.pedregal.model.StateChange;
import com.doordash.pedregal.model.error.InvalidRequestException;
import com.doordash.pedregal.model.spec.CoreEtlSpec;
import com.doordash.pedregal.model.spec.SinkMode;
import com.doordash.pedregal.model.spec.SinkSpec;
import com.doordash.pedregal.model.spec.SourceSpec;
import com.doordash.pedregal.model.spec.TransformationSpec;
import com.doordash.pedregal.runner.grpc.GrpcServices;
import com.doordash.pedregal.server.grpc.v1.CoreETLConfig;
import com.doordash.pedregal.server.grpc.v1.CoreETLJobSpec;
import com.doordash.pedregal.server.grpc.v1.CustomJarConfig;
import com.doordash.pedregal.server.grpc.v1.DriverConfig;
import com.doordash.pedregal.server.grpc.v1.ExecutorConfig;
import com.doordash.pedregal.server.grpc.v1.GetJobStatusResponse;
import com.doordash.pedregal.server.grpc.v1.JobStatus;
import com.doordash.pedregal.server.grpc.v1.JobSummary;
import com.doordash.pedregal.server.grpc.v1.ResourceConfig;
import com.doordash.pedregal.server.grpc.v1.SinkConfig;
import com.doordash.pedregal.server.grpc.v1.SourceConfig;
import com.doordash.pedregal.server.grpc.v1.SparkJobConfig;
import com.doordash.pedregal.server.grpc.v1.SubmitJobRequest;
import com.doordash.pedregal.server.grpc.v1.TransformConfig;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Translations between the {@code dcp.spark.v1} messages and the platform's model (the REST bodies). */
final class DcpSparkMessages {
    static final String JOB_SPEC = "config.core_etl.job_spec";
    static final String STRUCTURED_SPEC = "config.core_etl.structured_spec";

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

    /**
     * The path in {@code request} of a field of the platform's request: a spec sent as {@code structured_spec} is
     * checked as {@code job_spec}, and its problems are reported where the client put it.
     */
    static String fieldOf(SubmitJobRequest request, String modelField) {
        CoreETLConfig coreEtl = request.getConfig().getCoreEtl();
        boolean structured = coreEtl.hasStructuredSpec() && coreEtl.getJobSpec().isEmpty();
        if (structured && (modelField.equals(JOB_SPEC) || modelField.startsWith(JOB_SPEC + ".")
                || modelField.startsWith(JOB_SPEC + "["))) {
            return STRUCTURED_SPEC + modelField.substring(JOB_SPEC.length());
        }
        return modelField;
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
            case JOB_TYPE_BATCH -> com.doordash.pedregal.model.JobType.BATCH;
            case JOB_TYPE_STREAMING -> com.doordash.pedregal.model.JobType.STREAMING;
            case UNRECOGNIZED -> throw new InvalidRequestException("config.job_type",
                    config.getJobTypeValue() + " is not a job type (expected one of: JOB_TYPE_BATCH, JOB_TYPE_STREAMING)");
        };
    }

    private static com.doordash.pedregal.model.CoreEtlConfig coreEtl(CoreETLConfig coreEtl) {
        CoreEtlSpec spec = null;
        if (coreEtl.hasStructuredSpec()) {
            if (!coreEtl.getJobSpec().isEmpty()) {
                throw new InvalidRequestException(JOB_SPEC, "must be empty when structured_spec is set (send the spec once)");
            }
            spec = structured(coreEtl.getStructuredSpec());
        }
        else if (!coreEtl.getJobSpec().isEmpty()) {
            spec = jobSpec(coreEtl.getJobSpec());
        }
        return new com.doordash.pedregal.model.CoreEtlConfig(emptyToNull(coreEtl.getVersion()), spec);
    }

    /**
     * A spec sent in {@code job_spec}: UTF-8 JSON when its first non-blank byte is '{' (a protobuf encoding of a
     * CoreETLJobSpec starts with a field tag, never with that byte), else a protobuf-encoded CoreETLJobSpec.
     */
    private static CoreEtlSpec jobSpec(ByteString bytes) {
        int first = 0;
        while (first < bytes.size() && Character.isWhitespace(bytes.byteAt(first))) {
            first++;
        }
        if (first < bytes.size() && bytes.byteAt(first) == '{') {
            return GrpcServices.coreEtlSpec(utf8(bytes), JOB_SPEC);
        }
        try {
            return structured(CoreETLJobSpec.parseFrom(bytes), JOB_SPEC);
        }
        catch (InvalidProtocolBufferException e) {
            throw new InvalidRequestException(JOB_SPEC, "is neither a JSON object nor a protobuf-encoded CoreETLJobSpec ("
                    + e.getMessage() + ")");
        }
    }

    private static String utf8(ByteString bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        }
        catch (CharacterCodingException e) {
            throw new InvalidRequestException(JOB_SPEC, "is not UTF-8 JSON: " + e.getMessage());
        }
    }

    private static CoreEtlSpec structured(CoreETLJobSpec spec) {
        return structured(spec, STRUCTURED_SPEC);
    }

    /** The spec of a message; options, which the platform does not take yet, are refused rather than dropped. */
    private static CoreEtlSpec structured(CoreETLJobSpec spec, String field) {
        List<SourceSpec> sources = new ArrayList<>();
        for (int i = 0; i < spec.getSourcesCount(); i++) {
            SourceConfig source = spec.getSources(i);
            noOptions(field + ".sources[" + i + "].options", source.getOptionsMap());
            sources.add(new SourceSpec(emptyToNull(source.getType()), emptyToNull(source.getCatalog()),
                    emptyToNull(source.getDatabase()), emptyToNull(source.getTable()), emptyToNull(source.getFilter())));
        }
        List<TransformationSpec> transformations = new ArrayList<>();
        for (int i = 0; i < spec.getTransformationsCount(); i++) {
            TransformConfig transformation = spec.getTransformations(i);
            noOptions(field + ".transformations[" + i + "].options", transformation.getOptionsMap());
            transformations.add(new TransformationSpec(emptyToNull(transformation.getType()),
                    emptyToNull(transformation.getQuery()), null));
        }
        List<SinkSpec> sinks = new ArrayList<>();
        for (int i = 0; i < spec.getSinksCount(); i++) {
            SinkConfig sink = spec.getSinks(i);
            noOptions(field + ".sinks[" + i + "].options", sink.getOptionsMap());
            SinkMode mode;
            try {
                mode = sink.getMode().isEmpty() ? null : SinkMode.fromWire(sink.getMode());
            }
            catch (IllegalArgumentException e) {
                throw new InvalidRequestException(field + ".sinks[" + i + "].mode", e.getMessage());
            }
            sinks.add(new SinkSpec(emptyToNull(sink.getType()), emptyToNull(sink.getCatalog()), emptyToNull(sink.getDatabase()),
                    emptyToNull(sink.getTable()), mode, sink.getPartitionByList()));
        }
        return new CoreEtlSpec(sources, transformations, sinks);
    }

    private static void noOptions(String field, Map<String, String> options) {
        if (!options.isEmpty()) {
            throw new InvalidRequestException(field, "are not supported yet (" + String.join(", ", options.keySet())
                    + "); leave them out");
        }
    }

    private static com.doordash.pedregal.model.CustomJarConfig customJar(CustomJarConfig jar) {
        return new com.doordash.pedregal.model.CustomJarConfig(emptyToNull(jar.getJarPath()), emptyToNull(jar.getMainClass()),
                jar.getArgsList());
    }

    /** Zeros are "not set" (proto3 has no absent scalars), except the resource-level alias, which has presence. */
    private static com.doordash.pedregal.model.ResourceConfig resources(ResourceConfig resources) {
        com.doordash.pedregal.model.DriverConfig driver = null;
        if (resources.hasDriver()) {
            DriverConfig d = resources.getDriver();
            driver = new com.doordash.pedregal.model.DriverConfig(d.getCores(), d.getMemory(), d.getMemoryOverhead());
        }
        com.doordash.pedregal.model.ExecutorConfig executor = null;
        if (resources.hasExecutor()) {
            ExecutorConfig e = resources.getExecutor();
            executor = GrpcServices.executorConfig(e.getInstances(), e.getCores(), e.getMemory(), e.getMemoryOverhead(),
                    e.getDynamicAllocation(), e.getMinExecutors(), e.getMaxExecutors());
        }
        return new com.doordash.pedregal.model.ResourceConfig(driver, executor,
                resources.hasDynamicAllocation() ? resources.getDynamicAllocation() : null,
                resources.hasMinExecutors() ? resources.getMinExecutors() : null,
                resources.hasMaxExecutors() ? resources.getMaxExecutors() : null);
    }

    /** The REST status {@code status} as a message; absent values become empty strings and zeros. */
    static GetJobStatusResponse toMessage(JobStatusResponse status) {
        GetJobStatusResponse.Builder message = GetJobStatusResponse.newBuilder()
                .setJobId(status.jobId())
                .setExecutionId(status.executionId())
                .setStatus(state(status.status()))
                .setStartTimeMs(millis(status.startTime()))
                .setEndTimeMs(millis(status.endTime()))
                .setSparkUiUrl(nullToEmpty(status.sparkUiUrl()))
                .setLogsUrl(nullToEmpty(status.logsUrl()))
                .setErrorMessage(nullToEmpty(status.errorMessage()))
                .setName(nullToEmpty(status.name()))
                .setTeam(nullToEmpty(status.team()))
                .setUser(nullToEmpty(status.user()))
                .setSparkVersion(nullToEmpty(status.sparkVersion()))
                .setBackend(nullToEmpty(status.backend()))
                .setSubmitTimeMs(millis(status.submitTime()));
        for (StateChange change : status.history()) {
            message.addHistory(com.doordash.pedregal.server.grpc.v1.StateChange.newBuilder()
                    .setStatus(state(change.status()))
                    .setTimeMs(millis(change.time()))
                    .setReason(nullToEmpty(change.reason())));
        }
        JobMetrics metrics = status.metrics();
        if (metrics != null) {
            message.setMetrics(com.doordash.pedregal.server.grpc.v1.JobMetrics.newBuilder()
                    .setRecordsRead(metrics.recordsRead())
                    .setRecordsWritten(metrics.recordsWritten())
                    .setBytesRead(metrics.bytesRead())
                    .setBytesWritten(metrics.bytesWritten())
                    .setStagesCompleted(saturated(metrics.stagesCompleted()))
                    .setTasksCompleted(saturated(metrics.tasksCompleted()))
                    .setExecutorCpuTimeMs(metrics.executorCpuTimeMs()));
        }
        return message.build();
    }

    /** The REST status {@code status} as a line of a job list. */
    static JobSummary toSummary(JobStatusResponse status) {
        return JobSummary.newBuilder()
                .setJobId(status.jobId())
                .setName(nullToEmpty(status.name()))
                .setTeam(nullToEmpty(status.team()))
                .setStatus(state(status.status()))
                .setStartTimeMs(millis(status.startTime()))
                .setEndTimeMs(millis(status.endTime()))
                .setExecutionId(status.executionId())
                .setUser(nullToEmpty(status.user()))
                .setSubmitTimeMs(millis(status.submitTime()))
                .setErrorMessage(nullToEmpty(status.errorMessage()))
                .build();
    }

    /** The message state of a job state. */
    static JobStatus state(com.doordash.pedregal.model.JobState state) {
        return switch (state) {
            case PENDING -> JobStatus.JOB_STATUS_PENDING;
            case SUBMITTED -> JobStatus.JOB_STATUS_SUBMITTED;
            case RUNNING -> JobStatus.JOB_STATUS_RUNNING;
            case SUCCEEDED -> JobStatus.JOB_STATUS_SUCCEEDED;
            case FAILED -> JobStatus.JOB_STATUS_FAILED;
            case CANCELLED -> JobStatus.JOB_STATUS_CANCELLED;
            case TIMEOUT -> JobStatus.JOB_STATUS_TIMEOUT;
        };
    }

    /** The job state of a filter, or null for any state. */
    static com.doordash.pedregal.model.JobState stateFilter(JobStatus state, int number) {
        return switch (state) {
            case JOB_STATUS_UNSPECIFIED -> null;
            case JOB_STATUS_PENDING -> com.doordash.pedregal.model.JobState.PENDING;
            case JOB_STATUS_SUBMITTED -> com.doordash.pedregal.model.JobState.SUBMITTED;
            case JOB_STATUS_RUNNING -> com.doordash.pedregal.model.JobState.RUNNING;
            case JOB_STATUS_SUCCEEDED -> com.doordash.pedregal.model.JobState.SUCCEEDED;
            case JOB_STATUS_FAILED -> com.doordash.pedregal.model.JobState.FAILED;
            case JOB_STATUS_CANCELLED -> com.doordash.pedregal.model.JobState.CANCELLED;
            case JOB_STATUS_TIMEOUT -> com.doordash.pedregal.model.JobState.TIMEOUT;
            case UNRECOGNIZED -> throw new InvalidRequestException("status_filter", number + " is not a job status (expected one of: "
                    + Arrays.stream(JobStatus.values()).filter(s -> s != JobStatus.UNRECOGNIZED).map(Enum::name)
                            .collect(Collectors.joining(", "))
                    + ")");
        };
    }

    /** Epoch milliseconds of an RFC 3339 time of the REST status; 0 when there is none. */
    private static long millis(String time) {
        return time == null ? 0 : Instant.parse(time).toEpochMilli();
    }

    private static int saturated(long count) {
        return (int) Math.min(count, Integer.MAX_VALUE);
    }
}
